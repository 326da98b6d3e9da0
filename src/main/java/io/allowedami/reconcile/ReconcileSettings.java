package io.allowedami.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * The reconciler's tunables, fixed at start.
 *
 * @param regionDeadline how long one Region may take in one reconcile before its outcome is
 *     reported as timed out, so that one slow Region never holds back the others' status
 */
public record ReconcileSettings(
    Duration defaultResyncInterval,
    Duration initialBackoff,
    Duration minimumResyncInterval,
    Duration regionDeadline) {

  /** Pages x timeouts x retries of one Region stay well inside this. */
  public static final Duration DEFAULT_REGION_DEADLINE = Duration.ofMinutes(2);

  public ReconcileSettings {
    Objects.requireNonNull(defaultResyncInterval, "defaultResyncInterval");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(minimumResyncInterval, "minimumResyncInterval");
    Objects.requireNonNull(regionDeadline, "regionDeadline");
    if (defaultResyncInterval.compareTo(minimumResyncInterval) < 0) {
      throw new IllegalArgumentException(
          "resync interval "
              + defaultResyncInterval
              + " is below the minimum "
              + minimumResyncInterval);
    }
    if (regionDeadline.isNegative() || regionDeadline.isZero()) {
      throw new IllegalArgumentException("region deadline must be positive: " + regionDeadline);
    }
  }

  public ReconcileSettings(
      Duration defaultResyncInterval, Duration initialBackoff, Duration minimumResyncInterval) {
    this(defaultResyncInterval, initialBackoff, minimumResyncInterval, DEFAULT_REGION_DEADLINE);
  }
}
