package io.allowedami.testing;

import io.allowedami.simulator.CallCounters;
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
}
