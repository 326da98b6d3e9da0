package io.allowedami.simulator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.simulator.protocol.Action.Kind;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThrottlerTest {

  private static long granted(
      Throttler throttler, String account, String region, String action, Kind kind, int calls) {
    return IntStream.range(0, calls)
        .filter(i -> throttler.tryAcquire(account, region, action, kind))
        .count();
  }

  @Test
  void byDefaultReadsBurst100AndWritesBurst50PerAccountRegionAndAction() {
    Throttler throttler = new Throttler();
    assertThat(granted(throttler, "a", "us-east-1", "DescribeRegions", Kind.READ, 101))
        .isEqualTo(100);
    assertThat(granted(throttler, "a", "us-east-1", "EnableAllowedImagesSettings", Kind.WRITE, 51))
        .isEqualTo(50);
    assertThat(granted(throttler, "b", "us-east-1", "DescribeRegions", Kind.READ, 1)).isEqualTo(1);
    assertThat(granted(throttler, "a", "us-west-2", "DescribeRegions", Kind.READ, 1)).isEqualTo(1);
  }

  @Test
  void overridesApplyFromTheMostSpecificRuleAndDisablingLetsEverythingThrough() {
    // A clock that stands still: no bucket refills while the test counts.
    Throttler throttler = new Throttler(() -> 0L);
    throttler.override(null, null, new Throttler.Rate(5, 0));
    throttler.override("eu-west-1", "GetAllowedImagesSettings", new Throttler.Rate(2, 0));
    assertThat(granted(throttler, "a", "eu-west-1", "GetAllowedImagesSettings", Kind.READ, 10))
        .isEqualTo(2);
    assertThat(granted(throttler, "a", "eu-west-1", "DescribeRegions", Kind.READ, 10)).isEqualTo(5);
    throttler.enabled(false);
    assertThat(granted(throttler, "a", "eu-west-1", "GetAllowedImagesSettings", Kind.READ, 10))
        .isEqualTo(10);
    throttler.reset();
    assertThat(granted(throttler, "a", "eu-west-1", "GetAllowedImagesSettings", Kind.READ, 101))
        .isEqualTo(100);
  }

  @Test
  void aBucketRefillsOverTime() {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    Throttler throttler = new Throttler(now::get);
    throttler.override(null, null, new Throttler.Rate(1, 50));
    assertThat(granted(throttler, "a", "r", "X", Kind.READ, 2)).isEqualTo(1);
    now.addAndGet(java.time.Duration.ofMillis(19).toNanos());
    assertThat(granted(throttler, "a", "r", "X", Kind.READ, 1)).as("not yet: 50/s").isZero();
    now.addAndGet(java.time.Duration.ofMillis(2).toNanos());
    assertThat(granted(throttler, "a", "r", "X", Kind.READ, 1)).isEqualTo(1);
  }
}
