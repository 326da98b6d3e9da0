package io.allowedami.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.domain.RegionAction.ReplaceCriteria;
import io.allowedami.domain.RegionAction.SetState;
import io.allowedami.domain.RegionPlan.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegionPlannerTest {
  private static final ImageCriteria AMAZON = criteria("amazon");
  private static final ImageCriteria AMAZON_AND_MARKETPLACE = criteria("amazon", "aws-marketplace");

  private static ImageCriteria criteria(String... providers) {
    return ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of(providers))));
  }

  /**
   * Every desired state x desired criteria (unmanaged, same, other) x observed state x owner x
   * gate.
   */
  static Stream<Arguments> everyCase() {
    List<Arguments> cases = new ArrayList<>();
    for (AllowedImagesState desiredState : AllowedImagesState.values()) {
      for (Optional<ImageCriteria> desiredCriteria :
          List.of(
              Optional.<ImageCriteria>empty(),
              Optional.of(AMAZON),
              Optional.of(AMAZON_AND_MARKETPLACE))) {
        for (AllowedImagesState observedState : AllowedImagesState.values()) {
          for (ManagedBy managedBy : ManagedBy.values()) {
            for (boolean enableHeld : List.of(false, true)) {
              cases.add(
                  Arguments.of(
                      new DesiredSettings(desiredState, desiredCriteria),
                      new RegionSettings(observedState, AMAZON, managedBy),
                      enableHeld));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "[{index}] desired {0}, observed {1}, enable held {2}")
  @MethodSource("everyCase")
  void planIsMinimalSafeAndReachesTheSpec(
      DesiredSettings desired, RegionSettings observed, boolean enableHeld) {
    RegionPlan plan = RegionPlanner.plan(desired, observed, enableHeld);

    boolean criteriaDiffer =
        desired.criteria().map(c -> !c.equals(observed.criteria())).orElse(false);
    boolean stateDiffers = desired.state() != observed.state();
    assertThat(plan.criteriaMatch()).isEqualTo(!criteriaDiffer);

    if (!criteriaDiffer && !stateDiffers) {
      assertThat(plan.outcome()).isEqualTo(Outcome.IN_SYNC);
      assertThat(plan.actions()).isEmpty();
      return;
    }
    if (observed.managedBy() == ManagedBy.DECLARATIVE_POLICY) {
      assertThat(plan.outcome()).isEqualTo(Outcome.BLOCKED_BY_DECLARATIVE_POLICY);
      assertThat(plan.actions()).as("never write to an enforced setting").isEmpty();
      return;
    }

    boolean held = enableHeld && stateDiffers && desired.state() == AllowedImagesState.ENABLED;
    assertThat(plan.outcome()).isEqualTo(held ? Outcome.HELD_BY_ROLLOUT_GATE : Outcome.APPLY);

    // Minimal: one write per difference, none redundant.
    int expectedWrites = (criteriaDiffer ? 1 : 0) + (stateDiffers && !held ? 1 : 0);
    assertThat(plan.actions()).hasSize(expectedWrites);

    // Safe: no intermediate step enforces more than where it started while criteria are stale.
    RegionSettings current = observed;
    for (RegionAction action : plan.actions()) {
      current = applied(current, action);
      boolean staleCriteria =
          desired.criteria().isPresent() && !desired.criteria().get().equals(current.criteria());
      if (staleCriteria) {
        assertThat(current.state().enforcesMoreThan(observed.state()))
            .as(
                "after %s the Region enforces %s with stale criteria",
                action.describe(), current.state())
            .isFalse();
      }
    }

    // Complete: applying the plan reaches the spec (except a held switch to enabled).
    if (desired.criteria().isPresent()) {
      assertThat(current.criteria()).isEqualTo(desired.criteria().get());
    }
    assertThat(current.state()).isEqualTo(held ? observed.state() : desired.state());
  }

  private static RegionSettings applied(RegionSettings settings, RegionAction action) {
    if (action instanceof ReplaceCriteria replace) {
      return new RegionSettings(settings.state(), replace.criteria(), settings.managedBy());
    }
    return new RegionSettings(
        ((SetState) action).state(), settings.criteria(), settings.managedBy());
  }

  @Test
  void whenEnablingWithNewCriteria_thenCriteriaAreReplacedBeforeTheStateChanges() {
    RegionPlan plan =
        RegionPlanner.plan(
            DesiredSettings.of(AllowedImagesState.ENABLED, AMAZON_AND_MARKETPLACE),
            new RegionSettings(AllowedImagesState.AUDIT_MODE, AMAZON, ManagedBy.ACCOUNT));

    assertThat(plan.actions())
        .containsExactly(
            new ReplaceCriteria(AMAZON_AND_MARKETPLACE), new SetState(AllowedImagesState.ENABLED));
  }

  @Test
  void whenLeavingEnabledWithNewCriteria_thenTheStateChangesFirst() {
    RegionPlan plan =
        RegionPlanner.plan(
            DesiredSettings.of(AllowedImagesState.AUDIT_MODE, AMAZON_AND_MARKETPLACE),
            new RegionSettings(AllowedImagesState.ENABLED, AMAZON, ManagedBy.ACCOUNT));

    assertThat(plan.actions())
        .containsExactly(
            new SetState(AllowedImagesState.AUDIT_MODE),
            new ReplaceCriteria(AMAZON_AND_MARKETPLACE));
  }

  @Test
  void whenCriteriaDifferOnlyInOrderAndDuplicates_thenNothingIsWritten() {
    ImageCriterion names =
        new ImageCriterion(List.of("amazon"), List.of("b-*", "a-*", "a-*"), null, 30, null, null);
    ImageCriteria desired =
        ImageCriteria.of(
            List.of(names, ImageCriterion.ofProviders(List.of("aws-marketplace", "amazon"))));
    ImageCriteria observed =
        ImageCriteria.of(
            List.of(
                ImageCriterion.ofProviders(List.of("amazon", "aws-marketplace")),
                new ImageCriterion(
                    List.of("amazon"), List.of("a-*", "b-*"), List.of(), 30, null, List.of())));

    RegionPlan plan =
        RegionPlanner.plan(
            DesiredSettings.of(AllowedImagesState.ENABLED, desired),
            new RegionSettings(AllowedImagesState.ENABLED, observed, ManagedBy.ACCOUNT));

    assertThat(plan.isInSync()).isTrue();
  }

  @Test
  void whenDisabledWithoutCriteria_thenExistingCriteriaAreLeftAlone() {
    RegionPlan plan =
        RegionPlanner.plan(
            DesiredSettings.stateOnly(AllowedImagesState.DISABLED),
            new RegionSettings(AllowedImagesState.ENABLED, AMAZON, ManagedBy.ACCOUNT));

    assertThat(plan.actions()).containsExactly(new SetState(AllowedImagesState.DISABLED));
  }

  @Test
  void whenAConditionValueDiffers_thenCriteriaAreReplaced() {
    ImageCriteria thirtyDays =
        ImageCriteria.of(
            List.of(new ImageCriterion(List.of("amazon"), null, null, 30, null, null)));
    ImageCriteria sixtyDays =
        ImageCriteria.of(
            List.of(new ImageCriterion(List.of("amazon"), null, null, 60, null, null)));

    RegionPlan plan =
        RegionPlanner.plan(
            DesiredSettings.of(AllowedImagesState.AUDIT_MODE, sixtyDays),
            new RegionSettings(AllowedImagesState.AUDIT_MODE, thirtyDays, ManagedBy.ACCOUNT));

    assertThat(plan.actions()).containsExactly(new ReplaceCriteria(sixtyDays));
  }
}
