package io.allowedami.reconcile;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.GateDecision;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.compliance.RolloutGate;
import io.allowedami.domain.AllowedImagesState;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges one Region: read the settings and the instances, preview the desired criteria locally,
 * decide (pure planner, with the safe-rollout gate), preflight every write with DryRun so that a
 * missing permission never leaves a half-applied plan, write in the planner's order, and read back
 * to confirm. In steady state this is one settings read and the instance pages, and no write.
 *
 * <p>Each step fails on its own: a failed instance read never stops the settings from converging
 * (unless the rollout gate needs it to judge), and a failed read-back after writes still reports
 * what was written. Whatever happens, this returns an outcome; it never throws.
 */
public final class RegionConverger {
  private static final Logger log = LoggerFactory.getLogger(RegionConverger.class);

  /** The Region's settings were written but did not read back as written. */
  static final String NOT_CONVERGED = "NotConverged";

  /** A declarative policy enforces different settings; writing would fail. */
  public static final String MANAGED_BY_DECLARATIVE_POLICY = "ManagedByDeclarativePolicy";

  /**
   * What a Region's convergence needs besides the desired settings.
   *
   * @param wasInSync true when the last status said this Region matched the current generation, so
   *     that any difference found now was made outside the operator
   * @param maxBlockedInstances the safe-rollout limit, null when the policy sets none
   */
  public record Inputs(
      DesiredSettings desired,
      boolean wasInSync,
      Integer maxBlockedInstances,
      String accountId,
      ComplianceAggregator aggregator,
      Instant now) {}

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
    RegionSettings observed;
    try {
      observed = aws.getSettings(region);
    } catch (RuntimeException e) {
      return RegionOutcome.failedBeforeReading(region, classifyAndLog(region, e));
    }
    ComplianceRead read = readCompliance(aws, region, in, observed);

    GateDecision gate = gate(in, read);
    RegionPlan plan = RegionPlanner.plan(in.desired(), observed, gate.held());
    Optional<String> held =
        plan.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE
            ? Optional.of(gate.message())
            : Optional.empty();
    RegionOutcome.Builder outcome =
        RegionOutcome.builder(region, observed, plan)
            .compliance(read.report(), read.failure())
            .rolloutGate(held);
    if (plan.outcome() == RegionPlan.Outcome.BLOCKED_BY_DECLARATIVE_POLICY) {
      return outcome
          .failure(Failure.terminal(MANAGED_BY_DECLARATIVE_POLICY, plan.reason()))
          .build();
    }
    if (!plan.hasWrites()) {
      return outcome.build();
    }

    List<RegionAction> applied = new ArrayList<>();
    try {
      for (RegionAction action : plan.actions()) {
        aws.checkPermission(region, action);
      }
      for (RegionAction action : plan.actions()) {
        aws.apply(region, action);
        applied.add(action);
        log.info("region {}: {}", region, action.describe());
      }
    } catch (RuntimeException e) {
      return outcome
          .observed(afterWrites(observed, applied))
          .applied(applied)
          .failure(classifyAndLog(region, e))
          .build();
    }
    outcome.applied(applied);

    RegionSettings confirmed;
    try {
      confirmed = aws.getSettings(region);
    } catch (RuntimeException e) {
      // The writes were accepted: report the settings as written, and confirm next time.
      return outcome
          .observed(afterWrites(observed, applied))
          .failure(classifyAndLog(region, e))
          .build();
    }
    outcome.observed(confirmed);
    // AWS's verdicts changed with the settings: report what holds now, when it can be read.
    ComplianceRead after = readCompliance(aws, region, in, confirmed);
    if (after.report().isPresent()) {
      outcome.compliance(after.report(), Optional.empty());
    }
    if (RegionPlanner.plan(in.desired(), confirmed, gate.held()).hasWrites()) {
      return outcome
          .failure(
              Failure.recoverable(
                  NOT_CONVERGED, "settings read back differ from what was written; retrying"))
          .build();
    }
    boolean drift = in.wasInSync() && plan.outcome() == RegionPlan.Outcome.APPLY;
    return outcome.driftCorrected(drift).build();
  }

  /**
   * The safe-rollout gate. When it is set and the instances could not be read, it holds: a gate
   * must not release on a guess.
   */
  private static GateDecision gate(Inputs in, ComplianceRead read) {
    if (in.maxBlockedInstances() == null) {
      return new GateDecision(false, "no safe-rollout limit");
    }
    return read.report()
        .map(report -> RolloutGate.decide(in.maxBlockedInstances(), report.preview()))
        .orElseGet(
            () ->
                new GateDecision(
                    true,
                    "switch to enabled held: the running instances could not be read ("
                        + read.failure().map(Failure::code).orElse("unknown")
                        + ")"));
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

  private record ComplianceRead(Optional<ComplianceReport> report, Optional<Failure> failure) {}

  /** Reads every instance and judges it; a failure is reported, never thrown. */
  private static ComplianceRead readCompliance(
      AllowedImagesGateway aws, String region, Inputs in, RegionSettings settings) {
    try {
      return new ComplianceRead(
          Optional.of(compliance(aws, region, in, settings)), Optional.empty());
    } catch (RuntimeException e) {
      return new ComplianceRead(Optional.empty(), Optional.of(classifyAndLog(region, e)));
    }
  }

  /**
   * Reads every instance and judges it against the desired criteria (or, unmanaged, those in
   * force).
   */
  private static ComplianceReport compliance(
      AllowedImagesGateway aws, String region, Inputs in, RegionSettings settings) {
    var desiredCriteria = in.desired().criteria().orElse(settings.criteria());
    boolean inForce =
        desiredCriteria.equals(settings.criteria())
            && settings.state() != AllowedImagesState.DISABLED;
    return in.aggregator()
        .aggregate(
            region,
            aws.describeInstanceImages(region),
            new PreviewBasis(desiredCriteria, inForce, in.accountId(), in.now()));
  }

  /** Classifies once; an error that is not AWS's (a bug) is logged with its stack, once. */
  private static Failure classifyAndLog(String region, RuntimeException e) {
    Failure failure = AwsErrorClassifier.classify(e);
    if (failure.code().equals(AwsErrorClassifier.INTERNAL_ERROR)) {
      log.error("region {}: unexpected error", region, e);
    } else {
      log.debug("region {}: {} ({})", region, failure.code(), failure.kind());
    }
    return failure;
  }
}
