package io.allowedami.reconcile;

import java.time.Duration;
import java.util.Objects;

/** The reconciler's tunables, fixed at start. */
public record ReconcileSettings(
    Duration defaultResyncInterval, Duration initialBackoff, Duration minimumResyncInterval) {
  public ReconcileSettings {
    Objects.requireNonNull(defaultResyncInterval, "defaultResyncInterval");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(minimumResyncInterval, "minimumResyncInterval");
    if (defaultResyncInterval.compareTo(minimumResyncInterval) < 0) {
      throw new IllegalArgumentException(
          "resync interval "
              + defaultResyncInterval
              + " is below the minimum "
              + minimumResyncInterval);
    }
  }
}
