package io.allowedami.domain;

import io.allowedami.domain.RegionAction.ReplaceCriteria;
import io.allowedami.domain.RegionAction.SetState;
import io.allowedami.domain.RegionPlan.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what must change in one Region: a pure function of the desired and observed settings, so
 * that every case is unit-tested without a server.
 *
 * <p>Ordering rule: the Region must never run, even briefly, with a state that enforces more than
 * the spec asks combined with criteria the spec does not ask for. So when the desired state
 * enforces at least as much as the current one (towards {@code enabled}), criteria go first; when
 * it enforces less (towards {@code disabled}), the state goes first.
 */
public final class RegionPlanner {

  private RegionPlanner() {}

  /**
   * @param enableHeld true when the safe-rollout gate forbids switching to {@code enabled} now; the
   *     criteria are still applied so that audit data reflects them
   */
  public static RegionPlan plan(
      DesiredSettings desired, RegionSettings observed, boolean enableHeld) {
    boolean criteriaDiffer =
        desired.criteria().map(wanted -> !wanted.equals(observed.criteria())).orElse(false);
    boolean stateDiffers = desired.state() != observed.state();

    if (!criteriaDiffer && !stateDiffers) {
      return RegionPlan.inSync();
    }
    if (observed.managedBy() == ManagedBy.DECLARATIVE_POLICY) {
      return new RegionPlan(
          Outcome.BLOCKED_BY_DECLARATIVE_POLICY,
          List.of(),
          "an Organizations declarative policy enforces this Region's settings ("
              + observed.state().wireValue()
              + "), which differ from the spec; the operator will not write to it",
          !criteriaDiffer);
    }

    boolean holdEnable =
        stateDiffers && desired.state() == AllowedImagesState.ENABLED && enableHeld;
    List<RegionAction> actions = new ArrayList<>(2);
    RegionAction stateChange = new SetState(desired.state());
    boolean loosening = observed.state().enforcesMoreThan(desired.state());
    if (stateDiffers && loosening) {
      actions.add(stateChange);
    }
    if (criteriaDiffer) {
      actions.add(new ReplaceCriteria(desired.criteria().orElseThrow()));
    }
    if (stateDiffers && !loosening && !holdEnable) {
      actions.add(stateChange);
    }

    if (holdEnable) {
      return new RegionPlan(
          Outcome.HELD_BY_ROLLOUT_GATE,
          actions,
          "switch to enabled held by the safe-rollout gate",
          !criteriaDiffer);
    }
    return new RegionPlan(Outcome.APPLY, actions, "settings differ from the spec", !criteriaDiffer);
  }

  public static RegionPlan plan(DesiredSettings desired, RegionSettings observed) {
    return plan(desired, observed, false);
  }
}
