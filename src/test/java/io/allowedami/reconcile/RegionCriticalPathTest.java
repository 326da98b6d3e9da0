package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsFailureException;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionSettings;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.FakeGateway;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a Region waits for before it writes: the instance scan only when the rollout gate needs it,
 * and the DryRun checks, sent beside the settings read when writes are expected, never skipped.
 */
class RegionCriticalPathTest {
  private static final String REGION = "eu-west-1";
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final DesiredSettings ENABLED =
      DesiredSettings.of(AllowedImagesState.ENABLED, AMAZON);
  private static final RegionSettings IN_SYNC =
      new RegionSettings(AllowedImagesState.ENABLED, AMAZON, ManagedBy.ACCOUNT);
  private static final Failure DENIED =
      Failure.terminal(
          "UnauthorizedOperation", "You are not authorized to perform this operation.");
  private static final ExecutorService CALLS = Executors.newCachedThreadPool();

  private final FakeGateway fake = new FakeGateway("111122223333");

  @AfterAll
  static void stopCalls() {
    CALLS.shutdownNow();
  }

  private static RegionConverger.Inputs inputs(
      boolean wasInSync, Integer maxBlocked, Optional<String> withheld, boolean writesExpected) {
    return new RegionConverger.Inputs(
        ENABLED,
        wasInSync,
        maxBlocked,
        CompletableFuture.completedFuture("111122223333"),
        new ComplianceAggregator(ReportLimits.DEFAULT),
        Instant.parse("2026-11-24T00:00:00Z"),
        CALLS,
        withheld,
        Optional.empty(),
        null,
        writesExpected);
  }

  /** The fake, whose instance read waits for {@code release} (at most 5 s). */
  private AllowedImagesGateway slowScan(CountDownLatch release, AtomicBoolean released) {
    return new DelegatingGateway(fake) {
      @Override
      public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
        try {
          released.set(release.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        pages.accept(List.of());
      }
    };
  }

  @Test
  void whenNoRolloutGateIsSet_thenTheWritesDoNotWaitForTheInstanceScan() {
    CountDownLatch writesDone = new CountDownLatch(1);
    AtomicBoolean scanReleasedByWrites = new AtomicBoolean();
    AllowedImagesGateway aws =
        new DelegatingGateway(slowScan(writesDone, scanReleasedByWrites)) {
          @Override
          public void apply(String region, RegionAction action) {
            super.apply(region, action);
            if (action instanceof RegionAction.SetState) {
              writesDone.countDown();
            }
          }
        };

    RegionOutcome outcome =
        RegionConverger.converge(aws, REGION, inputs(false, null, Optional.empty(), true));

    assertThat(scanReleasedByWrites)
        .as("the scan was still running when both writes were made")
        .isTrue();
    assertThat(outcome.applied()).hasSize(2);
    assertThat(outcome.compliance()).as("the scan is still joined, after the writes").isPresent();
    assertThat(outcome.complianceFailure()).isEmpty();
  }

  @Test
  void whenTheRolloutGateIsSet_thenNoWriteIsMadeBeforeTheInstanceScanFinished() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean released = new AtomicBoolean();
    AllowedImagesGateway aws = slowScan(release, released);

    CompletableFuture<RegionOutcome> outcome =
        CompletableFuture.supplyAsync(
            () -> RegionConverger.converge(aws, REGION, inputs(false, 0, Optional.empty(), true)));
    Thread.sleep(300);
    assertThat(fake.writes(REGION)).as("no write while the gate waits for the scan").isZero();
    release.countDown();

    assertThat(outcome.get(10, TimeUnit.SECONDS).applied()).hasSize(2);
    assertThat(released).isTrue();
  }

