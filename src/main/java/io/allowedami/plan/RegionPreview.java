package io.allowedami.plan;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.GateDecision;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateInventory;
import io.allowedami.compliance.LaunchTemplateJudge;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.compliance.RolloutGate;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import io.allowedami.plan.PlanReport.ActionReport;
import io.allowedami.plan.PlanReport.CriterionReport;
import io.allowedami.plan.PlanReport.ErrorReport;
import io.allowedami.plan.PlanReport.GateReport;
import io.allowedami.plan.PlanReport.ImageReport;
import io.allowedami.plan.PlanReport.ImpactReport;
import io.allowedami.plan.PlanReport.LaunchTemplatesReport;
import io.allowedami.plan.PlanReport.RegionReport;
import io.allowedami.plan.PlanReport.WatermarkReport;
import io.allowedami.reconcile.Messages;
import io.allowedami.reconcile.RegionConverger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans one Region without writing: the reading half of {@link RegionConverger} (settings,
 * instances, the impact preview, the safe-rollout gate, the pure {@link RegionPlanner}), reported
 * instead of applied. Like the converger, it never throws: every failure is in the report.
 */
final class RegionPreview {
  private static final Logger log = LoggerFactory.getLogger(RegionPreview.class);

  static final String NOT_ALLOWED = "not-allowed";
  static final String UNKNOWN = "unknown";

  /**
   * What a Region's plan needs besides the gateway.
   *
   * @param maxBlockedInstances the safe-rollout limit, null when the policy sets none
   * @param scanLaunchTemplates whether the policy reads launch templates, as the operator would
   * @param maxBlockedLaunchTemplates the safe-rollout limit on launch templates, null when none
   */
  record Inputs(
      DesiredSettings desired,
      Integer maxBlockedInstances,
      String accountId,
      ComplianceAggregator aggregator,
      Instant now,
      boolean scanLaunchTemplates,
      Integer maxBlockedLaunchTemplates) {}

  /** Launch template versions a Region's plan lists; the counts cover all. */
  static final int LAUNCH_TEMPLATES_LISTED = 10;

  /**
   * A Region's report, and the instances it read for it (null when they could not be read; then
   * {@code instancesFailure} says why) and its launch templates (null when the Region could not be
   * read), which the criteria proposal fits.
   */
  record Result(
      RegionReport report,
      List<InstanceImage> instances,
      Failure instancesFailure,
      ImagesInUse.Templates templates) {}

  private RegionPreview() {}

  static Result preview(AllowedImagesGateway aws, String region, Inputs in) {
    try {
      return previewOrThrow(aws, region, in);
    } catch (RuntimeException e) {
      Failure failure = classify(region, e);
      return new Result(unread(region, in.desired(), failure), null, failure, null);
    }
  }

  /** A Region whose settings could not be read: nothing is known but the failure. */
  static RegionReport unread(String region, DesiredSettings desired, Failure failure) {
    return new RegionReport(
        region,
        RegionReport.UNKNOWN,
        null,
        desired.state().wireValue(),
        null,
        List.of(),
        null,
        null,
        null,
        null,
        error(failure));
  }

