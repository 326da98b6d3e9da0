package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Backoff doubles per policy up to the cap, and keeps nothing about a policy once reset. */
class BackoffTest {
  private static final Duration CAP = Duration.ofMinutes(5);
  private final Backoff backoff = new Backoff(Duration.ofSeconds(5));

  @Test
  void delaysDoublePerPolicyUpToTheCap() {
    assertThat(backoff.nextDelay("a", CAP)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.nextDelay("a", CAP)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.nextDelay("b", CAP)).as("per policy").isEqualTo(Duration.ofSeconds(5));
    for (int i = 0; i < 30; i++) {
      backoff.nextDelay("a", CAP);
    }
    assertThat(backoff.nextDelay("a", CAP)).isEqualTo(CAP);
  }

  @Test
  void resetForgetsThePolicyEntirely() {
    backoff.nextDelay("a", CAP);
    backoff.nextDelay("a", CAP);
    backoff.nextDelay("b", CAP);

    backoff.reset("a");

    assertThat(backoff.trackedPolicies()).isEqualTo(1);
    assertThat(backoff.nextDelay("a", CAP)).isEqualTo(Duration.ofSeconds(5));
  }
}
