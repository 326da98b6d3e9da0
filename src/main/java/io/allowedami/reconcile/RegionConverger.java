package io.allowedami.reconcile;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.GateDecision;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.compliance.RolloutGate;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges one Region on the shortest chain of dependent calls: read the settings, the instances
 * and (when due) the launch templates together, with the DryRun checks of the writes beside them
 * when the Region is not known to be in sync ({@link PermissionChecks}); preview the desired
 * criteria and decide (pure planner, with the safe-rollout gate); write in the planner's order only
 * once every DryRun of the plan passed, so that a missing permission never leaves a half-applied
 * plan. That is three round trips when both writes are needed; the instance scan is waited for
 * before the writes only when a rollout gate needs it. In steady state: one settings read beside
 * the instance pages, no DryRun and no write.
 *
 * <p>Each step fails on its own: a failed instance read never stops the settings from converging
 * (unless the rollout gate needs it to judge), and a write that fails after another succeeded still
 * reports what was written. Whatever happens, this returns an outcome; it never throws.
 */
public final class RegionConverger {
  private static final Logger log = LoggerFactory.getLogger(RegionConverger.class);

  /** A declarative policy enforces different settings; writing would fail. */
  public static final String MANAGED_BY_DECLARATIVE_POLICY = "ManagedByDeclarativePolicy";

  /**
   * What a Region's convergence needs besides the desired settings.
   *
   * @param wasInSync true when the last status said this Region matched the current generation, so
   *     that any difference found now was made outside the operator
   * @param maxBlockedInstances the safe-rollout limit, null when the policy sets none
   * @param withheld why no write may be made (observe-only, suspended), when none may
   * @param launchTemplates the policy's launch template scans, empty when it does not scan them
   * @param maxBlockedLaunchTemplates the safe-rollout limit on launch templates, null when none
   * @param writesExpected true when the Region is not known to be in sync nor known to be beyond
   *     the operator's writes (a declarative policy, a rollout gate holding): the DryRun checks of
   *     its writes are then sent beside the settings read
   */
  public record Inputs(
      DesiredSettings desired,
      boolean wasInSync,
      Integer maxBlockedInstances,
      CompletableFuture<String> accountId,
      ComplianceAggregator aggregator,
      Instant now,
      Executor calls,
      Optional<String> withheld,
      Optional<LaunchTemplateScan.Policy> launchTemplates,
      Integer maxBlockedLaunchTemplates,
      boolean writesExpected) {

    /**
     * Inputs of a policy that writes and scans no launch templates; writes are expected whenever
     * the Region was not in sync.
     */
    public Inputs(
        DesiredSettings desired,
        boolean wasInSync,
        Integer maxBlockedInstances,
        CompletableFuture<String> accountId,
        ComplianceAggregator aggregator,
        Instant now,
        Executor calls) {
      this(
          desired,
          wasInSync,
          maxBlockedInstances,
          accountId,
          aggregator,
          now,
          calls,
          Optional.empty(),
          Optional.empty(),
          null,
          !wasInSync);
    }

    /** Inputs whose account ID is already known, with calls made on {@code calls}. */
    public static Inputs of(
        DesiredSettings desired,
        boolean wasInSync,
        Integer maxBlockedInstances,
        String accountId,
        ComplianceAggregator aggregator,
        Instant now,
        Executor calls) {
      return new Inputs(
          desired,
          wasInSync,
          maxBlockedInstances,
          CompletableFuture.completedFuture(accountId),
          aggregator,
          now,
          calls);
    }
  }

  private RegionConverger() {}

  /** Converges one Region; never throws: every failure is in the outcome. */
  public static RegionOutcome converge(AllowedImagesGateway aws, String region, Inputs in) {
    try {
      return convergeOrThrow(aws, region, in);
    } catch (RuntimeException e) {
      // Only a bug gets here: every AWS call below has its failure handled where it happens.
      return RegionOutcome.failedBeforeReading(region, classifyAndLog(region, e));
    }
  }