  private static Result previewOrThrow(AllowedImagesGateway aws, String region, Inputs in) {
    RegionSettings observed;
    try {
      observed = aws.getSettings(region);
    } catch (RuntimeException e) {
      Failure failure = classify(region, e);
      return new Result(unread(region, in.desired(), failure), null, failure, null);
    }
    // Read for the criteria proposal whatever the policy says; judged only when it scans them.
    ImagesInUse.Templates templates = ImagesInUse.readTemplates(aws, region);
    List<InstanceImage> instances = null;
    Optional<ComplianceReport> compliance;
    Optional<Failure> complianceFailure;
    try {
      // plan keeps the Region's instances: it proposes criteria from the images they use.
      List<InstanceImage> read = new ArrayList<>();
      aws.describeInstanceImages(region, read::addAll);
      instances = read;
      compliance = Optional.of(compliance(instances, region, in, observed));
      complianceFailure = Optional.empty();
    } catch (RuntimeException e) {
      compliance = Optional.empty();
      complianceFailure = Optional.of(classify(region, e));
    }
    PreviewBasis basis = PreviewBasis.of(in.desired(), observed, in.accountId(), in.now());
    Optional<LaunchTemplateReport> judged =
        in.scanLaunchTemplates() ? judge(templates, basis, in.now()) : Optional.empty();
    GateDecision gate =
        RolloutGate.both(
            gate(in, compliance, complianceFailure),
            RolloutGate.decideLaunchTemplates(
                in.maxBlockedLaunchTemplates(),
                judged,
                templates.failure() == null ? "not read" : templates.failure().code()));
    RegionPlan plan = RegionPlanner.plan(in.desired(), observed, gate.held());

    Failure failure = complianceFailure.orElse(null);
    String blockedBy = null;
    if (plan.outcome() == RegionPlan.Outcome.BLOCKED_BY_DECLARATIVE_POLICY) {
      blockedBy = ManagedBy.DECLARATIVE_POLICY.wireValue();
      // As the operator reports it: terminal, nothing can change until the policy does.
      failure = Failure.terminal(RegionConverger.MANAGED_BY_DECLARATIVE_POLICY, plan.reason());
    }
    RegionReport report =
        new RegionReport(
            region,
            outcome(plan),
            observed.state().wireValue(),
            in.desired().state().wireValue(),
            observed.managedBy().wireValue(),
            plan.actions().stream().map(action -> action(action, observed)).toList(),
            blockedBy,
            gateReport(in, observed, plan, gate),
            compliance.map(RegionPreview::impact).orElse(null),
            in.scanLaunchTemplates() ? launchTemplates(judged, templates) : null,
            failure == null ? null : error(failure));
    return new Result(
        report,
        compliance.isPresent() ? instances : null,
        complianceFailure.orElse(null),
        templates);
  }

  /** The same criteria and basis as the operator's preview: what {@code enabled} would judge. */
  private static ComplianceReport compliance(
      List<InstanceImage> instances, String region, Inputs in, RegionSettings settings) {
    return in.aggregator()
        .aggregate(
            region, instances, PreviewBasis.of(in.desired(), settings, in.accountId(), in.now()));
  }

  /** The operator's gate: it holds when it is set and the instances could not be read. */
  private static GateDecision gate(
      Inputs in, Optional<ComplianceReport> compliance, Optional<Failure> failure) {
    return RolloutGate.decide(
        in.maxBlockedInstances(),
        compliance.map(ComplianceReport::preview),
        failure.map(Failure::code).orElse("unknown"));
  }

  /**
   * The templates judged as the operator judges a fresh scan: AWS's verdicts count when the desired
   * criteria are in force, since the settings were read with them. Empty when a read failed.
   */
  private static Optional<LaunchTemplateReport> judge(
      ImagesInUse.Templates templates, PreviewBasis basis, Instant now) {
    if (templates.versions() == null || templates.images() == null) {
      return Optional.empty();
    }
    LaunchTemplateInventory inventory =
        new LaunchTemplateInventory(
            templates.versions(), templates.images(), templates.truncated(), now);
    return Optional.of(
        LaunchTemplateJudge.judge(
            inventory, basis, basis.desiredCriteriaInForce(), LAUNCH_TEMPLATES_LISTED));
  }

  private static LaunchTemplatesReport launchTemplates(
      Optional<LaunchTemplateReport> judged, ImagesInUse.Templates templates) {
    if (judged.isEmpty()) {
      return new LaunchTemplatesReport(
          null,
          null,
          null,
          null,
          null,
          false,
          List.of(),
          0,
          templates.failure() == null ? null : error(templates.failure()));
    }
    LaunchTemplateReport report = judged.get();
    return new LaunchTemplatesReport(
        report.templates(),
        report.versions(),
        report.wouldFail(),
        report.unknown(),
        report.withoutImage(),
        report.truncated(),
        report.entries().stream()
            .map(
                e ->
                    new PlanReport.LaunchTemplateReport(
                        e.templateId(),
                        e.templateName(),
                        e.version(),
                        e.defaultVersion(),
                        e.image(),
                        switch (e.outcome()) {
                          case NOT_ALLOWED -> NOT_ALLOWED;
                          case IMAGE_NOT_FOUND -> "image-not-found";
                          case UNKNOWN -> UNKNOWN;
                        },
                        e.reason()))
            .toList(),
        report.omitted(),
        null);
  }

