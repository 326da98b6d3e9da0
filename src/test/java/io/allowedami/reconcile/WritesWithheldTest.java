package io.allowedami.reconcile;

import static io.allowedami.reconcile.Conditions.READY;
import static io.allowedami.reconcile.Conditions.RECONCILING;
import static io.allowedami.reconcile.Conditions.STALLED;
import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conditions and per-Region text of a policy whose writes are withheld, without a server. */
class WritesWithheldTest {
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final DesiredSettings DESIRED =
      DesiredSettings.of(AllowedImagesState.AUDIT_MODE, AMAZON);
  private static final RegionSettings DISABLED =
      new RegionSettings(AllowedImagesState.DISABLED, ImageCriteria.NONE, ManagedBy.ACCOUNT);
  private static final RegionSettings MATCHING =
      new RegionSettings(AllowedImagesState.AUDIT_MODE, AMAZON, ManagedBy.ACCOUNT);

  private static RegionOutcome withheld(String region, String why) {
    RegionPlan plan = RegionPlanner.plan(DESIRED, DISABLED);
    return RegionOutcome.builder(region, DISABLED, plan)
        .pendingChanges(PendingChanges.withheld(why, plan.actions(), DISABLED))
        .build();
  }

  private static RegionOutcome matching(String region) {
    return RegionOutcome.builder(region, MATCHING, RegionPlanner.plan(DESIRED, MATCHING)).build();
  }

  private static AllowedAmiPolicyStatus status(List<RegionOutcome> outcomes, String why) {
    AllowedAmiPolicyStatus built = StatusBuilder.build(null, 1, "111122223333", outcomes, "t1");
    return WritesWithheld.conditions(null, built, 1, outcomes, why, "t1");
  }

  private static PolicyCondition condition(AllowedAmiPolicyStatus status, String type) {
    return Conditions.find(status.getConditions(), type);
  }

  @Test
  void whenSuspendIsSet_thenItWinsOverObserveOnly() {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    assertThat(WritesWithheld.reason(spec)).isEmpty();
    spec.setEnforcement("Enforce");
    assertThat(WritesWithheld.reason(spec)).isEmpty();
    spec.setEnforcement("ObserveOnly");
    assertThat(WritesWithheld.reason(spec)).contains("observe-only");
    spec.setSuspend(true);
    assertThat(WritesWithheld.reason(spec)).contains("suspended");
    spec.setSuspend(false);
    spec.setEnforcement(null);
    assertThat(WritesWithheld.reason(spec)).isEmpty();
  }

  @Test
  void whenARegionDiffers_thenItsPendingChangesAreInOrderAndItIsNotInSync() {
    RegionOutcome outcome = withheld("us-east-1", "observe-only");

    assertThat(outcome.pendingChanges())
        .contains(
            "would replace image criteria (1 criterion), then set state disabled -> audit-mode"
                + " (observe-only)");
    assertThat(outcome.inSync()).isFalse();
    assertThat(outcome.needsRetry()).isFalse();
  }

  @Test
  void whenObserveOnlyAndRegionsDiffer_thenReadyIsFalseAndNothingIsStalledOrReconciling() {
    AllowedAmiPolicyStatus status =
        status(
            List.of(withheld("us-east-1", "observe-only"), matching("eu-west-1")), "observe-only");

    assertThat(condition(status, READY).getStatus()).isEqualTo("False");
    assertThat(condition(status, READY).getReason()).isEqualTo("ObserveOnly");
    assertThat(condition(status, READY).getMessage())
        .isEqualTo(
            "observe-only: nothing is written to AWS; 1 of 2 Regions match the spec; us-east-1"
                + " would replace image criteria (1 criterion), then set state disabled ->"
                + " audit-mode (observe-only)");
    assertThat(condition(status, RECONCILING).getStatus()).isEqualTo("False");
    assertThat(condition(status, STALLED).getStatus()).isEqualTo("False");
    assertThat(status.getRegions().get(0).getPendingChanges()).startsWith("would replace");
    assertThat(status.getRegions().get(1).getPendingChanges()).isNull();
  }

  @Test
  void whenObserveOnlyAndEveryRegionMatches_thenReady() {
    AllowedAmiPolicyStatus status = status(List.of(matching("eu-west-1")), "observe-only");

    assertThat(condition(status, READY).getStatus()).isEqualTo("True");
    assertThat(condition(status, READY).getMessage())
        .isEqualTo("observe-only: nothing is written to AWS; all 1 Regions match the spec");
  }

  @Test
  void whenSuspended_thenNeverReadyEvenWhenEveryRegionMatches() {
    AllowedAmiPolicyStatus status = status(List.of(matching("eu-west-1")), "suspended");

    assertThat(condition(status, READY).getStatus()).isEqualTo("False");
    assertThat(condition(status, READY).getReason()).isEqualTo("Suspended");
    assertThat(condition(status, RECONCILING).getReason()).isEqualTo("Suspended");
  }

  @Test
  void whenARegionIsRetried_thenReconcilingStaysTrue() {
    AllowedAmiPolicyStatus status =
        status(
            List.of(
                withheld("us-east-1", "suspended"),
                RegionOutcome.failedBeforeReading(
                    "eu-west-1", Failure.recoverable("RequestLimitExceeded", "slow down"))),
            "suspended");

    assertThat(condition(status, RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(status, READY).getMessage())
        .endsWith("eu-west-1: RequestLimitExceeded, retrying");
  }

  @Test
  void whenTheStatusStaysTheSame_thenTheTransitionTimeIsKept() {
    List<RegionOutcome> outcomes = List.of(withheld("us-east-1", "suspended"));
    AllowedAmiPolicyStatus first = status(outcomes, "suspended");
    AllowedAmiPolicyStatus built = StatusBuilder.build(first, 1, "111122223333", outcomes, "t2");
    AllowedAmiPolicyStatus second =
        WritesWithheld.conditions(first, built, 1, outcomes, "suspended", "t2");

    assertThat(condition(second, READY).getLastTransitionTime()).isEqualTo("t1");
    assertThat(StatusWriter.changed(first, second)).isFalse();
  }

  @Test
  void whenADeclarativePolicyDiffers_thenTheChangesTheSpecWouldMakeAreSaid() {
    RegionSettings enforced =
        new RegionSettings(AllowedImagesState.ENABLED, AMAZON, ManagedBy.DECLARATIVE_POLICY);

    assertThat(PendingChanges.blockedByDeclarativePolicy(DESIRED, enforced))
        .isEqualTo(
            "would set state enabled -> audit-mode (enforced by a declarative policy that differs"
                + " from the spec)");
  }
}
