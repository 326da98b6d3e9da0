package io.allowedami.plan;

import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import java.util.List;

/**
 * What {@code plan} found, in the shape its JSON output has (documented in the README; every key is
 * always present, null when it does not apply), and the exit code CI gates on: 0 when every Region
 * already matches its policy, 2 when a change is pending, 1 on any error.
 */
public record PlanReport(String result, int exitCode, List<PolicyReport> policies) {

  public static final int NO_CHANGES = 0;
  public static final int ERROR = 1;
  public static final int CHANGES_PENDING = 2;

  public PlanReport {
    policies = List.copyOf(policies);
  }

  public static PlanReport of(List<PolicyReport> policies) {
    int exit = exitCode(policies);
    String result =
        switch (exit) {
          case NO_CHANGES -> "no-changes";
          case CHANGES_PENDING -> "changes-pending";
          default -> "error";
        };
    return new PlanReport(result, exit, policies);
  }

  private static int exitCode(List<PolicyReport> policies) {
    boolean error =
        policies.isEmpty()
            || policies.stream()
                .anyMatch(
                    p ->
                        !p.problems().isEmpty()
                            || p.regions().stream().anyMatch(r -> r.error() != null));
    if (error) {
      return ERROR;
    }
    boolean pending =
        policies.stream()
            .flatMap(p -> p.regions().stream())
            .anyMatch(r -> !r.outcome().equals(RegionReport.IN_SYNC));
    return pending ? CHANGES_PENDING : NO_CHANGES;
  }

  /**
   * One policy: its name and where it came from, the account it governs ({@code assumeRole} null
   * for the credentials plan runs with), why it could not be planned ({@code problems}: the same
   * messages the operator writes into status), its Regions in the spec's order, and the criteria
   * that would allow every image its Regions use ({@code proposal}, null when nothing was read).
   */
  public record PolicyReport(
      String name,
      String source,
      String accountId,
      String assumeRole,
      List<String> problems,
      List<RegionReport> regions,
      ProposalReport proposal) {
    public PolicyReport {
      problems = List.copyOf(problems);
      regions = List.copyOf(regions);
    }
  }

  /**
   * Criteria that allow every image the policy's Regions use today (by running and pending
   * instances, and by the default and latest versions of launch templates), as tight as the data
   * allows and within AWS's limits, in the spec's own shape ({@code proposedCriteria} is a valid
   * {@code spec.imageCriteria}); {@code notes} say what they rest on, what could not be fitted and
   * where tightness was given up. It never changes the exit code.
   */
  public record ProposalReport(
      int runningInstances,
      int launchTemplateVersions,
      int images,
      List<ImageCriterionSpec> proposedCriteria,
      List<String> notes) {
    public ProposalReport {
      proposedCriteria = List.copyOf(proposedCriteria);
      notes = List.copyOf(notes);
    }
  }

  /**
   * One Region. {@code outcome}: {@code in-sync} (nothing to change), {@code apply} (the operator
   * would write {@code actions}), {@code held} (the safe-rollout gate holds the switch to enabled;
   * {@code actions} are what it would still write), {@code blocked} (an Organizations declarative
   * policy enforces other settings: nothing can be written), {@code unknown} (the settings could
   * not be read). {@code state} is the Region's state now, null when it could not be read.
   */
  public record RegionReport(
      String region,
      String outcome,
      String state,
      String desiredState,
      String managedBy,
      List<ActionReport> actions,
      String blockedBy,
      GateReport gate,
      ImpactReport impact,
      LaunchTemplatesReport launchTemplates,
      ErrorReport error) {

    public static final String IN_SYNC = "in-sync";
    public static final String APPLY = "apply";
    public static final String HELD = "held";
    public static final String BLOCKED = "blocked";
    public static final String UNKNOWN = "unknown";

    public RegionReport {
      actions = List.copyOf(actions);
    }
  }

  /**
   * One write the operator would make, in order. {@code action}: {@code replace-criteria} (with
   * {@code fromCriteria} and {@code toCriteria}) or {@code set-state} (with {@code fromState} and
   * {@code toState}); the fields of the other kind are null.
   */
  public record ActionReport(
      String action,
      String description,
      String fromState,
      String toState,
      List<CriterionReport> fromCriteria,
      List<CriterionReport> toCriteria) {}

  /** One image criterion with the spec's field names; an empty list is a field not set. */
  public record CriterionReport(
      List<String> imageProviders,
      List<String> imageNames,
      List<String> marketplaceProductCodes,
      Integer maximumDaysSinceCreated,
      Integer maximumDaysSinceDeprecated,
      List<WatermarkReport> imageWatermarks) {}

  /** One image-watermark filter of a criterion; null fields are not set. */
  public record WatermarkReport(
      String watermarkKey,
      String sourceImageRegion,
      Integer maximumDaysSinceSourceImageCreated,
      Integer maximumDaysSinceWatermarkCreated) {}

  /**
   * The safe-rollout gate, present when the policy sets {@code rollout.maxBlockedInstances} or
   * {@code rollout.maxBlockedLaunchTemplates} (null when it does not set that one): whether it
   * holds the switch to enabled and why.
   */
  public record GateReport(
      Integer maxBlockedInstances,
      Integer maxBlockedLaunchTemplates,
      boolean held,
      String message) {}

  /**
   * The Region's launch templates judged as the operator judges them: counts over the default and
   * latest versions, the first that would fail or cannot be judged, and why; {@code error} when
   * they could not be read (then the counts are null). Null when the policy does not scan them or
   * the Region could not be read.
   */
  public record LaunchTemplatesReport(
      Integer templates,
      Integer versions,
      Integer wouldFail,
      Integer unknown,
      Integer withoutImage,
      boolean partial,
      List<LaunchTemplateReport> failing,
      int omitted,
      ErrorReport error) {
    public LaunchTemplatesReport {
      failing = List.copyOf(failing);
    }
  }

  /** One launch template version that would fail to launch, or cannot be judged, and why. */
  public record LaunchTemplateReport(
      String id,
      String name,
      long version,
      boolean defaultVersion,
      String image,
      String verdict,
      String reason) {}

  /**
   * What the desired criteria would do to the running (and pending) instances: how many run on
   * images they would not allow or that cannot be judged from the instance metadata, and those
   * images, the most running first; {@code omittedImages} did not fit. Null when the instances
   * could not be read.
   */
  public record ImpactReport(
      int runningNotAllowed, int runningUnknown, List<ImageReport> images, int omittedImages) {
    public ImpactReport {
      images = List.copyOf(images);
    }
  }

  /**
   * One image, its verdict ({@code not-allowed} or {@code unknown}) and its instances; {@code
   * reason} says why a not-allowed image is not allowed, null for unknown ones.
   */
  public record ImageReport(
      String id,
      String name,
      String ownerId,
      String ownerAlias,
      String verdict,
      int instances,
      int running,
      String reason) {}

  /**
   * An AWS error (or a Region blocked by a declarative policy) classified as the operator
   * classifies it: {@code kind} Terminal or Recoverable.
   */
  public record ErrorReport(String code, String kind, String message) {}
}
