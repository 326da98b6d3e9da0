package io.allowedami.reconcile;

import static io.allowedami.reconcile.Conditions.READY;
import static io.allowedami.reconcile.Conditions.RECONCILING;
import static io.allowedami.reconcile.Conditions.STALLED;
import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final DesiredSettings DESIRED =
      DesiredSettings.of(AllowedImagesState.ENABLED, AMAZON);
  private static final RegionSettings CONVERGED =
      new RegionSettings(AllowedImagesState.ENABLED, AMAZON, ManagedBy.ACCOUNT);

  private static RegionOutcome inSync(String region) {
    return RegionOutcome.builder(region, CONVERGED, RegionPlanner.plan(DESIRED, CONVERGED)).build();
  }

  private static RegionOutcome changed(String region, boolean drift) {
    RegionSettings before =
        new RegionSettings(AllowedImagesState.AUDIT_MODE, AMAZON, ManagedBy.ACCOUNT);
    return RegionOutcome.builder(region, CONVERGED, RegionPlanner.plan(DESIRED, before))
        .applied(List.of(new RegionAction.SetState(AllowedImagesState.ENABLED)))
        .driftCorrected(drift)
        .build();
  }

  private static RegionOutcome failed(String region, Failure failure) {
    return RegionOutcome.failedBeforeReading(region, failure);
  }

  private static String status(AllowedAmiPolicyStatus status, String type) {
    return Conditions.find(status.getConditions(), type).getStatus();
  }

  @Test
  void whenEveryRegionIsInSync_thenReadyIsTrueAndTheOthersFalse() {
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(
            null, 3, "111122223333", List.of(inSync("us-east-1"), inSync("eu-west-1")), "t1");

    assertThat(status(status, READY)).isEqualTo("True");
    assertThat(status(status, RECONCILING)).isEqualTo("False");
    assertThat(status(status, STALLED)).isEqualTo("False");
    assertThat(status.getObservedGeneration()).isEqualTo(3);
    assertThat(status.getRegionsInSync()).isEqualTo("2/2");
    assertThat(status.getConditions())
        .extracting(PolicyCondition::getType)
        .containsExactly("Compliant", READY, RECONCILING, STALLED);
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3));
  }

  @Test
  void whenNothingChanged_thenTheNextStatusIsIdenticalSoNoPatchIsSent() {
    AllowedAmiPolicyStatus first =
        StatusBuilder.build(null, 1, "1", List.of(changed("us-east-1", false)), "t1");
    AllowedAmiPolicyStatus second =
        StatusBuilder.build(first, 1, "1", List.of(inSync("us-east-1")), "t2");
    AllowedAmiPolicyStatus third =
        StatusBuilder.build(second, 1, "1", List.of(inSync("us-east-1")), "t3");

    assertThat(Serialization.asJson(third)).isEqualTo(Serialization.asJson(second));
    assertThat(third.getRegions().get(0).getLastChangeTime()).isEqualTo("t1");
    assertThat(third.getRegions().get(0).getLastChange()).isEqualTo("set state enabled");
  }

  @Test
  void whenAConditionFlips_thenOnlyItsTransitionTimeMoves() {
    AllowedAmiPolicyStatus failing =
        StatusBuilder.build(
            null,
            1,
            "1",
            List.of(failed("us-east-1", Failure.recoverable("RequestLimitExceeded", "slow down"))),
            "t1");
    AllowedAmiPolicyStatus recovered =
        StatusBuilder.build(failing, 1, "1", List.of(inSync("us-east-1")), "t2");

    assertThat(Conditions.find(failing.getConditions(), READY).getLastTransitionTime())
        .isEqualTo("t1");
    assertThat(Conditions.find(recovered.getConditions(), READY).getLastTransitionTime())
        .isEqualTo("t2");
    assertThat(Conditions.find(recovered.getConditions(), STALLED).getLastTransitionTime())
        .as("Stalled stayed False")
        .isEqualTo("t1");
  }

  @Test
  void whenARegionIsThrottled_thenReconcilingIsTrueAndNotStalled() {
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(
            null,
            1,
            "1",
            List.of(
                inSync("us-east-1"),
                failed("eu-west-1", Failure.recoverable("RequestLimitExceeded", "slow down"))),
            "t1");

    assertThat(status(status, READY)).isEqualTo("False");
    assertThat(status(status, RECONCILING)).isEqualTo("True");
    assertThat(status(status, STALLED)).isEqualTo("False");
    assertThat(Conditions.find(status.getConditions(), RECONCILING).getMessage())
        .contains("eu-west-1")
        .contains("RequestLimitExceeded");
    assertThat(status.getRegions().get(1).getError().getErrorClass()).isEqualTo("Recoverable");
    assertThat(status.getRegionsInSync()).isEqualTo("1/2");
  }

  @Test
  void whenARegionFailsTerminally_thenStalledIsTrueWithTheCodeAsReason() {
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(
            null,
            1,
            "1",
            List.of(
                failed("eu-west-1", Failure.terminal("UnauthorizedOperation", "no permission"))),
            "t1");

    PolicyCondition stalled = Conditions.find(status.getConditions(), STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("UnauthorizedOperation");
    assertThat(stalled.getMessage()).contains("eu-west-1");
    assertThat(status(status, RECONCILING)).isEqualTo("False");
  }

  @Test
  void whenTheSameErrorRepeats_thenItsSinceTimeIsKept() {
    Failure throttled = Failure.recoverable("RequestLimitExceeded", "slow down");
    AllowedAmiPolicyStatus first =
        StatusBuilder.build(null, 1, "1", List.of(failed("us-east-1", throttled)), "t1");
    AllowedAmiPolicyStatus second =
        StatusBuilder.build(first, 1, "1", List.of(failed("us-east-1", throttled)), "t2");

    assertThat(second.getRegions().get(0).getError().getSince()).isEqualTo("t1");
    assertThat(Serialization.asJson(second)).isEqualTo(Serialization.asJson(first));
  }

  @Test
  void whenDriftIsCorrected_thenTheCounterAndTimeAreRecorded() {
    AllowedAmiPolicyStatus first =
        StatusBuilder.build(null, 1, "1", List.of(changed("us-east-1", true)), "t1");
    AllowedAmiPolicyStatus second =
        StatusBuilder.build(first, 1, "1", List.of(changed("us-east-1", true)), "t2");

    assertThat(second.getRegions().get(0).getDriftCorrections()).isEqualTo(2);
    assertThat(second.getRegions().get(0).getLastDriftCorrectionTime()).isEqualTo("t2");
  }

  @Test
  void whenTheSpecIsInvalid_thenStalledNamesTheProblemAndRegionsAreKept() {
    AllowedAmiPolicyStatus converged =
        StatusBuilder.build(null, 1, "1", List.of(inSync("us-east-1")), "t1");
    AllowedAmiPolicyStatus invalid =
        StatusBuilder.invalidSpec(
            converged, 2, List.of("spec.providers: 'x' is not a provider"), "t2");

    assertThat(status(invalid, STALLED)).isEqualTo("True");
    assertThat(Conditions.find(invalid.getConditions(), READY).getReason())
        .isEqualTo("InvalidSpec");
    assertThat(Conditions.find(invalid.getConditions(), READY).getMessage())
        .contains("'x' is not a provider")
        .contains("nothing was changed");
    assertThat(invalid.getObservedGeneration()).isEqualTo(2);
    assertThat(invalid.getRegions()).hasSize(1);
  }
}
