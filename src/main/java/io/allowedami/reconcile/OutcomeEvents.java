package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.compliance.RolloutCautions.Caution;
import java.util.List;
import java.util.Map;

/**
 * Turns one reconcile's outcomes into Events: a write, a drift corrected, a Region failing anew,
 * the not-allowed count changing, a rollout caution newly applying. Only changes make Events, never
 * a steady resync.
 */
final class OutcomeEvents {
  private final PolicyEvents events;

  OutcomeEvents(PolicyEvents events) {
    this.events = events;
  }

  void invalidSpec(AllowedAmiPolicy policy, List<String> problems) {
    events.record(
        policy,
        PolicyEvents.WARNING,
        StatusBuilder.REASON_INVALID_SPEC,
        Messages.bounded(
            "the spec is invalid and nothing was changed in AWS: " + Messages.join(problems)));
  }

  void record(
      AllowedAmiPolicy policy,
      AllowedAmiPolicyStatus previous,
      AllowedAmiPolicyStatus next,
      List<RegionOutcome> outcomes) {
    recordComplianceEvent(policy, previous, next);
    Map<String, RegionStatus> before = StatusBuilder.regionsByName(previous);
    for (RegionOutcome o : outcomes) {
      if (o.driftCorrected()) {
        emit(
            policy,
            PolicyEvents.WARNING,
            "DriftCorrected",
            o.region()
                + ": settings had been changed outside the operator; restored ("
                + o.describeApplied()
                + ")");
      } else if (!o.applied().isEmpty()) {
        emit(
            policy,
            PolicyEvents.NORMAL,
            "SettingsChanged",
            o.region() + ": " + o.describeApplied());
      }
      o.failure()
          .ifPresent(
              f -> {
                RegionStatus last = before.get(o.region());
                boolean sameAsBefore =
                    last != null
                        && last.getError() != null
                        && f.code().equals(last.getError().getCode());
                if (!sameAsBefore) {
                  emit(
                      policy,
                      PolicyEvents.WARNING,
                      f.isTerminal() ? "RegionStalled" : "RegionRetrying",
                      o.region() + ": " + f.code() + ": " + f.message());
                }
              });
    }
  }

  /**
   * A Warning per rollout caution that applies now and did not at the last status: AWS's rollout
   * guidance, never blocking.
   */
  void cautions(AllowedAmiPolicy policy, AllowedAmiPolicyStatus previous, List<Caution> cautions) {
    for (Caution caution : RolloutWarnings.newlyApplying(previous, cautions)) {
      emit(policy, PolicyEvents.WARNING, caution.reason(), caution.message());
    }
  }

  /** One event when the not-allowed count changes, not at every resync. */
  private void recordComplianceEvent(
      AllowedAmiPolicy policy, AllowedAmiPolicyStatus previous, AllowedAmiPolicyStatus next) {
    Integer before =
        previous == null || previous.getCompliance() == null
            ? null
            : previous.getCompliance().getNotAllowedInstances();
    Integer after =
        next.getCompliance() == null ? null : next.getCompliance().getNotAllowedInstances();
    if (after != null && !after.equals(before)) {
      var condition = Conditions.find(next.getConditions(), ComplianceStatus.COMPLIANT);
      emit(
          policy,
          after == 0 ? PolicyEvents.NORMAL : PolicyEvents.WARNING,
          "ComplianceChanged",
          (before == null ? "" : before + " -> ")
              + after
              + " instances on images that are not allowed"
              + (condition == null ? "" : ": " + condition.getMessage()));
    }
  }

  private void emit(AllowedAmiPolicy policy, String type, String reason, String message) {
    events.record(policy, type, reason, Messages.bounded(message));
  }
}
