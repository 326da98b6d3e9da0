package io.allowedami.reconcile;

import static io.allowedami.reconcile.Conditions.FALSE;
import static io.allowedami.reconcile.Conditions.READY;
import static io.allowedami.reconcile.Conditions.RECONCILING;
import static io.allowedami.reconcile.Conditions.TRUE;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.Enforcement;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.domain.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Watch before acting": a policy that is suspended or observe-only is read and reported like any
 * other, but never written to AWS. This step says why writes are withheld, and rewrites Ready and
 * Reconciling so that they describe what the operator does for such a policy (nothing to AWS)
 * instead of a convergence that is not going to happen.
 */
public final class WritesWithheld {
  /** spec.suspend is true. */
  public static final String REASON_SUSPENDED = "Suspended";

  /** spec.enforcement is ObserveOnly and the Regions differ from the spec. */
  public static final String REASON_OBSERVE_ONLY = "ObserveOnly";

  static final String SUSPENDED = "suspended";
  static final String OBSERVE_ONLY = "observe-only";

  private WritesWithheld() {}

  /** Why this spec's writes are withheld ("suspended" wins over "observe-only"), if they are. */
  public static Optional<String> reason(AllowedAmiPolicySpec spec) {
    if (Boolean.TRUE.equals(spec.getSuspend())) {
      return Optional.of(SUSPENDED);
    }
    return Enforcement.fromValue(spec.getEnforcement())
        .filter(e -> e == Enforcement.OBSERVE_ONLY)
        .map(e -> OBSERVE_ONLY);
  }

  /**
   * The built status with Ready and Reconciling for a policy whose writes are withheld; Stalled and
   * Compliant are kept as built. Suspended is never Ready; observe-only is Ready when every Region
   * already matches the spec.
   */
  public static AllowedAmiPolicyStatus conditions(
      AllowedAmiPolicyStatus previous,
      AllowedAmiPolicyStatus built,
      long generation,
      List<RegionOutcome> outcomes,
      String why,
      String now) {
    boolean suspended = SUSPENDED.equals(why);
    String reason = suspended ? REASON_SUSPENDED : REASON_OBSERVE_ONLY;
    long inSync = outcomes.stream().filter(RegionOutcome::inSync).count();
    boolean allMatch = inSync == outcomes.size();
    boolean retrying =
        outcomes.stream().anyMatch(o -> o.failure().map(f -> !f.isTerminal()).orElse(false));

    String summary =
        why
            + ": nothing is written to AWS; "
            + (allMatch
                ? "all " + outcomes.size() + " Regions match the spec"
                : inSync
                    + " of "
                    + outcomes.size()
                    + " Regions match the spec; "
                    + details(outcomes));
    PolicyCondition ready =
        allMatch && !suspended
            ? new PolicyCondition(READY, TRUE, StatusBuilder.REASON_CONVERGED, summary)
            : new PolicyCondition(READY, FALSE, reason, summary);
    PolicyCondition reconciling =
        retrying
            ? Conditions.find(built.getConditions(), RECONCILING)
            : new PolicyCondition(
                RECONCILING, FALSE, reason, "the operator writes nothing while " + why);

    List<PolicyCondition> conditions =
        Conditions.replace(
            previous == null ? null : previous.getConditions(),
            built.getConditions(),
            generation,
            now,
            ready,
            reconciling);
    built.setConditions(conditions);
    return built;
  }

  private static String details(List<RegionOutcome> outcomes) {
    List<String> parts = new ArrayList<>();
    for (RegionOutcome o : outcomes) {
      if (o.pendingChanges().isPresent()) {
        parts.add(o.region() + " " + o.pendingChanges().get());
      } else if (o.failure().isPresent()) {
        Failure f = o.failure().get();
        parts.add(o.region() + ": " + f.code() + (f.isTerminal() ? "" : ", retrying"));
      } else if (o.rolloutGate().isPresent()) {
        parts.add(o.region() + ": " + o.rolloutGate().get());
      }
    }
    return String.join("; ", parts);
  }
}
