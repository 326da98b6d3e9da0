package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.aws.AwsFailureException;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.compliance.Verdict;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionSettings;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.FakeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a Region's launch templates are read, and what a reused reading is judged against. */
class LaunchTemplateScanTest {
  private static final String ACCOUNT = "111122223333";
  private static final String REGION = "eu-west-1";
  private static final Duration INTERVAL = Duration.ofHours(1);
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final RegionSettings AUDIT_AMAZON =
      new RegionSettings(AllowedImagesState.AUDIT_MODE, AMAZON, ManagedBy.ACCOUNT);
  private static final RegionSettings DISABLED =
      new RegionSettings(AllowedImagesState.DISABLED, ImageCriteria.NONE, ManagedBy.ACCOUNT);
  private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");

  /** An Amazon image that AWS, under the criteria in force, reports as not allowed. */
  private static final DescribedImage AMAZON_IMAGE_REPORTED_NOT_ALLOWED =
      new DescribedImage(
          "ami-0000000000000000a",
          "al2023-ami-2023.7",
          "137112412989",
          "amazon",
          START.minus(Duration.ofDays(5)),
          null,
          "available",
          Verdict.NOT_ALLOWED,
          Set.of(),
          null);

  private final ExecutorService calls = Executors.newCachedThreadPool();
  private final MutableClock clock = new MutableClock(START);
  private final LaunchTemplateScan scan = new LaunchTemplateScan(clock);
  private final ScriptedTemplates aws = new ScriptedTemplates();

  @AfterEach
  void stop() {
    calls.shutdownNow();
  }

  private LaunchTemplateScan.Result scanOnce(long generation, RegionSettings observed) {
    return scan.forPolicy("uid-1", generation, aws, INTERVAL, calls)
        .start(REGION)
        .judge(observed, PreviewBasis.of(desired(), observed, ACCOUNT, clock.instant()));
  }

  private static io.allowedami.domain.DesiredSettings desired() {
    return io.allowedami.domain.DesiredSettings.of(AllowedImagesState.AUDIT_MODE, AMAZON);
  }

  @Test
  void aRegionIsReadAtFirstThenReusedUntilTheIntervalHasPassed() {
    scanOnce(1, AUDIT_AMAZON);
    assertThat(aws.calls).containsExactly("versions " + REGION, "images " + REGION);

    clock.advance(INTERVAL.minusSeconds(1));
    LaunchTemplateScan.Result reused = scanOnce(1, AUDIT_AMAZON);
    assertThat(aws.calls).hasSize(2);
    assertThat(reused.report()).isPresent();
    assertThat(reused.report().get().scannedAt()).isEqualTo(START);

    clock.advance(Duration.ofSeconds(1));
    scanOnce(1, AUDIT_AMAZON);
    assertThat(aws.calls).hasSize(4);
  }

  @Test
  void aNewGenerationIsReadAgainAtOnce() {
    scanOnce(1, AUDIT_AMAZON);
    scanOnce(2, AUDIT_AMAZON);

    assertThat(aws.calls).hasSize(4);
  }

  @Test
  void theVersionsAreReadWithALimitAndAScanBeyondItIsMarkedPartial() {
    aws.versions = new ArrayList<>();
    for (int i = 0; i <= LaunchTemplateScan.MAX_VERSIONS; i++) {
      aws.versions.add(new LaunchTemplateVersion("lt-" + i, "t" + i, 1, true, "resolve:ssm:/p"));
    }

    LaunchTemplateReport report = scanOnce(1, AUDIT_AMAZON).report().orElseThrow();

    assertThat(aws.limits).containsExactly(LaunchTemplateScan.MAX_VERSIONS + 1);
    assertThat(report.truncated()).isTrue();
    assertThat(report.versions()).isEqualTo(LaunchTemplateScan.MAX_VERSIONS);
    assertThat(aws.calls).as("no AMI ID, no DescribeImages").containsExactly("versions " + REGION);
  }

