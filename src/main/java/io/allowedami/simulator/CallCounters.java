package io.allowedami.simulator;

import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Counts calls by action, Region, account and outcome ("ok" or the error code), and logs the most
 * recent calls in the order they were answered, for tests and benchmarks.
 */
public final class CallCounters {

  public static final String OK = "ok";

  /** Stands for a Region, account or action the request did not (validly) name. */
  public static final String UNKNOWN = "-";

  /** The most calls the log keeps, so that a long-running simulator stays small. */
  public static final int LOG_CAPACITY = 100_000;

  /** The dimensions of one counter. */
  public record CallKey(String action, String region, String account, String outcome) {}

  /**
   * One answered call, as logged: {@code sequence} orders calls as they were answered and {@code
   * nanoTime} is {@link System#nanoTime()} at that moment, to measure the spacing of calls.
   */
  public record LoggedCall(
      long sequence,
      long nanoTime,
      String action,
      String region,
      String account,
      boolean dryRun,
      String outcome,
      CallDetails details) {}

  /**
   * What a call was about, for tests that check what a client asked and when.
   *
   * @param managedBy who managed the account's setting in the Region when the call was handled;
   *     null for STS calls and calls that named no valid account or Region
   * @param requestedState the state an Enable or Disable call asked for, else null
   * @param requestedCriteria the criteria a ReplaceImageCriteria call asked for, else null
   * @param roleArn the role an AssumeRole call named, else null
   */
  public record CallDetails(
      ManagedBy managedBy,
      SettingsState requestedState,
      List<Criterion> requestedCriteria,
      String roleArn) {
    public static final CallDetails NONE = new CallDetails(null, null, null, null);

    public CallDetails {
      requestedCriteria = requestedCriteria == null ? null : List.copyOf(requestedCriteria);
    }
  }

  private final Map<CallKey, LongAdder> counts = new ConcurrentHashMap<>();
  private final Deque<LoggedCall> log = new ArrayDeque<>();
  private long sequence;

  /** Called once per answered request by the request pipeline. */
  public void record(CallKey key, boolean dryRun) {
    record(key, dryRun, CallDetails.NONE);
  }

  /** Called once per answered request by the request pipeline, with what the call was about. */
  public void record(CallKey key, boolean dryRun, CallDetails details) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    synchronized (log) {
      if (log.size() == LOG_CAPACITY) {
        log.removeFirst();
      }
      log.addLast(
          new LoggedCall(
              sequence++,
              System.nanoTime(),
              key.action(),
              key.region(),
              key.account(),
              dryRun,
              key.outcome(),
              details));
    }
  }

  /** The logged calls (the most recent {@link #LOG_CAPACITY}), oldest first. */
  public List<LoggedCall> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
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

  /** Clears the counters and the log. */
  public void reset() {
    counts.clear();
    synchronized (log) {
      log.clear();
    }
  }

  private long sum(Predicate<CallKey> filter) {
    return counts.entrySet().stream()
        .filter(e -> filter.test(e.getKey()))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }
}