  private static RegionOutcome convergeOrThrow(AllowedImagesGateway aws, String region, Inputs in) {
    // The settings, the instances and the launch templates are independent reads: issue them
    // together. The instance pages are judged against criteria that may depend on the settings:
    // the scan waits for them at its first page, so it never holds more than a page.
    CompletableFuture<RegionSettings> settings = new CompletableFuture<>();
    CompletableFuture<PreviewBasis> basis =
        settings.thenCombine(
            in.accountId(),
            (read, accountId) -> PreviewBasis.of(in.desired(), read, accountId, in.now()));
    InstanceScan instances = InstanceScan.start(aws, region, in.aggregator(), basis, in.calls());
    Optional<LaunchTemplateScan.Policy.Pending> templates =
        in.launchTemplates().map(scanner -> scanner.start(region));
    PermissionChecks checks = permissionChecks(aws, region, in);
    RegionSettings observed;
    try {
      observed = aws.getSettings(region);
    } catch (RuntimeException e) {
      // The scan stops at its next page: without settings there is nothing to judge against.
      // The launch templates read meanwhile are kept for the next reconcile to judge.
      settings.completeExceptionally(e);
      templates.ifPresent(LaunchTemplateScan.Policy.Pending::keepWhenRead);
      return RegionOutcome.failedBeforeReading(region, classifyAndLog(region, e));
    }
    settings.complete(observed);
    // The instances and the launch templates are waited for before deciding only when a rollout
    // gate needs them; otherwise they are joined after the writes, off the Region's critical path.
    // Either way they are judged against the settings read before any write.
    Optional<InstanceScan.Read> instancesForGate =
        in.maxBlockedInstances() == null ? Optional.empty() : Optional.of(instances.join());
    Optional<LaunchTemplateScan.Result> templatesForGate =
        in.maxBlockedLaunchTemplates() == null
            ? Optional.empty()
            : Optional.of(judgeTemplates(region, templates, in, observed));
    RegionOutcome.Builder outcome =
        settle(aws, region, in, observed, checks, instancesForGate, templatesForGate);
    InstanceScan.Read read = instancesForGate.orElseGet(instances::join);
    return outcome
        .compliance(read.report(), read.failure())
        .launchTemplates(
            templatesForGate.orElseGet(() -> judgeTemplates(region, templates, in, observed)))
        .build();
  }

  /**
   * The DryRun checks are sent beside the settings read when writes are expected. In steady state
   * none is sent, and none ever when writes are withheld.
   */
  private static PermissionChecks permissionChecks(
      AllowedImagesGateway aws, String region, Inputs in) {
    return in.withheld().isEmpty() && in.writesExpected()
        ? PermissionChecks.ahead(aws, region, in.desired(), in.calls())
        : PermissionChecks.onDemand(aws, region, in.calls());
  }

  /** Plans against the settings read and makes the writes; the outcome so far. */
  private static RegionOutcome.Builder settle(
      AllowedImagesGateway aws,
      String region,
      Inputs in,
      RegionSettings observed,
      PermissionChecks checks,
      Optional<InstanceScan.Read> instances,
      Optional<LaunchTemplateScan.Result> templates) {
    GateDecision gate = gate(in, instances, templates);
    RegionPlan plan = RegionPlanner.plan(in.desired(), observed, gate.held());
    Optional<String> held =
        plan.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE
            ? Optional.of(gate.message())
            : Optional.empty();
    RegionOutcome.Builder outcome = RegionOutcome.builder(region, observed, plan).rolloutGate(held);
    if (plan.outcome() == RegionPlan.Outcome.BLOCKED_BY_DECLARATIVE_POLICY) {
      return outcome
          .failure(Failure.terminal(MANAGED_BY_DECLARATIVE_POLICY, plan.reason()))
          .pendingChanges(PendingChanges.blockedByDeclarativePolicy(in.desired(), observed));
    }
    if (!plan.hasWrites()) {
      return outcome;
    }
    // Observe-only or suspended: report what would be written; not even a DryRun is sent.
    if (in.withheld().isPresent()) {
      return outcome.pendingChanges(
          PendingChanges.withheld(in.withheld().get(), plan.actions(), observed));
    }

    // Every write is checked with DryRun first: a missing permission for any of them leaves the
    // Region untouched rather than half applied.
    Optional<Failure> denied = checks.firstDenial(plan.actions());
    if (denied.isPresent()) {
      return outcome.failure(denied.get());
    }
    // The writes themselves are ordered (criteria before a switch towards enabled). A write AWS
    // accepted is in force: the settings are reported as written, and the next reconcile, which
    // comes soon after writes, reads them back with AWS's new verdicts on the instances.
    List<RegionAction> applied = new ArrayList<>();
    try {
      for (RegionAction action : plan.actions()) {
        aws.apply(region, action);
        applied.add(action);
        log.info("region {}: {}", region, action.describe());
      }
    } catch (RuntimeException e) {
      return outcome
          .observed(afterWrites(observed, applied))
          .applied(applied)
          .failure(classifyAndLog(region, e));
    }
    boolean drift = in.wasInSync() && plan.outcome() == RegionPlan.Outcome.APPLY;
    return outcome.observed(afterWrites(observed, applied)).applied(applied).driftCorrected(drift);
  }

