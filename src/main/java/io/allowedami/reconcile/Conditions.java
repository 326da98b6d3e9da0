package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.PolicyCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Upserts conditions the Kubernetes way: lastTransitionTime changes only when the status flips, and
 * the list is kept sorted by type so that order never causes a spurious status write. Messages are
 * cut at {@link Messages#MAX_MESSAGE} characters.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  public static List<PolicyCondition> upsert(
      List<PolicyCondition> previous, PolicyCondition wanted, long generation, String now) {
    List<PolicyCondition> result = new ArrayList<>();
    PolicyCondition old = null;
    for (PolicyCondition c : previous == null ? List.<PolicyCondition>of() : previous) {
      if (wanted.getType().equals(c.getType())) {
        old = c;
      } else {
        result.add(c);
      }
    }
    PolicyCondition next =
        new PolicyCondition(
            wanted.getType(),
            wanted.getStatus(),
            wanted.getReason(),
            Messages.bounded(wanted.getMessage()));
    next.setObservedGeneration(generation);
    next.setLastTransitionTime(
        old != null
                && old.getStatus() != null
                && old.getStatus().equals(wanted.getStatus())
                && old.getLastTransitionTime() != null
            ? old.getLastTransitionTime()
            : now);
    result.add(next);
    result.sort(Comparator.comparing(PolicyCondition::getType));
    return result;
  }

  /**
   * {@code built} (conditions already upserted from {@code previous}) with {@code wanted} in place
   * of the conditions of the same types; every transition time is judged against {@code previous}.
   */
  public static List<PolicyCondition> replace(
      List<PolicyCondition> previous,
      List<PolicyCondition> built,
      long generation,
      String now,
      PolicyCondition... wanted) {
    List<PolicyCondition> result = previous == null ? List.of() : previous;
    for (PolicyCondition c : built) {
      boolean replaced = false;
      for (PolicyCondition w : wanted) {
        replaced |= w.getType().equals(c.getType());
      }
      if (!replaced) {
        result = upsert(result, c, generation, now);
      }
    }
    for (PolicyCondition w : wanted) {
      result = upsert(result, w, generation, now);
    }
    return result;
  }

  public static PolicyCondition find(List<PolicyCondition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
