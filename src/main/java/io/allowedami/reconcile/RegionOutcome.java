package io.allowedami.reconcile;

import io.allowedami.compliance.ComplianceReport;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionSettings;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happened in one Region during one reconcile.
 *
 * @param observed the settings last read (after the writes, when there were any); empty when even
 *     the first read failed
 * @param plan the decision taken on the first read; empty when that read failed
 * @param applied the writes that succeeded, in order
 * @param driftCorrected true when the Region had been in sync for this generation and was found
 *     changed outside the operator
 * @param compliance the instance report, when the instances could be read
 * @param rolloutGate why the switch to enabled is held, when it is
 */
public record RegionOutcome(
    String region,
    Optional<RegionSettings> observed,
    Optional<RegionPlan> plan,
    List<RegionAction> applied,
    boolean driftCorrected,
    Optional<Failure> failure,
    Optional<ComplianceReport> compliance,
    Optional<String> rolloutGate) {

  public RegionOutcome {
    applied = List.copyOf(applied);
  }

  /** An outcome for a Region where nothing could be read. */
  public static RegionOutcome failedBeforeReading(String region, Failure failure) {
    return new RegionOutcome(
        region,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        false,
        Optional.of(failure),
        Optional.empty(),
        Optional.empty());
  }

  public boolean inSync() {
    return failure.isEmpty()
        && plan.map(p -> p.isInSync() || p.outcome() == RegionPlan.Outcome.APPLY).orElse(false);
  }

  /**
   * The writes made, as a phrase for status and events: "replaced image criteria (1 criterion),
   * then ...".
   */
  public String describeApplied() {
    return applied.stream().map(RegionAction::describe).collect(Collectors.joining(", then "));
  }

  public boolean heldByRolloutGate() {
    return failure.isEmpty()
        && plan.map(p -> p.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE).orElse(false);
  }
}