  private static GateReport gateReport(
      Inputs in, RegionSettings observed, RegionPlan plan, GateDecision gate) {
    if (in.maxBlockedInstances() == null && in.maxBlockedLaunchTemplates() == null) {
      return null;
    }
    boolean switchPending =
        in.desired().state() == AllowedImagesState.ENABLED
            && observed.state() != AllowedImagesState.ENABLED;
    return new GateReport(
        in.maxBlockedInstances(),
        in.maxBlockedLaunchTemplates(),
        plan.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE,
        switchPending ? gate.message() : "not consulted: no switch to enabled is pending");
  }

  private static String outcome(RegionPlan plan) {
    return switch (plan.outcome()) {
      case IN_SYNC -> RegionReport.IN_SYNC;
      case APPLY -> RegionReport.APPLY;
      case HELD_BY_ROLLOUT_GATE -> RegionReport.HELD;
      case BLOCKED_BY_DECLARATIVE_POLICY -> RegionReport.BLOCKED;
    };
  }

  private static ActionReport action(RegionAction action, RegionSettings observed) {
    if (action instanceof RegionAction.ReplaceCriteria replace) {
      return new ActionReport(
          "replace-criteria",
          "replace criteria: " + CriteriaText.summary(replace.criteria()),
          null,
          null,
          criteria(observed.criteria()),
          criteria(replace.criteria()));
    }
    RegionAction.SetState set = (RegionAction.SetState) action;
    return new ActionReport(
        "set-state",
        "set state " + observed.state().wireValue() + " -> " + set.state().wireValue(),
        observed.state().wireValue(),
        set.state().wireValue(),
        null,
        null);
  }

  static List<CriterionReport> criteria(ImageCriteria criteria) {
    return criteria.criteria().stream()
        .map(
            c ->
                new CriterionReport(
                    c.imageProviders(),
                    c.imageNames(),
                    c.marketplaceProductCodes(),
                    c.maximumDaysSinceCreated(),
                    c.maximumDaysSinceDeprecated(),
                    c.imageWatermarks().stream()
                        .map(
                            w ->
                                new WatermarkReport(
                                    w.watermarkKey(),
                                    w.sourceImageRegion(),
                                    w.maximumDaysSinceSourceImageCreated(),
                                    w.maximumDaysSinceWatermarkCreated()))
                        .toList()))
        .toList();
  }

  /**
   * Images the desired criteria would not allow, then those they cannot judge, most running first.
   */
  private static ImpactReport impact(ComplianceReport report) {
    ComplianceReport.Preview preview = report.preview();
    List<ImageReport> images =
        Stream.concat(
                preview.notAllowedImages().images().stream().map(i -> image(i, NOT_ALLOWED)),
                preview.unknownImages().images().stream().map(i -> image(i, UNKNOWN)))
            .sorted(
                Comparator.comparingInt(ImageReport::running)
                    .reversed()
                    .thenComparing(Comparator.comparingInt(ImageReport::instances).reversed())
                    .thenComparing(ImageReport::id))
            .toList();
    return new ImpactReport(
        preview.runningNotAllowed(),
        preview.runningUnknown(),
        images,
        preview.notAllowedImages().omittedImages() + preview.unknownImages().omittedImages());
  }

  private static ImageReport image(ImageCount image, String verdict) {
    return new ImageReport(
        image.id(),
        image.name(),
        image.ownerId(),
        image.ownerAlias(),
        verdict,
        image.instances(),
        image.running(),
        image.reason());
  }

  static ErrorReport error(Failure failure) {
    return new ErrorReport(
        failure.code(), failure.kind().displayName(), Messages.bounded(failure.message()));
  }

  /** Classifies once; an error that is not AWS's (a bug) is logged with its stack. */
  private static Failure classify(String region, RuntimeException e) {
    Failure failure = AwsErrorClassifier.classify(e);
    if (failure.code().equals(AwsErrorClassifier.INTERNAL_ERROR)) {
      log.error("region {}: unexpected error", region, e);
    }
    return failure;
  }
}
