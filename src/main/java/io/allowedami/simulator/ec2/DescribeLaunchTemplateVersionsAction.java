package io.allowedami.simulator.ec2;

import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.QueryParams;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.LaunchTemplateStore;
import io.allowedami.simulator.state.SimulatorState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * DescribeLaunchTemplateVersions in both of AWS's forms: versions of one template (by ID or name;
 * numbers, {@code $Latest}, {@code $Default}, MinVersion/MaxVersion), or account-wide the latest
 * and/or default version of every template in the Region. Items are ordered by template ID, then
 * version number, and paginated by that key (MaxResults 1–200), so pages stay stable while
 * templates change.
 */
public final class DescribeLaunchTemplateVersionsAction {

  static final int MAX_RESULTS = 200;
  static final String LATEST = "$Latest";
  static final String DEFAULT = "$Default";

  private final SimulatorState state;

  public DescribeLaunchTemplateVersionsAction(SimulatorState state) {
    this.state = state;
  }

  public Action action() {
    return new Action(
        "DescribeLaunchTemplateVersions",
        AwsService.EC2,
        Kind.READ,
        Set.of(
            "LaunchTemplateId",
            "LaunchTemplateName",
            "LaunchTemplateVersion",
            "MinVersion",
            "MaxVersion",
            "Filter",
            "MaxResults",
            "NextToken",
            "ResolveAlias",
            "IncludeManagedResources"),
        this::describe);
  }

  /** One version with the template it belongs to. */
  private record Row(WorldLaunchTemplate template, WorldLaunchTemplateVersion version) {
    String key() {
      // Zero-padded so that the string order of keys is the numeric order of versions.
      return template.launchTemplateId() + "/" + String.format("%019d", version.versionNumber());
    }

    boolean isDefault() {
      return version.versionNumber() == template.defaultVersion();
    }
  }

  private void describe(CallContext call, XmlWriter xml) {
    QueryParams params = call.params();
    Optional<String> id = params.get("LaunchTemplateId").filter(v -> !v.isEmpty());
    Optional<String> name = params.get("LaunchTemplateName").filter(v -> !v.isEmpty());
    List<String> versions = params.list("LaunchTemplateVersion");
    Optional<Long> min = versionNumber(params, "MinVersion");
    Optional<Long> max = versionNumber(params, "MaxVersion");
    boolean resolveAlias = params.flag("ResolveAlias");
    params.flag("IncludeManagedResources");
    if (id.isPresent() && name.isPresent()) {
      throw LaunchTemplateLookup.combination(
          "Specify either the launch template ID or the launch template name, but not both.");
    }
    Predicate<Row> filter = filters().parse(params);
    List<Row> rows;
    if (id.isEmpty() && name.isEmpty()) {
      rows = accountWide(call, versions, min.isPresent() || max.isPresent());
    } else {
      LaunchTemplateLookup lookup = new LaunchTemplateLookup(state.launchTemplates(), call);
      WorldLaunchTemplate template =
          id.map(lookup::byId).orElseGet(() -> lookup.byName(name.get()));
      rows = oneTemplate(template, versions, min, max);
    }
    Pagination.Page<Row> page =
        Pagination.page(
            rows.stream().filter(filter).sorted(Comparator.comparing(Row::key)).toList(),
            Row::key,
            params,
            1,
            MAX_RESULTS);
    xml.start("launchTemplateVersionSet");
    page.items().forEach(row -> write(xml, row, resolveAlias ? call : null));
    xml.end();
    xml.element("nextToken", page.nextToken());
  }

