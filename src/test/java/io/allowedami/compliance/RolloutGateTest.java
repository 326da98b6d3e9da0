package io.allowedami.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.ImageList;
import io.allowedami.compliance.ComplianceReport.Preview;
import io.allowedami.compliance.ComplianceReport.VerdictCounts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutGateTest {

  private static Preview preview(
      int runningNotAllowed,
      int runningUnknown,
      List<ImageCount> notAllowed,
      List<ImageCount> unknown) {
    return new Preview(
        new VerdictCounts(0, runningNotAllowed, runningUnknown),
        runningNotAllowed,
        runningUnknown,
        new ImageList(notAllowed, 0),
        new ImageList(unknown, 0),
        null);
  }

  private static Preview preview(int runningNotAllowed, int runningUnknown) {
    return preview(runningNotAllowed, runningUnknown, List.of(), List.of());
  }

  @Test
  void whenNoLimitIsSet_thenTheSwitchIsNeverHeld() {
    GateDecision decision = RolloutGate.decide(null, preview(1000, 1000));

    assertThat(decision.held()).isFalse();
    assertThat(decision.message()).isEqualTo("no safe-rollout limit is set");
  }

  @ParameterizedTest(name = "limit {0}, {1} not allowed + {2} unknown running -> held {3}")
  @CsvSource(
      textBlock =
          """
          0, 0, 0, false
          0, 1, 0, true
          0, 0, 1, true
          5, 3, 2, false
          5, 3, 3, true
          5, 6, 0, true
          """)
  void whenRunningInstancesAtRiskExceedTheLimit_thenHeld_countingUnknownAsBlocked(
      int limit, int runningNotAllowed, int runningUnknown, boolean held) {
    assertThat(RolloutGate.decide(limit, preview(runningNotAllowed, runningUnknown)).held())
        .isEqualTo(held);
  }

  @Test
  void whenReleased_thenTheMessageSaysHowManyAreAtRiskAndTheLimit() {
    assertThat(RolloutGate.decide(5, preview(3, 1)).message())
        .isEqualTo(
            "4 running instances use images that would not be allowed or cannot be judged; the"
                + " limit is 5");
  }

  @Test
  void whenHeld_thenTheMessageNamesCountsLimitAndTheImagesWithMostRunningInstances() {
    Preview preview =
        preview(
            9,
            3,
            List.of(
                new ImageCount("ami-stopped-only", "old", "444455556666", null, 50, 0, null),
                new ImageCount(
                    "ami-1", "vendor-app", "444455556666", "aws-marketplace", 8, 7, null),
                new ImageCount("ami-2", null, "444455556666", null, 2, 2, null)),
            List.of(new ImageCount("ami-3", "mystery", null, null, 3, 3, null)));

    GateDecision decision = RolloutGate.decide(0, preview);

    assertThat(decision.held()).isTrue();
    assertThat(decision.message())
        .isEqualTo(
            "switch to enabled held: 12 running instances use images that would not be allowed (9)"
                + " or cannot be judged from the instance metadata (3); the limit is 0; images:"
                + " ami-1 'vendor-app' x7 running (not allowed), ami-3 'mystery' x3 running"
                + " (unknown), ami-2 x2 running (not allowed)");
  }
}
