package io.allowedami.reconcile;

import static io.allowedami.reconcile.Conditions.FALSE;
import static io.allowedami.reconcile.Conditions.READY;
import static io.allowedami.reconcile.Conditions.RECONCILING;
import static io.allowedami.reconcile.Conditions.STALLED;
import static io.allowedami.reconcile.Conditions.TRUE;

import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionCompliance;
import io.allowedami.api.v1alpha1.RegionError;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction.ReplaceCriteria;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the next status from the previous one and this reconcile's outcomes: a pure function, so
 * that the status never changes unless something it reports changed (and then the patch is
 * skipped).
 */
public final class StatusBuilder {
  static final String REASON_CONVERGED = "Converged";
  static final String REASON_INVALID_SPEC = "InvalidSpec";
  static final String REASON_TERMINAL = "TerminalError";
  static final String REASON_RETRYING = "Retrying";
  public static final String REASON_ROLLOUT_HELD = "RolloutHeld";
  static final String REASON_NONE = "NoError";

  /** An AWS error message in a Region's status; AWS's own are far shorter. */
  static final int MAX_ERROR_MESSAGE = 256;

  private StatusBuilder() {}

  /** Status for a spec that failed validation: nothing was sent to AWS. */
  public static AllowedAmiPolicyStatus invalidSpec(
      AllowedAmiPolicyStatus previous, long generation, List<String> problems, String now) {
    AllowedAmiPolicyStatus next = copyBase(previous, generation);
    next.setRegions(previous == null ? new ArrayList<>() : previous.getRegions());
    String message =
        "the spec is invalid and nothing was changed in AWS: " + Messages.join(problems);
    next.setConditions(
        conditions(
            previous,
            generation,
            now,
            new PolicyCondition(READY, FALSE, REASON_INVALID_SPEC, message),
            new PolicyCondition(
                RECONCILING, FALSE, REASON_INVALID_SPEC, "waiting for the spec to be fixed"),
            new PolicyCondition(STALLED, TRUE, REASON_INVALID_SPEC, message)));
    return next;
  }

  public static AllowedAmiPolicyStatus build(
      AllowedAmiPolicyStatus previous,
      long generation,
      String accountId,
      List<RegionOutcome> outcomes,
      String now) {
    AllowedAmiPolicyStatus next = copyBase(previous, generation);
    if (accountId != null) {
      next.setAccountId(accountId);
    }
    Map<String, RegionStatus> before = regionsByName(previous);
    List<RegionStatus> regions = new ArrayList<>();
    for (RegionOutcome outcome : outcomes) {
      regions.add(regionStatus(before.get(outcome.region()), outcome, now));
    }
    next.setRegions(regions);
    List<RegionCompliance> compliance = regions.stream().map(RegionStatus::getCompliance).toList();
    next.setCompliance(ComplianceStatus.summary(compliance));
    LaunchTemplateStatus.summarize(regions, next.getCompliance());
    long inSync = outcomes.stream().filter(RegionOutcome::inSync).count();
    next.setRegionsInSync(inSync + "/" + outcomes.size());

    List<RegionOutcome> terminal =
        outcomes.stream().filter(o -> o.failure().map(Failure::isTerminal).orElse(false)).toList();
    List<RegionOutcome> recoverable =
        outcomes.stream().filter(o -> o.failure().map(f -> !f.isTerminal()).orElse(false)).toList();
    List<RegionOutcome> held = outcomes.stream().filter(RegionOutcome::heldByRolloutGate).toList();

    PolicyCondition ready;
    PolicyCondition reconciling;
    PolicyCondition stalled;
    if (inSync == outcomes.size()) {
      String message =
          "all " + outcomes.size() + " Regions match the spec" + matchingDeclarative(outcomes);
      ready = new PolicyCondition(READY, TRUE, REASON_CONVERGED, message);
      reconciling = new PolicyCondition(RECONCILING, FALSE, REASON_CONVERGED, message);
      stalled = new PolicyCondition(STALLED, FALSE, REASON_NONE, "no terminal error");
    } else {
      String summary = inSync + " of " + outcomes.size() + " Regions match the spec";
      String problems = describe(terminal, recoverable, held);
      String readyReason =
          !terminal.isEmpty()
              ? REASON_TERMINAL
              : !recoverable.isEmpty() ? REASON_RETRYING : REASON_ROLLOUT_HELD;
      ready = new PolicyCondition(READY, FALSE, readyReason, summary + "; " + problems);
      reconciling =
          recoverable.isEmpty() && held.isEmpty()
              ? new PolicyCondition(
                  RECONCILING,
                  FALSE,
                  REASON_TERMINAL,
                  "no progress possible until the errors are fixed")
              : new PolicyCondition(
                  RECONCILING,
                  TRUE,
                  recoverable.isEmpty() ? REASON_ROLLOUT_HELD : REASON_RETRYING,
                  describe(List.of(), recoverable, held));
      stalled =
          terminal.isEmpty()
              ? new PolicyCondition(STALLED, FALSE, REASON_NONE, "no terminal error")
              : new PolicyCondition(
                  STALLED,
                  TRUE,
                  terminal.get(0).failure().orElseThrow().code(),
                  describe(terminal, List.of(), List.of()));
    }
    List<String> notAllowedRegions =
        regions.stream()
            .filter(r -> r.getCompliance() != null && r.getCompliance().getNotAllowed() > 0)
            .map(RegionStatus::getRegion)
            .toList();
    PolicyCondition compliant =
        ComplianceStatus.condition(
            next.getCompliance(),
            notAllowedRegions,
            ComplianceStatus.topImageDescriptions(compliance, 3));
    next.setConditions(
        conditions(previous, generation, now, ready, reconciling, stalled, compliant));
    return next;
  }

