package io.allowedami.simulator.ec2;

import io.allowedami.simulator.criteria.CriteriaValidator;
import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.SettingsStore;
import java.util.List;
import java.util.Set;

/** The four Allowed AMIs settings actions: Get, Enable, Disable and ReplaceImageCriteria. */
public final class AllowedImagesSettingsActions {

  private final SettingsStore settings;

  public AllowedImagesSettingsActions(SettingsStore settings) {
    this.settings = settings;
  }

  public List<Action> actions() {
    return List.of(
        new Action("GetAllowedImagesSettings", AwsService.EC2, Kind.READ, Set.of(), this::get),
        new Action(
            "EnableAllowedImagesSettings",
            AwsService.EC2,
            Kind.WRITE,
            Set.of("AllowedImagesSettingsState"),
            this::enable),
        new Action(
            "DisableAllowedImagesSettings", AwsService.EC2, Kind.WRITE, Set.of(), this::disable),
        new Action(
            "ReplaceImageCriteriaInAllowedImagesSettings",
            AwsService.EC2,
            Kind.WRITE,
            Set.of("ImageCriterion"),
            this::replaceCriteria));
  }

  private void get(CallContext call, XmlWriter xml) {
    AllowedImagesSettings current = settings.get(call.accountId(), call.region());
    xml.element("state", current.state().wire());
    CriteriaWireFormat.write(xml, current.imageCriteria());
    xml.element("managedBy", current.managedBy().wire());
  }

  private void enable(CallContext call, XmlWriter xml) {
    String value = call.params().required("AllowedImagesSettingsState");
    SettingsState state =
        SettingsState.fromWire(value)
            .filter(s -> s != SettingsState.DISABLED)
            .orElseThrow(
                () ->
                    ApiException.invalidParameterValue(
                        "Value ("
                            + value
                            + ") for parameter AllowedImagesSettingsState is invalid. Valid values:"
                            + " enabled, audit-mode"));
    AllowedImagesSettings updated =
        settings.write(call.accountId(), call.region(), s -> s.withState(state));
    xml.element("allowedImagesSettingsState", updated.state().wire());
  }

  private void disable(CallContext call, XmlWriter xml) {
    AllowedImagesSettings updated =
        settings.write(call.accountId(), call.region(), s -> s.withState(SettingsState.DISABLED));
    xml.element("allowedImagesSettingsState", updated.state().wire());
  }

  private void replaceCriteria(CallContext call, XmlWriter xml) {
    List<Criterion> criteria = CriteriaWireFormat.read(call.params());
    CriteriaValidator.validate(criteria);
    settings.write(call.accountId(), call.region(), s -> s.withCriteria(criteria));
    xml.element("return", true);
  }
}
