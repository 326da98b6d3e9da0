package io.allowedami.reconcile;

import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Says, for a Region the operator may not write to, which writes it would make and why it does not:
 * the "drift" an observe-only or suspended policy, or an organization's declarative policy, leaves
 * in place. One phrase per Region, so that status stays small.
 */
public final class PendingChanges {

  private PendingChanges() {}

  /** The planned writes, withheld for {@code why} (observe-only, suspended). */
  public static String withheld(String why, List<RegionAction> actions, RegionSettings observed) {
    return "would " + describe(actions, observed) + " (" + why + ")";
  }

  /**
   * What the operator would write if the organization did not enforce the setting: the plan for the
   * same settings managed by the account.
   */
  public static String blockedByDeclarativePolicy(
      DesiredSettings desired, RegionSettings observed) {
    RegionSettings unmanaged =
        new RegionSettings(observed.state(), observed.criteria(), ManagedBy.ACCOUNT);
    List<RegionAction> actions = RegionPlanner.plan(desired, unmanaged).actions();
    return "would "
        + describe(actions, observed)
        + " (enforced by a declarative policy that differs from the spec)";
  }

  /** "replace image criteria (1 criterion), then set state disabled -> audit-mode". */
  static String describe(List<RegionAction> actions, RegionSettings observed) {
    return actions.stream()
        .map(action -> describe(action, observed))
        .collect(Collectors.joining(", then "));
  }

  private static String describe(RegionAction action, RegionSettings observed) {
    if (action instanceof RegionAction.ReplaceCriteria replace) {
      int n = replace.criteria().size();
      return "replace image criteria (" + n + (n == 1 ? " criterion)" : " criteria)");
    }
    RegionAction.SetState set = (RegionAction.SetState) action;
    return "set state " + observed.state().wireValue() + " -> " + set.state().wireValue();
  }
}