  @Test
  void aMissingPermissionIsNotAskedAgainBeforeTheScanIsDue() {
    aws.failure = Failure.terminal("UnauthorizedOperation", "not authorized");

    LaunchTemplateScan.Result first = scanOnce(1, AUDIT_AMAZON);
    LaunchTemplateScan.Result second = scanOnce(1, AUDIT_AMAZON);

    assertThat(first.failure()).map(Failure::code).contains("UnauthorizedOperation");
    assertThat(second.failure()).map(Failure::code).contains("UnauthorizedOperation");
    assertThat(aws.calls).containsExactly("versions " + REGION);
  }

  @Test
  void aRecoverableFailureIsReadAgainAtTheNextReconcile() {
    aws.failure = Failure.recoverable("RequestLimitExceeded", "slow down");
    scanOnce(1, AUDIT_AMAZON);
    aws.failure = null;

    LaunchTemplateScan.Result retried = scanOnce(1, AUDIT_AMAZON);

    assertThat(retried.report()).isPresent();
    assertThat(aws.calls)
        .containsExactly("versions " + REGION, "versions " + REGION, "images " + REGION);
  }

  @Test
  void awsVerdictsAreTrustedOnlyForTheSettingsTheScanSawWithTheDesiredCriteriaInForce() {
    // In force and seen: AWS's "not allowed" stands.
    assertThat(scanOnce(1, AUDIT_AMAZON).report().orElseThrow().wouldFail()).isEqualTo(1);
    // Reused after the settings changed: AWS answered another question; the preview allows it.
    assertThat(scanOnce(1, DISABLED).report().orElseThrow().wouldFail()).isZero();
    assertThat(aws.calls).hasSize(2);
  }

  @Test
  void aScanReadWhileTheSettingsReadFailedIsKeptButItsAwsVerdictsAreNotTrusted() {
    LaunchTemplateScan.Policy.Pending unjudged =
        scan.forPolicy("uid-1", 1, aws, INTERVAL, calls).start(REGION);
    unjudged.keepWhenRead();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> aws.calls.size() == 2);

    LaunchTemplateScan.Result next = scanOnce(1, AUDIT_AMAZON);

    assertThat(aws.calls).as("not read again").hasSize(2);
    assertThat(next.report().orElseThrow().wouldFail())
        .as("AWS's 'not allowed' answered for settings no one saw; the preview allows it")
        .isZero();
  }

  @Test
  void forgettingAPolicyOrARegionMakesTheNextReconcileReadAgain() {
    scanOnce(1, AUDIT_AMAZON);
    scan.retain("uid-1", List.of("us-east-1"));
    scanOnce(1, AUDIT_AMAZON);
    scan.forget("uid-1");
    scanOnce(1, AUDIT_AMAZON);
    scan.retain("uid-1", List.of(REGION));
    scanOnce(1, AUDIT_AMAZON);

    assertThat(aws.calls).hasSize(6);
  }

  /** Launch templates scripted in one Region; everything else from the fake. */
  private static final class ScriptedTemplates extends DelegatingGateway {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Integer> limits = new CopyOnWriteArrayList<>();
    volatile List<LaunchTemplateVersion> versions =
        List.of(
            new LaunchTemplateVersion(
                "lt-1", "web", 3, true, AMAZON_IMAGE_REPORTED_NOT_ALLOWED.imageId()));
    volatile Failure failure;

    ScriptedTemplates() {
      super(new FakeGateway(ACCOUNT));
    }

    @Override
    public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
      calls.add("versions " + region);
      limits.add(limit);
      if (failure != null) {
        throw new AwsFailureException(failure, null);
      }
      return versions.stream().limit(limit).toList();
    }

    @Override
    public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
      calls.add("images " + region);
      return imageIds.contains(AMAZON_IMAGE_REPORTED_NOT_ALLOWED.imageId())
          ? List.of(AMAZON_IMAGE_REPORTED_NOT_ALLOWED)
          : List.of();
    }
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
