package io.allowedami.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.ImageList;
import io.allowedami.compliance.ComplianceReport.Preview;
import io.allowedami.compliance.ComplianceReport.VerdictCounts;
import java.util.List;
import java.util.Optional;
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

  private static LaunchTemplateReport templates(int wouldFail, int unknown, boolean truncated) {
    List<LaunchTemplateReport.Entry> entries =
        wouldFail == 0
            ? List.of()
            : List.of(
                new LaunchTemplateReport.Entry(
                    "lt-0abc",
                    "web",
                    7,
                    true,
                    "ami-0123",
                    LaunchTemplateReport.Outcome.NOT_ALLOWED,
                    "r"));
    return new LaunchTemplateReport(
        3,
        3,
        3 - wouldFail - unknown,
        wouldFail,
        unknown,
        0,
        entries,
        0,
        truncated,
        Fixtures.NOW,
        null);
  }

  @ParameterizedTest(name = "limit {0}, {1} would fail, {2} unknown: held {3}")
  @CsvSource({
    "0,0,0,false",
    "0,1,0,true",
    "0,0,1,true",
    "1,1,0,false",
    "1,1,1,true",
    "2,1,1,false"
  })
  void theLaunchTemplateGateCountsWhatWouldFailAndWhatCannotBeJudged(
      int limit, int wouldFail, int unknown, boolean held) {
    GateDecision decision =
        RolloutGate.decideLaunchTemplates(
            limit, Optional.of(templates(wouldFail, unknown, false)), "unused");

    assertThat(decision.held()).isEqualTo(held);
    if (held) {
      assertThat(decision.message())
          .contains((wouldFail + unknown) + " launch template versions would fail")
          .contains("the limit is " + limit);
    }
  }

  @Test
  void theLaunchTemplateGateNamesAVersionThatHoldsIt() {
    GateDecision decision =
        RolloutGate.decideLaunchTemplates(0, Optional.of(templates(1, 0, false)), "x");

    assertThat(decision.message()).contains("lt-0abc v7 (ami-0123)");
  }

  @Test
  void theLaunchTemplateGateHoldsWhenTheTemplatesCouldNotBeReadOrOnlyPartly() {
    assertThat(RolloutGate.decideLaunchTemplates(5, Optional.empty(), "UnauthorizedOperation"))
        .satisfies(d -> assertThat(d.held()).isTrue())
        .satisfies(d -> assertThat(d.message()).contains("UnauthorizedOperation"));
    assertThat(RolloutGate.decideLaunchTemplates(5, Optional.of(templates(0, 0, true)), "x").held())
        .isTrue();
  }

  @Test
  void withoutALaunchTemplateLimitNothingIsHeldEvenUnread() {
    assertThat(RolloutGate.decideLaunchTemplates(null, Optional.empty(), "x").held()).isFalse();
  }

  @Test
  void bothGatesHoldWhenEitherHoldsAndSayEveryReason() {
    GateDecision open = new GateDecision(false, "open");
    GateDecision instances = new GateDecision(true, "switch to enabled held: instances");
    GateDecision templates = new GateDecision(true, "switch to enabled held: templates");

    assertThat(RolloutGate.both(open, open).held()).isFalse();
    assertThat(RolloutGate.both(instances, open)).isEqualTo(instances);
    assertThat(RolloutGate.both(open, templates)).isEqualTo(templates);
    assertThat(RolloutGate.both(instances, templates).message())
        .isEqualTo("switch to enabled held: instances; and templates");
  }
}
