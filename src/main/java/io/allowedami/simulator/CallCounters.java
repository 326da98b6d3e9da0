package io.allowedami.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Counts calls by action, Region, account and outcome ("ok" or the error code), for tests and
 * benchmarks.
 */
public final class CallCounters {

  public static final String OK = "ok";

  /** Stands for a Region, account or action the request did not (validly) name. */
  public static final String UNKNOWN = "-";

  /** The dimensions of one counter. */
  public record CallKey(String action, String region, String account, String outcome) {}

  private final Map<CallKey, LongAdder> counts = new ConcurrentHashMap<>();

  /** Called once per answered request by the request pipeline. */
  public void record(CallKey key) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  public long count(String action) {
    return sum(k -> k.action().equals(action));
  }

  public long count(String action, String region) {
    return sum(k -> k.action().equals(action) && k.region().equals(region));
  }

  public long count(String action, String region, String account, String outcome) {
    LongAdder adder = counts.get(new CallKey(action, region, account, outcome));
    return adder == null ? 0 : adder.sum();
  }

  /** Calls of an action with an outcome, over every Region and account. */
  public long countOutcome(String action, String outcome) {
    return sum(k -> k.action().equals(action) && k.outcome().equals(outcome));
  }

  public long total() {
    return sum(k -> true);
  }

  public Map<CallKey, Long> snapshot() {
    return counts.entrySet().stream()
        .filter(e -> e.getValue().sum() > 0)
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().sum()));
  }

  public void reset() {
    counts.clear();
  }

  private long sum(Predicate<CallKey> filter) {
    return counts.entrySet().stream()
        .filter(e -> filter.test(e.getKey()))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }
}
