package io.allowedami.testing;

import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.CallCounters.LoggedCall;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the simulator's call counters the way the operator's tests and benchmark need them. */
public final class SimulatorCalls {
  /** The three Allowed AMIs write actions. */
  public static final Set<String> WRITE_ACTIONS =
      Set.of(
          "EnableAllowedImagesSettings",
          "DisableAllowedImagesSettings",
          "ReplaceImageCriteriaInAllowedImagesSettings");

  private SimulatorCalls() {}

  /** Writes that succeeded, in one Region or (null) all: DryRun checks answer DryRunOperation. */
  public static long successfulWrites(CallCounters counters, String regionOrNull) {
    return counters.snapshot().entrySet().stream()
        .filter(e -> WRITE_ACTIONS.contains(e.getKey().action()))
        .filter(e -> regionOrNull == null || regionOrNull.equals(e.getKey().region()))
        .filter(e -> CallCounters.OK.equals(e.getKey().outcome()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** The writes (not DryRun checks) AWS received in a Region, in the order it received them. */
  public static List<LoggedCall> writesInOrder(CallCounters counters, String region) {
    return counters.log().stream()
        .filter(c -> c.region().equals(region))
        .filter(c -> WRITE_ACTIONS.contains(c.action()) && !c.dryRun())
        .toList();
  }
}
