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

  public static RegionOutcome converge(AllowedImagesGateway aws, String region, Inputs in) {
    RegionSettings observed;
    ComplianceReport report;
    try {
      observed = aws.getSettings(region);
      report = compliance(aws, region, in, observed);
    } catch (RuntimeException e) {
      return RegionOutcome.failedBeforeReading(region, AwsErrorClassifier.classify(e));
    }

    GateDecision gate =
        in.maxBlockedInstances() == null
            ? new GateDecision(false, "no safe-rollout limit")
            : RolloutGate.decide(in.maxBlockedInstances(), report.preview());
    RegionPlan plan = RegionPlanner.plan(in.desired(), observed, gate.held());
    Optional<String> held =
        plan.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE
            ? Optional.of(gate.message())
            : Optional.empty();
    if (plan.outcome() == RegionPlan.Outcome.BLOCKED_BY_DECLARATIVE_POLICY) {
      return new RegionOutcome(
          region,
          Optional.of(observed),
          Optional.of(plan),
          List.of(),
          false,
          Optional.of(Failure.terminal(MANAGED_BY_DECLARATIVE_POLICY, plan.reason())),
          Optional.of(report),
          held);
    }
    if (!plan.hasWrites()) {
      return new RegionOutcome(
          region,
          Optional.of(observed),
          Optional.of(plan),
          List.of(),
          false,
          Optional.empty(),
          Optional.of(report),
          held);
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
      RegionSettings confirmed = aws.getSettings(region);
      // AWS's verdicts changed with the settings: report what holds now.
      ComplianceReport after = compliance(aws, region, in, confirmed);
      if (RegionPlanner.plan(in.desired(), confirmed, gate.held()).hasWrites()) {
        return new RegionOutcome(
            region,
            Optional.of(confirmed),
            Optional.of(plan),
            applied,
            false,
            Optional.of(
                Failure.recoverable(
                    NOT_CONVERGED, "settings read back differ from what was written; retrying")),
            Optional.of(after),
            held);
      }
      boolean drift = in.wasInSync() && plan.outcome() == RegionPlan.Outcome.APPLY;
      return new RegionOutcome(
          region,
          Optional.of(confirmed),
          Optional.of(plan),
          applied,
          drift,
          Optional.empty(),
          Optional.of(after),
          held);
    } catch (RuntimeException e) {
      return new RegionOutcome(
          region,
          Optional.of(observed),
          Optional.of(plan),
          applied,
          false,
          Optional.of(AwsErrorClassifier.classify(e)),
          Optional.of(report),
          held);
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
}
