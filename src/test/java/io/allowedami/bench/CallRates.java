package io.allowedami.bench;

import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.CallCounters.LoggedCall;
import io.allowedami.simulator.faults.Throttler;
import io.allowedami.testing.SimulatorCalls;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How close the operator's calls came to EC2's throttling: the most calls in any one second per
 * account, Region and action (EC2's buckets are per action), and the lowest level each bucket would
 * have fallen to with EC2's documented rates, replayed over the calls as logged.
 */
final class CallRates {
  private static final long SECOND = 1_000_000_000L;

  /**
   * @param busiestReadSecond most calls of one read action in one second, one account and Region
   * @param busiestWriteSecond the same for writes (AssumeRole counts as one, as the simulator has
   *     it)
   * @param busiestRegionSecond most calls of all actions together in one second, one account and
   *     Region
   * @param lowestBucket the fewest tokens any bucket held after a call (below 0: EC2 would
   *     throttle)
   * @param throttled calls the simulator answered RequestLimitExceeded
   */
  record Summary(
      long busiestReadSecond,
      long busiestWriteSecond,
      long busiestRegionSecond,
      double lowestBucket,
      long throttled) {
    String describe() {
      return ("at most %d calls of one read action and %d of one write action in any second per"
              + " account and Region (%d of all actions together); lowest bucket level %.0f"
              + " tokens; %d calls throttled")
          .formatted(
              busiestReadSecond, busiestWriteSecond, busiestRegionSecond, lowestBucket, throttled);
    }
  }

  private CallRates() {}

  static Summary of(List<LoggedCall> log) {
    Map<String, List<LoggedCall>> byAction =
        log.stream()
            .collect(Collectors.groupingBy(c -> c.account() + "|" + c.region() + "|" + c.action()));
    Map<String, List<LoggedCall>> byRegion =
        log.stream().collect(Collectors.groupingBy(c -> c.account() + "|" + c.region()));
    long reads = 0;
    long writes = 0;
    double lowest = Double.MAX_VALUE;
    for (List<LoggedCall> calls : byAction.values()) {
      boolean write = isWrite(calls.get(0).action());
      long busiest = busiestSecond(calls);
      if (write) {
        writes = Math.max(writes, busiest);
      } else {
        reads = Math.max(reads, busiest);
      }
      lowest =
          Math.min(
              lowest,
              lowestBucket(calls, write ? Throttler.DEFAULT_WRITE : Throttler.DEFAULT_READ));
    }
    long region = byRegion.values().stream().mapToLong(CallRates::busiestSecond).max().orElse(0);
    long throttled = log.stream().filter(c -> c.outcome().equals("RequestLimitExceeded")).count();
    return new Summary(reads, writes, region, log.isEmpty() ? 0 : lowest, throttled);
  }

  static boolean isWrite(String action) {
    return SimulatorCalls.WRITE_ACTIONS.contains(action) || action.equals("AssumeRole");
  }

  private static long busiestSecond(List<LoggedCall> calls) {
    List<LoggedCall> sorted =
        calls.stream().sorted(Comparator.comparingLong(LoggedCall::nanoTime)).toList();
    Deque<Long> window = new ArrayDeque<>();
    long busiest = 0;
    for (LoggedCall call : sorted) {
      window.addLast(call.nanoTime());
      while (call.nanoTime() - window.peekFirst() >= SECOND) {
        window.removeFirst();
      }
      busiest = Math.max(busiest, window.size());
    }
    return busiest;
  }

  private static double lowestBucket(List<LoggedCall> calls, Throttler.Rate rate) {
    List<LoggedCall> sorted =
        calls.stream().sorted(Comparator.comparingLong(LoggedCall::nanoTime)).toList();
    double tokens = rate.burst();
    double lowest = tokens;
    long last = sorted.get(0).nanoTime();
    for (LoggedCall call : sorted) {
      tokens =
          Math.min(
              rate.burst(), tokens + (call.nanoTime() - last) * rate.refillPerSecond() / SECOND);
      last = call.nanoTime();
      tokens -= 1;
      lowest = Math.min(lowest, tokens);
    }
    return lowest;
  }

  /** Calls the simulator answered with an error code, by code. */
  static Map<String, Long> errors(CallCounters counters) {
    return counters.snapshot().entrySet().stream()
        .filter(e -> !e.getKey().outcome().equals(CallCounters.OK))
        .collect(
            Collectors.groupingBy(
                e -> e.getKey().outcome(), Collectors.summingLong(Map.Entry::getValue)));
  }
}
