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

  /** The most calls in one second for one bucket (or one account and Region), and whose. */
  record Peak(long calls, String where) {
    static final Peak NONE = new Peak(0, "none");

    Peak max(Peak other) {
      return other.calls > calls ? other : this;
    }

    @Override
    public String toString() {
      return calls + " (" + where + ")";
    }
  }

  /**
   * @param busiestRead most calls of one read action in one second, one account and Region
   * @param busiestWrite the same for writes (AssumeRole counts as one, as the simulator has it)
   * @param busiestRegion most calls of all actions together in one second, one account and Region
   * @param lowestBucket the fewest tokens any bucket held after a call (below 0: EC2 would
   *     throttle)
   * @param throttled calls the simulator answered RequestLimitExceeded
   */
  record Summary(
      Peak busiestRead,
      Peak busiestWrite,
      Peak busiestRegion,
      double lowestBucket,
      long throttled) {
    String describe() {
      return ("busiest second of one read bucket: %s; of one write bucket: %s; of one account and"
              + " Region, all actions: %s; lowest bucket level %.0f tokens; %d calls throttled")
          .formatted(busiestRead, busiestWrite, busiestRegion, lowestBucket, throttled);
    }
  }

  private CallRates() {}

  static Summary of(List<LoggedCall> log) {
    Map<String, List<LoggedCall>> byAction =
        log.stream()
            .collect(Collectors.groupingBy(c -> c.action() + " " + c.account() + " " + c.region()));
    Map<String, List<LoggedCall>> byRegion =
        log.stream().collect(Collectors.groupingBy(c -> c.account() + " " + c.region()));
    Peak reads = Peak.NONE;
    Peak writes = Peak.NONE;
    double lowest = Double.MAX_VALUE;
    for (Map.Entry<String, List<LoggedCall>> bucket : byAction.entrySet()) {
      List<LoggedCall> calls = bucket.getValue();
      boolean write = isWrite(calls.get(0).action());
      Peak busiest = new Peak(busiestSecond(calls), bucket.getKey());
      if (write) {
        writes = writes.max(busiest);
      } else {
        reads = reads.max(busiest);
      }
      lowest =
          Math.min(
              lowest,
              lowestBucket(calls, write ? Throttler.DEFAULT_WRITE : Throttler.DEFAULT_READ));
    }
    Peak region = Peak.NONE;
    for (Map.Entry<String, List<LoggedCall>> calls : byRegion.entrySet()) {
      region = region.max(new Peak(busiestSecond(calls.getValue()), calls.getKey()));
    }
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
