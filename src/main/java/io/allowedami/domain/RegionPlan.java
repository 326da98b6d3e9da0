package io.allowedami.domain;

import java.util.List;

/**
 * The decision for one Region: the writes to make, in the order to make them, or why none may be
 * made. {@code criteriaMatch} tells whether the observed criteria already matched the spec.
 */
public record RegionPlan(
    Outcome outcome, List<RegionAction> actions, String reason, boolean criteriaMatch) {

  public enum Outcome {
    /** Actual settings already match the spec: nothing to write. */
    IN_SYNC,
    /** Apply {@link #actions()} in order. */
    APPLY,
    /**
     * The settings differ but an Organizations declarative policy enforces them: writing would
     * fail.
     */
    BLOCKED_BY_DECLARATIVE_POLICY,
    /** The criteria are applied but the switch to enabled waits for the safe-rollout gate. */
    HELD_BY_ROLLOUT_GATE
  }

  public RegionPlan {
    actions = List.copyOf(actions);
  }

  static RegionPlan inSync() {
    return new RegionPlan(Outcome.IN_SYNC, List.of(), "settings match the spec", true);
  }

  public boolean isInSync() {
    return outcome == Outcome.IN_SYNC;
  }

  public boolean hasWrites() {
    return !actions.isEmpty();
  }
}
