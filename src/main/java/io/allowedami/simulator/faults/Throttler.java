package io.allowedami.simulator.faults;

import io.allowedami.simulator.protocol.Action.Kind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * EC2-like request throttling: one token bucket per account, Region and action, with EC2's default
 * rates for reads and writes unless overridden per Region and/or action.
 */
public final class Throttler {

  /** A bucket's capacity and refill rate. */
  public record Rate(int burst, double refillPerSecond) {
    public Rate {
      if (burst < 0 || refillPerSecond < 0) {
        throw new IllegalArgumentException("burst and refill rate must not be negative");
      }
    }
  }

  public static final Rate DEFAULT_READ = new Rate(100, 20);
  public static final Rate DEFAULT_WRITE = new Rate(50, 5);
  private static final String ANY = "*";

  private record RuleKey(String region, String action) {}

  private final Map<RuleKey, Rate> overrides = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;
  private final LongSupplier nanoTime;

  public Throttler() {
    this(System::nanoTime);
  }

  /** A throttler on another clock, so that a test decides when buckets refill. */
  public Throttler(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Overrides the rate for a Region and/or action; null means every Region or every action. */
  public void override(String regionOrNull, String actionOrNull, Rate rate) {
    overrides.put(new RuleKey(orAny(regionOrNull), orAny(actionOrNull)), rate);
    buckets.clear();
  }

  public void enabled(boolean value) {
    enabled = value;
    buckets.clear();
  }

  public void reset() {
    overrides.clear();
    buckets.clear();
    enabled = true;
  }

  /** Takes a token for the call, or answers false when the caller is throttled. */
  public boolean tryAcquire(String accountId, String region, String action, Kind kind) {
    if (!enabled) {
      return true;
    }
    long now = nanoTime.getAsLong();
    return buckets
        .computeIfAbsent(
            accountId + "|" + region + "|" + action,
            k -> {
              Rate rate = rateFor(region, action, kind);
              return new TokenBucket(rate.burst(), rate.refillPerSecond(), now);
            })
        .tryAcquire(now);
  }

  private Rate rateFor(String region, String action, Kind kind) {
    for (RuleKey key :
        new RuleKey[] {
          new RuleKey(region, action),
          new RuleKey(region, ANY),
          new RuleKey(ANY, action),
          new RuleKey(ANY, ANY)
        }) {
      Rate rate = overrides.get(key);
      if (rate != null) {
        return rate;
      }
    }
    return kind == Kind.READ ? DEFAULT_READ : DEFAULT_WRITE;
  }

  private static String orAny(String value) {
    return value == null ? ANY : value;
  }
}