  /**
   * Judges the launch templates against the settings read before any write, as the instance preview
   * is; never throws.
   */
  private static LaunchTemplateScan.Result judgeTemplates(
      String region,
      Optional<LaunchTemplateScan.Policy.Pending> templates,
      Inputs in,
      RegionSettings observed) {
    if (templates.isEmpty()) {
      return LaunchTemplateScan.Result.NOT_SCANNED;
    }
    try {
      String accountId = join(in.accountId());
      return templates
          .get()
          .judge(observed, PreviewBasis.of(in.desired(), observed, accountId, in.now()));
    } catch (RuntimeException e) {
      return new LaunchTemplateScan.Result(
          Optional.empty(), Optional.of(classifyAndLog(region, e)));
    }
  }

  /**
   * The safe-rollout gates on instances and on launch templates; each holds when it is set and what
   * it judges could not be read.
   */
  private static GateDecision gate(
      Inputs in, Optional<InstanceScan.Read> read, Optional<LaunchTemplateScan.Result> templates) {
    GateDecision instances =
        RolloutGate.decide(
            in.maxBlockedInstances(),
            read.flatMap(InstanceScan.Read::report).map(ComplianceReport::preview),
            read.flatMap(InstanceScan.Read::failure).map(Failure::code).orElse("unknown"));
    GateDecision launchTemplates =
        RolloutGate.decideLaunchTemplates(
            in.maxBlockedLaunchTemplates(),
            templates.flatMap(LaunchTemplateScan.Result::report),
            templates
                .flatMap(LaunchTemplateScan.Result::failure)
                .map(Failure::code)
                .orElse("not read"));
    return RolloutGate.both(instances, launchTemplates);
  }

  /** The settings as they are once {@code applied} succeeded, when they cannot be read back. */
  static RegionSettings afterWrites(RegionSettings before, List<RegionAction> applied) {
    RegionSettings settings = before;
    for (RegionAction action : applied) {
      if (action instanceof RegionAction.ReplaceCriteria replace) {
        settings = new RegionSettings(settings.state(), replace.criteria(), settings.managedBy());
      } else if (action instanceof RegionAction.SetState set) {
        settings = new RegionSettings(set.state(), settings.criteria(), settings.managedBy());
      }
    }
    return settings;
  }

  /** The value of a finished call, or the exception it threw (not wrapped). */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** Classifies once; an error that is not AWS's (a bug) is logged with its stack, once. */
  static Failure classifyAndLog(String region, RuntimeException e) {
    Failure failure = AwsErrorClassifier.classify(e);
    if (failure.code().equals(AwsErrorClassifier.INTERNAL_ERROR)) {
      log.error("region {}: unexpected error", region, e);
    } else {
      log.debug("region {}: {} ({})", region, failure.code(), failure.kind());
    }
    return failure;
  }
}
