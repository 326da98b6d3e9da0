package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.aws.AwsFailureException;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionSettings;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.FakeGateway;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Each step of a Region, and each Region, fails on its own. */
class RegionIsolationTest {
  private static final String REGION = "eu-west-1";
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final DesiredSettings ENABLED =
      DesiredSettings.of(AllowedImagesState.ENABLED, AMAZON);
  private static final Failure THROTTLED =
      Failure.recoverable("RequestLimitExceeded", "Request limit exceeded.");

  private final FakeGateway fake = new FakeGateway("111122223333");
  private static final ExecutorService CALLS = Executors.newCachedThreadPool();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @org.junit.jupiter.api.AfterAll
  static void stopCalls() {
    CALLS.shutdownNow();
  }

  private RegionConverger.Inputs inputs(Integer maxBlocked) {
    return RegionConverger.Inputs.of(
        ENABLED,
        false,
        maxBlocked,
        "111122223333",
        new ComplianceAggregator(ReportLimits.DEFAULT),
        Instant.parse("2026-11-24T00:00:00Z"),
        CALLS);
  }

  /** The fake, with the instance read and the n-th settings read replaced. */
  private AllowedImagesGateway gateway(
      Supplier<List<InstanceImage>> instances, int failingSettingsRead, RuntimeException error) {
    AtomicInteger reads = new AtomicInteger();
    return new DelegatingGateway(fake) {
      @Override
      public RegionSettings getSettings(String region) {
        if (reads.incrementAndGet() == failingSettingsRead) {
          throw error;
        }
        return super.getSettings(region);
      }

      @Override
      public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
        pages.accept(instances.get());
      }
    };
  }

  private static Supplier<List<InstanceImage>> failing(RuntimeException e) {
    return () -> {
      throw e;
    };
  }

  @Test
  void whenInstancesCannotBeRead_thenTheSettingsStillConvergeAndTheReadFailureStandsApart() {
    var aws = gateway(failing(new AwsFailureException(THROTTLED, null)), 0, null);

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(null));

    assertThat(fake.settings(REGION))
        .isEqualTo(new RegionSettings(AllowedImagesState.ENABLED, AMAZON, null));
    assertThat(outcome.applied()).hasSize(2);
    assertThat(outcome.failure()).isEmpty();
    assertThat(outcome.inSync()).isTrue();
    assertThat(outcome.compliance()).isEmpty();
    assertThat(outcome.complianceFailure()).contains(THROTTLED);
    assertThat(outcome.needsRetry()).as("the instance read is retried soon").isTrue();
  }

  @Test
  void whenInstancesCannotBeReadAndTheRolloutGateIsSet_thenTheSwitchToEnabledIsHeld() {
    var aws = gateway(failing(new AwsFailureException(THROTTLED, null)), 0, null);

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(0));

    assertThat(fake.settings(REGION).state()).isEqualTo(AllowedImagesState.DISABLED);
    assertThat(fake.settings(REGION).criteria())
        .as("criteria applied while held")
        .isEqualTo(AMAZON);
    assertThat(outcome.heldByRolloutGate()).isTrue();
    assertThat(outcome.rolloutGate().orElseThrow())
        .contains("could not be read")
        .contains("RequestLimitExceeded");
  }

  @Test
  void whenTheSecondWriteFails_thenTheFirstIsReportedAsWritten() {
    AtomicInteger writes = new AtomicInteger();
    AllowedImagesGateway aws =
        new DelegatingGateway(fake) {
          @Override
          public void apply(String region, RegionAction action) {
            if (writes.incrementAndGet() == 2) {
              throw new AwsFailureException(THROTTLED, null);
            }
            super.apply(region, action);
          }
        };

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(null));

    assertThat(outcome.applied()).hasSize(1);
    assertThat(outcome.observed())
        .contains(new RegionSettings(AllowedImagesState.DISABLED, AMAZON, null));
    assertThat(outcome.failure()).contains(THROTTLED);
    assertThat(outcome.describeApplied()).contains("replaced image criteria");
  }

  @Test
  void whenOneOfTwoWritesIsDenied_thenNeitherIsMade() {
    AllowedImagesGateway aws =
        new DelegatingGateway(fake) {
          @Override
          public void checkPermission(String region, RegionAction action) {
            if (action instanceof RegionAction.SetState) {
              throw new AwsFailureException(
                  Failure.terminal("UnauthorizedOperation", "not allowed"), null);
            }
          }
        };

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(null));

    assertThat(fake.writes(REGION)).isZero();
    assertThat(outcome.applied()).isEmpty();
    assertThat(outcome.failure().orElseThrow().code()).isEqualTo("UnauthorizedOperation");
  }

  @Test
  void independentCallsAreIssuedTogether_theSettingsWithTheInstancesAndTheDryRunsWithEachOther() {
    CountDownLatch instancesStarted = new CountDownLatch(1);
    CountDownLatch dryRunsStarted = new CountDownLatch(2);
    AllowedImagesGateway aws =
        new DelegatingGateway(fake) {
          @Override
          public RegionSettings getSettings(String region) {
            await(instancesStarted);
            return super.getSettings(region);
          }

          @Override
          public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
            instancesStarted.countDown();
          }

          @Override
          public void checkPermission(String region, RegionAction action) {
            dryRunsStarted.countDown();
            await(dryRunsStarted);
          }
        };

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(null));

    assertThat(outcome.failure()).as("neither read nor check waited for the other").isEmpty();
    assertThat(outcome.applied()).hasSize(2);
  }

  /** Waits for a latch; a test that would otherwise hang fails instead. */
  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("calls were made one after the other");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void whenABugThrowsInTheInstanceRead_thenItIsAnInternalErrorAndTheSettingsStillConverge() {
    var aws = gateway(failing(new NullPointerException("bug")), 0, null);

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(null));

    assertThat(outcome.inSync()).isTrue();
    assertThat(outcome.complianceFailure().orElseThrow().code())
        .isEqualTo(AwsErrorClassifier.INTERNAL_ERROR);
    assertThat(outcome.complianceFailure().orElseThrow().isTerminal())
        .as("a bug is not hot-retried")
        .isTrue();
    assertThat(outcome.needsRetry()).isFalse();
  }

  @Test
  void whenABugThrowsInTheSettingsRead_thenTheRegionFailsTerminallyWithoutWriting() {
    var aws = gateway(List::of, 1, new IllegalStateException("bug"));

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs(null));

    assertThat(outcome.failure().orElseThrow().code()).isEqualTo(AwsErrorClassifier.INTERNAL_ERROR);
    assertThat(outcome.failure().orElseThrow().message()).doesNotContain("bug");
    assertThat(fake.writes(REGION)).isZero();
  }

  @Test
  void whenOneRegionIsSlow_thenTheOthersOutcomesComeBackAndItsOwnSaysItTimedOut()
      throws InterruptedException {
    CountDownLatch slowRegionMayFinish = new CountDownLatch(1);
    RegionFanOut fanOut = new RegionFanOut(pool, Duration.ofMillis(300));

    List<RegionOutcome> outcomes =
        fanOut.converge(
            List.of("us-east-1", "slow-1", "eu-west-1"),
            region -> {
              if (region.equals("slow-1")) {
                try {
                  slowRegionMayFinish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return RegionConverger.converge(fake, region, inputs(null));
            });
    slowRegionMayFinish.countDown();

    assertThat(outcomes)
        .extracting(RegionOutcome::region)
        .containsExactly("us-east-1", "slow-1", "eu-west-1");
    assertThat(outcomes.get(0).inSync()).isTrue();
    assertThat(outcomes.get(2).inSync()).isTrue();
    assertThat(outcomes.get(1).failure().orElseThrow().code())
        .isEqualTo(RegionFanOut.DEADLINE_EXCEEDED);
    assertThat(outcomes.get(1).failure().orElseThrow().isTerminal()).isFalse();
  }

  @Test
  void whenOneRegionsTaskThrows_thenOnlyThatRegionFailsAndTheOthersKeepTheirWrites() {
    RegionFanOut fanOut = new RegionFanOut(pool, Duration.ofSeconds(30));

    List<RegionOutcome> outcomes =
        fanOut.converge(
            List.of("us-east-1", "broken-1"),
            region -> {
              if (region.equals("broken-1")) {
                throw new IllegalStateException("bug");
              }
              return RegionConverger.converge(fake, region, inputs(null));
            });

    assertThat(outcomes.get(0).applied()).hasSize(2);
    assertThat(outcomes.get(0).inSync()).isTrue();
    assertThat(outcomes.get(1).failure().orElseThrow().code())
        .isEqualTo(AwsErrorClassifier.INTERNAL_ERROR);
  }

  @Test
  void whenTheEndpointCannotBeResolvedOrConnected_thenItIsRecoverableAndNamed() {
    Failure dns =
        AwsErrorClassifier.classify(
            SdkClientException.builder()
                .message("Unable to execute HTTP request: ec2.us-east-9.amazonaws.com")
                .cause(new UnknownHostException("ec2.us-east-9.amazonaws.com"))
                .build());
    Failure refused =
        AwsErrorClassifier.classify(
            SdkClientException.builder()
                .message("Unable to execute HTTP request")
                .cause(new java.net.ConnectException("Connection refused"))
                .build());
    for (Failure f : List.of(dns, refused)) {
      assertThat(f.code()).isEqualTo(AwsErrorClassifier.ENDPOINT_UNREACHABLE);
      assertThat(f.isTerminal()).isFalse();
    }
  }
}
