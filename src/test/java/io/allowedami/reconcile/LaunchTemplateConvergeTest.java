package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.aws.AwsFailureException;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.compliance.Verdict;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.RegionSettings;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.FakeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Launch templates inside a Region's convergence: beside the settings, and for the gate. */
class LaunchTemplateConvergeTest {
  private static final String ACCOUNT = "111122223333";
  private static final String REGION = "eu-west-1";
  private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final DesiredSettings ENABLED =
      DesiredSettings.of(AllowedImagesState.ENABLED, AMAZON);
  private static final DescribedImage MARKETPLACE_IMAGE =
      new DescribedImage(
          "ami-0000000000000mkt1",
          "vendor-appliance-7",
          "679593333241",
          "aws-marketplace",
          NOW.minus(Duration.ofDays(30)),
          null,
          "available",
          Verdict.UNKNOWN,
          Set.of("abc123"),
          null);

  private final ExecutorService calls = Executors.newCachedThreadPool();
  private final FakeGateway fake = new FakeGateway(ACCOUNT);
  private final LaunchTemplateScan scan = new LaunchTemplateScan(Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void stop() {
    calls.shutdownNow();
  }

  private RegionConverger.Inputs inputs(Integer maxBlockedTemplates) {
    return inputs("uid", maxBlockedTemplates);
  }

  /** Inputs of policy {@code uid}: each policy keeps its own scans. */
  private RegionConverger.Inputs inputs(String uid, Integer maxBlockedTemplates) {
    return new RegionConverger.Inputs(
        ENABLED,
        false,
        null,
        CompletableFuture.completedFuture(ACCOUNT),
        new ComplianceAggregator(ReportLimits.DEFAULT),
        NOW,
        calls,
        Optional.empty(),
        Optional.of(scan.forPolicy(uid, 1, templates, Duration.ofHours(1), calls)),
        maxBlockedTemplates,
        true);
  }

  private final Templates templates = new Templates(fake);

  @Test
  void withoutALimitTheSettingsConvergeWithoutWaitingForTheTemplates() throws Exception {
    templates.hold = new CountDownLatch(1);
    CompletableFuture<RegionOutcome> outcome =
        CompletableFuture.supplyAsync(
            () -> RegionConverger.converge(templates, REGION, inputs(null)));

    // Both writes are made while the template read is still held.
    org.awaitility.Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> fake.settings(REGION).state() == AllowedImagesState.ENABLED);
    assertThat(outcome).isNotDone();
    templates.hold.countDown();

    RegionOutcome done = outcome.get(10, TimeUnit.SECONDS);
    assertThat(done.applied()).hasSize(2);
    assertThat(done.launchTemplates().report().orElseThrow().wouldFail()).isEqualTo(1);
  }

  @Test
  void withALimitTheSwitchToEnabledIsHeldByATemplateThatWouldFail() {
    RegionOutcome outcome = RegionConverger.converge(templates, REGION, inputs(0));

    assertThat(outcome.heldByRolloutGate()).isTrue();
    assertThat(outcome.rolloutGate().orElseThrow())
        .contains("1 launch template versions would fail")
        .contains("lt-0000000000000web");
    assertThat(fake.settings(REGION))
        .as("criteria applied while held")
        .isEqualTo(new RegionSettings(AllowedImagesState.DISABLED, AMAZON, null));
  }

  @Test
  void withALimitUnreadTemplatesHoldTheSwitchAndWithoutOneTheRegionConverges() {
    templates.failure = Failure.terminal("UnauthorizedOperation", "not authorized");

    RegionOutcome held = RegionConverger.converge(templates, REGION, inputs(5));
    assertThat(held.rolloutGate().orElseThrow()).contains("UnauthorizedOperation");
    assertThat(held.launchTemplates().failure())
        .map(Failure::code)
        .contains("UnauthorizedOperation");

    RegionOutcome converged =
        RegionConverger.converge(templates, "us-west-2", inputs("uid-2", null));
    assertThat(converged.inSync()).isTrue();
    assertThat(converged.failure()).isEmpty();
    assertThat(converged.needsRetry()).as("a missing permission is not retried soon").isFalse();
  }

  @Test
  void aRecoverableTemplateReadFailureAsksForARetry() {
    templates.failure = Failure.recoverable("RequestLimitExceeded", "slow down");

    RegionOutcome outcome = RegionConverger.converge(templates, REGION, inputs(null));

    assertThat(outcome.inSync()).isTrue();
    assertThat(outcome.needsRetry()).isTrue();
  }

  /** One launch template whose Marketplace image the Amazon-only criteria would not allow. */
  private static final class Templates extends DelegatingGateway {
    volatile CountDownLatch hold;
    volatile Failure failure;

    Templates(FakeGateway fake) {
      super(fake);
    }

    @Override
    public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
      if (hold != null) {
        try {
          hold.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failure != null) {
        throw new AwsFailureException(failure, null);
      }
      return List.of(
          new LaunchTemplateVersion(
              "lt-0000000000000web", "web", 2, true, MARKETPLACE_IMAGE.imageId()));
    }

    @Override
    public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
      return List.of(MARKETPLACE_IMAGE);
    }
  }
}
