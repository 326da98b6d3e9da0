package io.allowedami.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential backoff per policy for recoverable errors, capped at the resync interval, so a
 * throttled or failing Region is retried soon but never hot-looped. Its only state is a failure
 * count per policy, dropped by {@link #reset} (on success and when the policy is deleted).
 */
final class Backoff {
  private final Duration initial;
  private final Map<String, Integer> failuresByPolicy = new ConcurrentHashMap<>();

  Backoff(Duration initial) {
    this.initial = initial;
  }

  Duration nextDelay(String policyUid, Duration cap) {
    int failures = failuresByPolicy.merge(policyUid, 1, Integer::sum);
    long factor = 1L << Math.min(failures - 1, 20);
    Duration delay = initial.multipliedBy(factor);
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  void reset(String policyUid) {
    failuresByPolicy.remove(policyUid);
  }

  int trackedPolicies() {
    return failuresByPolicy.size();
  }
}
