package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseWatchdogTest {
  private static final Instant ELECTED = Instant.parse("2026-11-24T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private static boolean stalledAt(int secondsAfterElection, Integer renewedAtSecond) {
    Optional<Instant> renewal =
        Optional.ofNullable(renewedAtSecond).map(s -> ELECTED.plusSeconds(s));
    return LeaseWatchdog.stalled(
        ELECTED, renewal, ELECTED.plusSeconds(secondsAfterElection), DEADLINE);
  }

  @Test
  void whenTheLeaderRenewsWithinTheDeadline_thenItGoesOn() {
    assertThat(stalledAt(9, null)).as("just elected, no renewal seen yet").isFalse();
    assertThat(stalledAt(25, 20)).as("renewed 5 s ago").isFalse();
    assertThat(stalledAt(30, 20)).as("renewed exactly one deadline ago").isFalse();
  }

  @Test
  void whenNoRenewalIsSeenForLongerThanTheDeadline_thenItStops() {
    assertThat(stalledAt(11, null)).as("never renewed since the election").isTrue();
    assertThat(stalledAt(31, 20)).as("last renewed 11 s ago").isTrue();
  }

  @Test
  void aRenewalFromBeforeTheElection_countsAsNone() {
    assertThat(stalledAt(9, -60)).isFalse();
    assertThat(stalledAt(11, -60)).isTrue();
  }
}
