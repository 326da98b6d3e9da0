package io.allowedami.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.CallCounters.LoggedCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's throttling verdict is computed, so it is tested like any other logic. */
class CallRatesTest {
  private static final long MS = 1_000_000L;

  @Test
  void whenSixtyReadsArriveWithinASecond_thenTheBusiestSecondHoldsSixtyAndTheBucketDipsToForty() {
    List<LoggedCall> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      calls.add(call(i, i * 10 * MS, "GetAllowedImagesSettings", "eu-west-1"));
    }

    CallRates.Summary summary = CallRates.of(calls);

    assertThat(summary.busiestRead().calls()).isEqualTo(60);
    assertThat(summary.busiestWrite().calls()).isZero();
    // 100 tokens, 60 taken over 0.59 s, about 12 refilled.
    assertThat(summary.lowestBucket()).isBetween(51.0, 53.0);
  }

  @Test
  void whenWritesExceedTheirBurst_thenTheReplayedBucketGoesBelowZero() {
    List<LoggedCall> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      calls.add(call(i, i * MS, "EnableAllowedImagesSettings", "eu-west-1"));
    }

    CallRates.Summary summary = CallRates.of(calls);

    assertThat(summary.busiestWrite().calls()).isEqualTo(60);
    assertThat(summary.lowestBucket()).isLessThan(0);
  }

  @Test
  void whenCallsAreSpreadOverRegionsAndSeconds_thenEachBucketCountsOnlyItsOwn() {
    List<LoggedCall> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(call(i, i * 1000 * MS, "DescribeInstanceImageMetadata", "eu-west-1"));
      calls.add(call(i, i * MS, "DescribeInstanceImageMetadata", "region-" + i));
    }

    CallRates.Summary summary = CallRates.of(calls);

    assertThat(summary.busiestRead().calls()).isEqualTo(1);
    assertThat(summary.busiestRegion().calls()).isEqualTo(1);
    assertThat(summary.throttled()).isZero();
  }

  private static LoggedCall call(long sequence, long nanos, String action, String region) {
    return new LoggedCall(
        sequence,
        nanos,
        action,
        region,
        "111122223333",
        false,
        "ok",
        CallCounters.CallDetails.NONE);
  }
}