  /** "; us-east-1, eu-west-1 enforced by a declarative policy that matches the spec", or "". */
  private static String matchingDeclarative(List<RegionOutcome> outcomes) {
    List<String> managed =
        outcomes.stream()
            .filter(RegionOutcome::inSync)
            .filter(
                o ->
                    o.observed()
                        .map(s -> s.managedBy() == ManagedBy.DECLARATIVE_POLICY)
                        .orElse(false))
            .map(RegionOutcome::region)
            .toList();
    return managed.isEmpty()
        ? ""
        : "; "
            + String.join(", ", managed)
            + " enforced by a declarative policy that matches the spec";
  }

  /** The Regions of a status by name; empty for no status. */
  static Map<String, RegionStatus> regionsByName(AllowedAmiPolicyStatus status) {
    if (status == null || status.getRegions() == null) {
      return Map.of();
    }
    return status.getRegions().stream()
        .collect(Collectors.toMap(RegionStatus::getRegion, Function.identity(), (a, b) -> a));
  }

  private static String describe(
      List<RegionOutcome> terminal, List<RegionOutcome> recoverable, List<RegionOutcome> held) {
    List<String> parts = new ArrayList<>();
    for (RegionOutcome o : terminal) {
      Failure f = o.failure().orElseThrow();
      parts.add(o.region() + ": " + f.code() + " (" + f.message() + ")");
    }
    for (RegionOutcome o : recoverable) {
      Failure f = o.failure().orElseThrow();
      parts.add(o.region() + ": " + f.code() + ", retrying");
    }
    for (RegionOutcome o : held) {
      parts.add(
          o.region()
              + ": "
              + o.rolloutGate().orElse("switch to enabled held by the safe-rollout gate"));
    }
    return String.join("; ", parts);
  }

  private static AllowedAmiPolicyStatus copyBase(AllowedAmiPolicyStatus previous, long generation) {
    AllowedAmiPolicyStatus next = new AllowedAmiPolicyStatus();
    next.setObservedGeneration(generation);
    if (previous != null) {
      next.setAccountId(previous.getAccountId());
      next.setRegionsInSync(previous.getRegionsInSync());
    }
    return next;
  }

  private static List<PolicyCondition> conditions(
      AllowedAmiPolicyStatus previous, long generation, String now, PolicyCondition... wanted) {
    List<PolicyCondition> conditions = previous == null ? List.of() : previous.getConditions();
    for (PolicyCondition c : wanted) {
      conditions = Conditions.upsert(conditions, c, generation, now);
    }
    return conditions;
  }

  private static RegionStatus regionStatus(RegionStatus before, RegionOutcome outcome, String now) {
    RegionStatus next = new RegionStatus();
    next.setRegion(outcome.region());
    if (before != null) {
      next.setLastChange(before.getLastChange());
      next.setLastChangeTime(before.getLastChangeTime());
      next.setDriftCorrections(before.getDriftCorrections());
      next.setLastDriftCorrectionTime(before.getLastDriftCorrectionTime());
      next.setState(before.getState());
      next.setManagedBy(before.getManagedBy());
      next.setCriteriaInSync(before.getCriteriaInSync());
    }
    outcome
        .observed()
        .ifPresent(
            observed -> {
              next.setState(observed.state().wireValue());
              next.setManagedBy(observed.managedBy().wireValue());
            });
    next.setCriteriaInSync(criteriaInSync(outcome, before));
    next.setInSync(outcome.inSync());
    if (!outcome.applied().isEmpty()) {
      next.setLastChange(outcome.describeApplied());
      next.setLastChangeTime(now);
    }
    if (outcome.driftCorrected()) {
      next.setDriftCorrections(
          (before == null || before.getDriftCorrections() == null
                  ? 0
                  : before.getDriftCorrections())
              + 1);
      next.setLastDriftCorrectionTime(now);
    }
    outcome.compliance().ifPresent(report -> next.setCompliance(ComplianceStatus.region(report)));
    if (outcome.compliance().isEmpty() && before != null) {
      next.setCompliance(before.getCompliance());
    }
    outcome.rolloutGate().ifPresent(next::setRolloutGate);
    outcome.pendingChanges().ifPresent(next::setPendingChanges);
    outcome
        .failure()
        .ifPresent(f -> next.setError(error(f, before == null ? null : before.getError(), now)));
    outcome
        .complianceFailure()
        .ifPresent(
            f ->
                next.setComplianceError(
                    error(f, before == null ? null : before.getComplianceError(), now)));
    next.setLaunchTemplates(
        LaunchTemplateStatus.region(outcome, before, (f, last) -> error(f, last, now)));
    return next;
  }

  /** A Region's error; {@code since} is kept while the same code repeats. */
  private static RegionError error(Failure f, RegionError previous, String now) {
    String since =
        previous != null && Objects.equals(previous.getCode(), f.code())
            ? previous.getSince()
            : now;
    return new RegionError(
        f.kind().displayName(), f.code(), Messages.cut(f.message(), MAX_ERROR_MESSAGE), since);
  }

  private static Boolean criteriaInSync(RegionOutcome outcome, RegionStatus before) {
    if (outcome.plan().isEmpty()) {
      return before == null ? null : before.getCriteriaInSync();
    }
    return outcome.plan().get().criteriaMatch()
        || outcome.applied().stream().anyMatch(a -> a instanceof ReplaceCriteria);
  }
}
