package io.allowedami.simulator.ec2;

import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.SimulatorState;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * DescribeLaunchTemplates: the account's launch templates in the Region, by ID, by name or
 * filtered, ordered by ID and paginated (MaxResults 1–200, not with IDs).
 */
public final class DescribeLaunchTemplatesAction {

  static final int MAX_RESULTS = 200;

  private final SimulatorState state;

  public DescribeLaunchTemplatesAction(SimulatorState state) {
    this.state = state;
  }

  public Action action() {
    return new Action(
        "DescribeLaunchTemplates",
        AwsService.EC2,
        Kind.READ,
        Set.of(
            "LaunchTemplateId",
            "LaunchTemplateName",
            "Filter",
            "MaxResults",
            "NextToken",
            "IncludeManagedResources"),
        this::describe);
  }

  private void describe(CallContext call, XmlWriter xml) {
    List<String> ids = call.params().list("LaunchTemplateId");
    List<String> names = call.params().list("LaunchTemplateName");
    if (!ids.isEmpty() && call.params().get("MaxResults").isPresent()) {
      throw LaunchTemplateLookup.combination(
          "The parameter LaunchTemplateIds cannot be used with the parameter MaxResults");
    }
    call.params().flag("IncludeManagedResources");
    Predicate<WorldLaunchTemplate> filter = filters().parse(call.params());
    LaunchTemplateLookup lookup = new LaunchTemplateLookup(state.launchTemplates(), call);
    ids.forEach(LaunchTemplateLookup::checkId);
    names.forEach(LaunchTemplateLookup::checkName);
    List<WorldLaunchTemplate> rows;
    if (ids.isEmpty() && names.isEmpty()) {
      rows = state.launchTemplates().list(call.accountId(), call.region());
    } else {
      Set<WorldLaunchTemplate> named = new LinkedHashSet<>();
      ids.forEach(id -> named.add(lookup.byId(id)));
      names.forEach(name -> named.add(lookup.byName(name)));
      rows =
          named.stream()
              .sorted(java.util.Comparator.comparing(WorldLaunchTemplate::launchTemplateId))
              .toList();
    }
    Pagination.Page<WorldLaunchTemplate> page =
        Pagination.page(
            rows.stream().filter(filter).toList(),
            WorldLaunchTemplate::launchTemplateId,
            call.params(),
            1,
            MAX_RESULTS);
    xml.start("launchTemplates");
    page.items().forEach(t -> write(xml, t));
    xml.end();
    xml.element("nextToken", page.nextToken());
  }

  private static Filters<WorldLaunchTemplate> filters() {
    return new Filters<WorldLaunchTemplate>()
        .single("launch-template-name", WorldLaunchTemplate::name)
        .single("create-time", t -> XmlWriter.timestamp(t.createTime()))
        .attribute("tag-key", t -> t.tags().keySet())
        .tags((t, key) -> Optional.ofNullable(t.tags().get(key)).stream().toList());
  }

  private static void write(XmlWriter xml, WorldLaunchTemplate t) {
    xml.start("item")
        .element("launchTemplateId", t.launchTemplateId())
        .element("launchTemplateName", t.name())
        .element("createTime", t.createTime())
        .element("createdBy", t.createdBy())
        .element("defaultVersionNumber", t.defaultVersion())
        .element("latestVersionNumber", t.latestVersion());
    Tags.write(xml, t.sortedTags());
    xml.end();
  }
}
