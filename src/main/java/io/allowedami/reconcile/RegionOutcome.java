package io.allowedami.reconcile;

import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionSettings;
import java.util.List;
import java.util.Optional;

/**
 * What happened in one Region during one reconcile.
 *
 * @param observed the settings last read (after the writes, when there were any); empty when even
 *     the first read failed
 * @param plan the decision taken on the first read; empty when that read failed
 * @param applied the writes that succeeded, in order
 * @param driftCorrected true when the Region had been in sync for this generation and was found
 *     changed outside the operator
 */
public record RegionOutcome(
    String region,
    Optional<RegionSettings> observed,
    Optional<RegionPlan> plan,
    List<RegionAction> applied,
    boolean driftCorrected,
    Optional<Failure> failure) {

  public RegionOutcome {
    applied = List.copyOf(applied);
  }

  public boolean inSync() {
    return failure.isEmpty() && plan.map(p -> p.isInSync() || p.outcome() == RegionPlan.Outcome.APPLY).orElse(false);
  }

  public boolean heldByRolloutGate() {
    return failure.isEmpty() && plan.map(p -> p.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE).orElse(false);
  }
}
