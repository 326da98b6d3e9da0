package io.allowedami.plan;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.plan.PlanReport.PolicyReport;
import io.allowedami.plan.PlanReport.RegionReport;
import io.allowedami.reconcile.RegionScope;
import io.allowedami.reconcile.SpecMapper;
import io.allowedami.reconcile.SpecValidator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What {@code plan} does for a set of policies: validate each as the operator does (an invalid one
 * makes no AWS call), then read every Region of the valid ones, in parallel, through a read-only
 * gateway, and decide with the operator's own planner and rollout gate.
 */
public final class Planner {
  /** More images than status shows: a CI log has room, and a reviewer wants the whole picture. */
  static final ReportLimits LIMITS = new ReportLimits(5, 0, 0, 128);

  private final AllowedImagesGatewayFactory gateways;
  private final int regionConcurrency;
  private final Clock clock;

  public Planner(AllowedImagesGatewayFactory gateways, int regionConcurrency, Clock clock) {
    if (regionConcurrency < 1) {
      throw new IllegalArgumentException("region concurrency must be at least 1");
    }
    this.gateways = gateways;
    this.regionConcurrency = regionConcurrency;
    this.clock = clock;
  }

  public PlanReport plan(List<PolicyDocument> documents) {
    ExecutorService executor = Executors.newFixedThreadPool(regionConcurrency, Planner::thread);
    try {
      List<PolicyReport> policies = new ArrayList<>();
      for (PolicyDocument document : documents) {
        policies.add(plan(document, executor));
      }
      return PlanReport.of(policies);
    } finally {
      executor.shutdownNow();
    }
  }

  private PolicyReport plan(PolicyDocument document, ExecutorService executor) {
    AllowedAmiPolicySpec spec = document.spec();
    List<String> problems = new ArrayList<>(document.problems());
    if (spec != null || problems.isEmpty()) {
      // The operator's messages, word for word: what status would say once merged.
      problems.addAll(SpecValidator.validate(spec, gateways::isKnownRegion));
    }
    String assumeRole =
        spec == null || spec.getAssumeRole() == null ? null : spec.getAssumeRole().getRoleArn();
    if (!problems.isEmpty()) {
      return new PolicyReport(
          document.name(), document.source(), null, assumeRole, problems, List.of(), null);
    }

    DesiredSettings desired = SpecMapper.desired(spec);
    AllowedImagesGateway aws =
        new ReadOnlyGateway(gateways.forAccount(SpecMapper.accountTarget(spec)));
    String accountId;
    try {
      accountId = aws.accountId();
    } catch (RuntimeException e) {
      // The account cannot be reached: every Region fails alike, as in the operator's status.
      Failure failure = AwsErrorClassifier.classify(e);
      List<RegionReport> regions =
          spec.getRegions().stream().map(r -> RegionPreview.unread(r, desired, failure)).toList();
      return new PolicyReport(
          document.name(), document.source(), null, assumeRole, List.of(), regions, null);
    }

    RegionPreview.Inputs inputs =
        new RegionPreview.Inputs(
            desired,
            spec.getRollout() == null ? null : spec.getRollout().getMaxBlockedInstances(),
            accountId,
            new ComplianceAggregator(LIMITS),
            Instant.now(clock),
            SpecMapper.launchTemplateScanInterval(spec).isPresent(),
            spec.getRollout() == null ? null : spec.getRollout().getMaxBlockedLaunchTemplates());
    List<String> planned = spec.getRegions();
    if (spec.isAllRegions()) {
      // '*': the Regions enabled for the account now, as the operator resolves them.
      RegionScope.Resolved scope;
      try {
        scope = RegionScope.scope(spec, Optional.of(aws.describeRegions()), Optional.empty());
      } catch (RuntimeException e) {
        Failure failure = AwsErrorClassifier.classify(e);
        return new PolicyReport(
            document.name(),
            document.source(),
            accountId,
            assumeRole,
            List.of(),
            List.of(RegionPreview.unread(RegionScope.ALL, desired, failure)),
            null);
      }
      planned = scope.toConverge();
    }
    List<CompletableFuture<RegionRead>> futures =
        planned.stream()
            .map(region -> CompletableFuture.supplyAsync(() -> read(aws, region, inputs), executor))
            .toList();
    List<RegionRead> read = futures.stream().map(CompletableFuture::join).toList();
    return new PolicyReport(
        document.name(),
        document.source(),
        accountId,
        assumeRole,
        List.of(),
        read.stream().map(RegionRead::report).toList(),
        ImagesInUse.propose(read.stream().map(RegionRead::images).toList(), accountId));
  }

  /** A Region's plan, and the images it uses for the criteria proposal. */
  private record RegionRead(RegionReport report, ImagesInUse.RegionImages images) {}

  /** A Region's plan, with its instances and launch templates for the proposal. */
  private static RegionRead read(AllowedImagesGateway aws, String region, RegionPreview.Inputs in) {
    RegionPreview.Result result = RegionPreview.preview(aws, region, in);
    return new RegionRead(
        result.report(),
        new ImagesInUse.RegionImages(
            region, result.instances(), result.instancesFailure(), result.templates()));
  }

  private static Thread thread(Runnable task) {
    Thread thread = new Thread(task, "plan-region");
    thread.setDaemon(true);
    return thread;
  }
}