  @Test
  void whenWritesAreExpected_thenBothDryRunsGoOutBesideTheSettingsReadAndAreNotRepeated() {
    CountDownLatch dryRuns = new CountDownLatch(2);
    AtomicBoolean sentBeforeTheReadAnswered = new AtomicBoolean();
    AllowedImagesGateway aws =
        new DelegatingGateway(fake) {
          @Override
          public RegionSettings getSettings(String region) {
            try {
              sentBeforeTheReadAnswered.set(dryRuns.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.getSettings(region);
          }

          @Override
          public void checkPermission(String region, RegionAction action) {
            dryRuns.countDown();
            super.checkPermission(region, action);
          }
        };

    RegionOutcome outcome =
        RegionConverger.converge(aws, REGION, inputs(false, null, Optional.empty(), true));

    assertThat(sentBeforeTheReadAnswered).isTrue();
    assertThat(outcome.applied()).hasSize(2);
    assertThat(fake.calls("dryRun ")).as("each DryRun once").isEqualTo(2);
  }

  @Test
  void whenADryRunSentAheadIsDenied_thenNothingIsWritten() {
    AllowedImagesGateway aws =
        new DelegatingGateway(fake) {
          @Override
          public void checkPermission(String region, RegionAction action) {
            super.checkPermission(region, action);
            if (action instanceof RegionAction.SetState) {
              throw new AwsFailureException(DENIED, null);
            }
          }
        };

    RegionOutcome outcome =
        RegionConverger.converge(aws, REGION, inputs(false, null, Optional.empty(), true));

    assertThat(outcome.failure()).contains(DENIED);
    assertThat(outcome.applied()).isEmpty();
    assertThat(fake.writes(REGION)).as("not even the criteria, whose DryRun passed").isZero();
    assertThat(fake.settings(REGION).state()).isEqualTo(AllowedImagesState.DISABLED);
  }

  @Test
  void whenTheRegionWasInSyncAndStillIs_thenNoDryRunIsSent() {
    fake.setSettings(REGION, IN_SYNC);

    RegionOutcome outcome =
        RegionConverger.converge(fake, REGION, inputs(true, null, Optional.empty(), false));

    assertThat(outcome.inSync()).isTrue();
    assertThat(fake.calls("dryRun ")).isZero();
    assertThat(fake.calls("get ")).isEqualTo(1);
  }

  @Test
  void whenARegionInSyncDrifted_thenItsDryRunsAreSentOnceThePlanIsKnownAndOnlyThoseNeeded() {
    fake.setSettings(
        REGION, new RegionSettings(AllowedImagesState.AUDIT_MODE, AMAZON, ManagedBy.ACCOUNT));

    RegionOutcome outcome =
        RegionConverger.converge(fake, REGION, inputs(true, null, Optional.empty(), false));

    assertThat(outcome.applied())
        .containsExactly(new RegionAction.SetState(AllowedImagesState.ENABLED));
    assertThat(fake.calls("dryRun ")).as("the state's only").isEqualTo(1);
    assertThat(outcome.driftCorrected()).isTrue();
  }

  @Test
  void whenWritesAreWithheld_thenNoDryRunIsSentEvenWhenTheRegionDiffers() {
    RegionOutcome outcome =
        RegionConverger.converge(
            fake, REGION, inputs(false, null, Optional.of("observe-only"), true));

    assertThat(outcome.applied()).isEmpty();
    assertThat(outcome.pendingChanges()).isPresent();
    assertThat(fake.calls("dryRun ")).isZero();
  }

  @Test
  void writesAreExpectedWithoutAStatusAndWhenOutOfSyncForAReasonAWriteCanFix() {
    assertThat(AllowedAmiPolicyReconciler.writesExpected(null)).isTrue();
    assertThat(AllowedAmiPolicyReconciler.writesExpected(status(false, null, null))).isTrue();
    assertThat(AllowedAmiPolicyReconciler.writesExpected(status(false, "account", null))).isTrue();
  }

  @Test
  void writesAreNotExpectedInSyncUnderADeclarativePolicyOrHeldByTheRolloutGate() {
    assertThat(AllowedAmiPolicyReconciler.writesExpected(status(true, null, null))).isFalse();
    assertThat(AllowedAmiPolicyReconciler.writesExpected(status(false, "declarative-policy", null)))
        .isFalse();
    assertThat(AllowedAmiPolicyReconciler.writesExpected(status(false, null, "switch held")))
        .isFalse();
  }

  private static RegionStatus status(boolean inSync, String managedBy, String rolloutGate) {
    RegionStatus status = new RegionStatus();
    status.setRegion(REGION);
    status.setInSync(inSync);
    status.setManagedBy(managedBy);
    status.setRolloutGate(rolloutGate);
    return status;
  }
}
