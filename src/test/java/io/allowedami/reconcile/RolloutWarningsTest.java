package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.compliance.RolloutCautions.Caution;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RolloutWarning condition and which cautions are new since the last status. */
class RolloutWarningsTest {
  private static final Caution AMAZON = new Caution("AmazonNotAllowed", "no amazon");
  private static final Caution NAMES = new Caution("NamesWithoutProvider", "bare names");
  private static final Caution AGED = new Caution("CreationDateLimit", "too old");

  private static AllowedAmiPolicyStatus with(List<Caution> cautions) {
    AllowedAmiPolicyStatus status = new AllowedAmiPolicyStatus();
    RolloutWarnings.apply(status, cautions, 1, "t1");
    return status;
  }

  private static PolicyCondition condition(AllowedAmiPolicyStatus status) {
    return Conditions.find(status.getConditions(), RolloutWarnings.ROLLOUT_WARNING);
  }

  @Test
  void cautionsMakeTheConditionTrueWithEveryReasonAndMessage() {
    PolicyCondition c = condition(with(List.of(NAMES, AMAZON)));

    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("AmazonNotAllowed,NamesWithoutProvider");
    assertThat(c.getReason()).matches("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
    assertThat(c.getMessage()).isEqualTo("bare names; no amazon");
  }

  @Test
  void noCautionMakesItFalse() {
    PolicyCondition c = condition(with(List.of()));

    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo(RolloutWarnings.REASON_NONE);
  }

  @Test
  void onlyCautionsThatDidNotApplyBeforeAreNew() {
    AllowedAmiPolicyStatus before = with(List.of(AMAZON, NAMES));

    assertThat(RolloutWarnings.newlyApplying(before, List.of(AMAZON, NAMES))).isEmpty();
    assertThat(RolloutWarnings.newlyApplying(before, List.of(AMAZON, AGED))).containsExactly(AGED);
    assertThat(RolloutWarnings.newlyApplying(null, List.of(AMAZON))).containsExactly(AMAZON);
    assertThat(RolloutWarnings.newlyApplying(with(List.of()), List.of(AMAZON)))
        .containsExactly(AMAZON);
  }

  @Test
  void aPolicyWithoutCriteriaOfItsOwnHasNoCautionsToCheck() {
    assertThat(
            RolloutWarnings.cautions(
                DesiredSettings.stateOnly(AllowedImagesState.DISABLED), List.of()))
        .isEmpty();
  }
}
