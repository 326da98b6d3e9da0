package io.allowedami.reconcile;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges one Region: read, decide (pure planner), preflight every write with DryRun so that a
 * missing permission never leaves a half-applied plan, write in the planner's order, and read back
 * to confirm. In steady state this is a single read.
 */
public final class RegionConverger {
  private static final Logger log = LoggerFactory.getLogger(RegionConverger.class);

  /** The Region's settings were written but did not read back as written. */
  static final String NOT_CONVERGED = "NotConverged";

  /** A declarative policy enforces different settings; writing would fail. */
  public static final String MANAGED_BY_DECLARATIVE_POLICY = "ManagedByDeclarativePolicy";

  private RegionConverger() {}

  /**
   * @param wasInSync true when the last status said this Region matched the current generation, so
   *     that any difference found now was made outside the operator
   * @param enableHeld true when the safe-rollout gate forbids switching to enabled now
   */
  public static RegionOutcome converge(
      AllowedImagesGateway aws, String region, DesiredSettings desired, boolean wasInSync, boolean enableHeld) {
    RegionSettings observed;
    try {
      observed = aws.getSettings(region);
    } catch (RuntimeException e) {
      return failed(region, Optional.empty(), Optional.empty(), List.of(), AwsErrorClassifier.classify(e));
    }
    RegionPlan plan = RegionPlanner.plan(desired, observed, enableHeld);
    if (plan.outcome() == RegionPlan.Outcome.BLOCKED_BY_DECLARATIVE_POLICY) {
      return failed(region, Optional.of(observed), Optional.of(plan), List.of(),
          Failure.terminal(MANAGED_BY_DECLARATIVE_POLICY, plan.reason()));
    }
    if (!plan.hasWrites()) {
      return new RegionOutcome(region, Optional.of(observed), Optional.of(plan), List.of(), false, Optional.empty());
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
      RegionPlan remaining = RegionPlanner.plan(desired, confirmed, enableHeld);
      if (remaining.hasWrites()) {
        return failed(region, Optional.of(confirmed), Optional.of(plan), applied,
            Failure.recoverable(NOT_CONVERGED, "settings read back differ from what was written; retrying"));
      }
      boolean drift = wasInSync && plan.outcome() == RegionPlan.Outcome.APPLY;
      return new RegionOutcome(region, Optional.of(confirmed), Optional.of(plan), applied, drift, Optional.empty());
    } catch (RuntimeException e) {
      return failed(region, Optional.of(observed), Optional.of(plan), applied, AwsErrorClassifier.classify(e));
    }
  }

  private static RegionOutcome failed(
      String region, Optional<RegionSettings> observed, Optional<RegionPlan> plan, List<RegionAction> applied,
      Failure failure) {
    return new RegionOutcome(region, observed, plan, applied, false, Optional.of(failure));
  }
}