  /**
   * The latest and/or default version of every template. A version that is both appears once: AWS
   * documents that both aliases may be given but not whether such a version is repeated; the answer
   * is a set of versions, so the simulator returns each version at most once.
   */
  private List<Row> accountWide(CallContext call, List<String> versions, boolean range) {
    if (versions.isEmpty()) {
      throw new ApiException(
          400,
          "MissingParameter",
          "To describe the launch template data for all your launch templates, for"
              + " LaunchTemplateVersion specify $Latest, $Default, or both, and omit"
              + " LaunchTemplateId, LaunchTemplateName, MinVersion and MaxVersion.");
    }
    for (String v : versions) {
      if (!v.equals(LATEST) && !v.equals(DEFAULT)) {
        throw ApiException.invalidParameterValue(
            "To describe all your launch templates, the launch template version must be $Latest"
                + " or $Default, not "
                + v
                + "; version numbers need a launch template ID or name.");
      }
    }
    if (range) {
      throw LaunchTemplateLookup.combination(
          "MinVersion and MaxVersion need a launch template ID or name.");
    }
    boolean latest = versions.contains(LATEST);
    boolean byDefault = versions.contains(DEFAULT);
    List<Row> rows = new ArrayList<>();
    for (WorldLaunchTemplate t : state.launchTemplates().list(call.accountId(), call.region())) {
      for (WorldLaunchTemplateVersion v : t.versions()) {
        if (latest && v.versionNumber() == t.latestVersion()
            || byDefault && v.versionNumber() == t.defaultVersion()) {
          rows.add(new Row(t, v));
        }
      }
    }
    return rows;
  }

  /**
   * The versions of one template: those named (numbers or aliases), or all of them; then those
   * after MinVersion and up to MaxVersion, as AWS documents the two ("after", "up to").
   */
  private static List<Row> oneTemplate(
      WorldLaunchTemplate template, List<String> versions, Optional<Long> min, Optional<Long> max) {
    Set<WorldLaunchTemplateVersion> selected = new LinkedHashSet<>();
    if (versions.isEmpty()) {
      selected.addAll(template.versions());
    }
    for (String v : versions) {
      long number =
          switch (v) {
            case LATEST -> template.latestVersion();
            case DEFAULT -> template.defaultVersion();
            default -> parseVersion("LaunchTemplateVersion", v);
          };
      selected.add(
          template
              .version(number)
              .orElseThrow(
                  () ->
                      new ApiException(
                          400,
                          "InvalidLaunchTemplateId.VersionNotFound",
                          "Could not find launch template version "
                              + v
                              + " for launch template "
                              + template.launchTemplateId()
                              + ".")));
    }
    return selected.stream()
        .filter(v -> min.isEmpty() || v.versionNumber() > min.get())
        .filter(v -> max.isEmpty() || v.versionNumber() <= max.get())
        .map(v -> new Row(template, v))
        .toList();
  }

  private static Optional<Long> versionNumber(QueryParams params, String name) {
    return params.get(name).map(v -> parseVersion(name, v));
  }

  private static long parseVersion(String parameter, String value) {
    try {
      long number = Long.parseLong(value.trim());
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalidParameterValue(
        "Value ("
            + value
            + ") for parameter "
            + parameter
            + " is invalid. Expected a version number, $Latest or $Default.");
  }

  private static Filters<Row> filters() {
    return new Filters<Row>()
        .single("create-time", r -> XmlWriter.timestamp(r.version().createTime()))
        .single("image-id", r -> r.version().imageId())
        .single("is-default-version", r -> Boolean.toString(r.isDefault()));
  }

  /** Writes one version; {@code resolveFor} non-null shows SSM images as the AMI ID they name. */
  private void write(XmlWriter xml, Row row, CallContext resolveFor) {
    WorldLaunchTemplate t = row.template();
    WorldLaunchTemplateVersion v = row.version();
    xml.start("item")
        .element("launchTemplateId", t.launchTemplateId())
        .element("launchTemplateName", t.name())
        .element("versionNumber", v.versionNumber())
        .element("versionDescription", v.description())
        .element("createTime", v.createTime())
        .element("createdBy", t.createdBy())
        .element("defaultVersion", row.isDefault())
        .start("launchTemplateData")
        .element("imageId", image(v, resolveFor))
        .end()
        .end();
  }

  private String image(WorldLaunchTemplateVersion v, CallContext resolveFor) {
    if (resolveFor == null || !v.imageIsSsmParameter()) {
      return v.imageId();
    }
    // resolve:ssm:/name, /name:version or /name:label; parameter names hold no colon. A parameter
    // the world lacks stays shown as written.
    String reference = v.ssmParameterName();
    String parameter =
        reference.contains(":") ? reference.substring(0, reference.indexOf(':')) : reference;
    LaunchTemplateStore store = state.launchTemplates();
    return store
        .ssmParameter(resolveFor.accountId(), resolveFor.region(), parameter)
        .orElse(v.imageId());
  }
}
