package io.allowedami.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.compliance.Verdict;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionInfo;
import io.allowedami.domain.RegionSettings;
import io.allowedami.domain.WatermarkFilter;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.LaunchTemplateWorlds;
import io.allowedami.simulator.LaunchTemplateWorlds.VersionKey;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS boundary against the simulator: wire mapping, retries and the classification of errors.
 */
class SdkAllowedImagesGatewayTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private Ec2Simulator sim;
  private SdkGatewayFactory factory;
  private AllowedImagesGateway aws;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    factory =
        new SdkGatewayFactory(
            AwsClientSettings.defaults().withEndpointOverride(sim.endpoint()).withMaxAttempts(3),
            credentials(),
            metrics);
    aws = factory.forAccount(AccountTarget.OPERATOR_CREDENTIALS);
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY));
  }

  @AfterEach
  void stop() {
    factory.close();
    sim.close();
  }

  @Test
  void describeRegionsListsEveryRegionWithItsOptInStatusFromTheStsRegion() {
    List<RegionInfo> regions = aws.describeRegions();

    assertThat(regions)
        .filteredOn(RegionInfo::enabled)
        .extracting(RegionInfo::name)
        .containsExactlyInAnyOrderElementsOf(SimulatorWorld.DEFAULT_REGIONS);
    assertThat(regions)
        .filteredOn(r -> !r.enabled())
        .extracting(RegionInfo::name)
        .containsExactlyInAnyOrder("af-south-1", "ap-east-1", "me-south-1");
    assertThat(regions)
        .filteredOn(r -> r.name().equals("af-south-1"))
        .extracting(RegionInfo::optInStatus)
        .containsExactly(RegionInfo.NOT_OPTED_IN);
    assertThat(sim.counters().count("DescribeRegions", AwsClientSettings.defaults().stsRegion()))
        .isEqualTo(1);

    sim.outOfBand().optInRegion("af-south-1");
    assertThat(aws.describeRegions())
        .filteredOn(r -> r.name().equals("af-south-1"))
        .extracting(RegionInfo::optInStatus)
        .containsExactly(RegionInfo.OPTED_IN);
  }

  @Test
  void theFullCriteriaModelRoundTripsThroughTheWire() {
    ImageCriteria criteria =
        ImageCriteria.of(
            List.of(
                new ImageCriterion(
                    List.of("amazon", "123456789012"), List.of("al2023-ami-*"), null, 300, 0, null),
                new ImageCriterion(
                    List.of("aws-marketplace"), null, List.of("abc123"), null, null, null),
                new ImageCriterion(
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(new WatermarkFilter("111122223333:golden-*", "eu-west-1", 90, 30)))));

    aws.apply("eu-west-1", new RegionAction.ReplaceCriteria(criteria));
    aws.apply("eu-west-1", new RegionAction.SetState(AllowedImagesState.AUDIT_MODE));

    assertThat(aws.getSettings("eu-west-1"))
        .isEqualTo(new RegionSettings(AllowedImagesState.AUDIT_MODE, criteria, ManagedBy.ACCOUNT));
    aws.apply("eu-west-1", new RegionAction.SetState(AllowedImagesState.DISABLED));
    assertThat(aws.getSettings("eu-west-1").state()).isEqualTo(AllowedImagesState.DISABLED);
  }

  @Test
  void aPermittedDryRunPassesAndChangesNothing() {
    aws.checkPermission("us-east-1", new RegionAction.SetState(AllowedImagesState.ENABLED));

    assertThat(sim.outOfBand().settings(ACCOUNT, "us-east-1").state())
        .isEqualTo(SettingsState.DISABLED);
    assertThat(
            sim.counters()
                .count("EnableAllowedImagesSettings", "us-east-1", ACCOUNT, "DryRunOperation"))
        .isEqualTo(1);
  }

  @Test
  void aDeniedDryRunIsATerminalUnauthorizedOperation() {
    sim.faults()
        .restrictPermissions(ACCOUNT, Set.of("ReplaceImageCriteriaInAllowedImagesSettings"));

    assertThatThrownBy(
            () ->
                aws.checkPermission(
                    "us-east-1", new RegionAction.ReplaceCriteria(ImageCriteria.NONE)))
        .isInstanceOfSatisfying(
            AwsFailureException.class,
            e ->
                assertThat(e.failure())
                    .extracting(Failure::kind, Failure::code)
                    .containsExactly(Failure.Kind.TERMINAL, "UnauthorizedOperation"));
  }

  @Test
  void throttlingIsRetriedUpToTheAttemptLimitThenRecoverable() {
    sim.faults().throttle("us-west-2", "GetAllowedImagesSettings", 0, 0.0);

    assertThatThrownBy(() -> aws.getSettings("us-west-2"))
        .isInstanceOfSatisfying(
            AwsFailureException.class,
            e ->
                assertThat(e.failure())
                    .extracting(Failure::kind, Failure::code)
                    .containsExactly(Failure.Kind.RECOVERABLE, "RequestLimitExceeded"));
    assertThat(sim.counters().count("GetAllowedImagesSettings", "us-west-2")).isEqualTo(3);
    assertThat(
            metrics
                .get("allowedami.aws.calls")
                .tag("outcome", "RequestLimitExceeded")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aRegionNotOptedInIsATerminalAuthFailure() {
    assertThatThrownBy(() -> aws.getSettings("af-south-1"))
        .isInstanceOfSatisfying(
            AwsFailureException.class,
            e ->
                assertThat(e.failure())
                    .extracting(Failure::kind, Failure::code)
                    .containsExactly(Failure.Kind.TERMINAL, "AuthFailure"));
  }

  @Test
  void instanceImagesAreReadFromEveryPageAndMapped() {
    // The gateway asks for 1,000 instances a page (the most AWS allows); the default world has a
    // few dozen a Region, so 2,500 more make three pages.
    List<WorldImage> images = sim.images().list("us-east-1");
    for (int i = 0; i < 2_500; i++) {
      sim.instances()
          .add(
              WorldInstance.builder(
                      "i-paged%07d".formatted(i),
                      "us-east-1",
                      ACCOUNT,
                      images.get(i % images.size()).imageId())
                  .build());
    }
    List<String> seeded =
        sim.instances().list(ACCOUNT, "us-east-1").stream().map(WorldInstance::instanceId).toList();

    List<List<InstanceImage>> pages = new ArrayList<>();
    aws.describeInstanceImages("us-east-1", pages::add);
    List<InstanceImage> instances = pages.stream().flatMap(List::stream).toList();

    assertThat(sim.counters().count("DescribeInstanceImageMetadata", "us-east-1"))
        .as("pages fetched")
        .isGreaterThan(1)
        .isEqualTo((seeded.size() + 999) / 1000);
    assertThat(pages)
        .as("handed over page by page, as fetched")
        .hasSize((seeded.size() + 999) / 1000)
        .allSatisfy(page -> assertThat(page).hasSizeLessThanOrEqualTo(1000));
    assertThat(instances)
        .extracting(InstanceImage::instanceId)
        .as("every instance once")
        .containsExactlyInAnyOrderElementsOf(seeded);
    assertThat(instances)
        .isNotEmpty()
        .allSatisfy(
            i -> {
              assertThat(i.instanceId()).startsWith("i-");
              assertThat(i.imageId()).startsWith("ami-");
              assertThat(i.reportedAllowed())
                  .as("no verdict while disabled")
                  .isEqualTo(Verdict.UNKNOWN);
              assertThat(i.productCodes())
                  .as("not returned by DescribeInstanceImageMetadata: unknown")
                  .isNull();
            });
    assertThat(instances)
        .filteredOn(i -> "available".equals(i.imageState()))
        .isNotEmpty()
        .allSatisfy(i -> assertThat(i.imageCreationDate()).isNotNull());
    assertThat(aws.accountId()).isEqualTo(ACCOUNT);
  }

  @Test
  void launchTemplateVersionsAreTheLatestAndDefaultOfEveryTemplateReadFromEveryPage() {
    // The default world has a few templates in us-east-1; 300 more make 450 more versions, so
    // the 200-a-page account-wide reads take three pages.
    List<String> images =
        sim.images().list("us-east-1").stream().map(WorldImage::imageId).limit(4).toList();
    LaunchTemplateWorlds.many(ACCOUNT, "us-east-1", 300, images)
        .forEach(sim.outOfBand()::createLaunchTemplate);
    List<WorldLaunchTemplate> world =
        sim.outOfBand().launchTemplates().stream()
            .filter(t -> t.accountId().equals(ACCOUNT) && t.region().equals("us-east-1"))
            .toList();
    List<VersionKey> expected = LaunchTemplateWorlds.latestAndDefault(world);

    List<LaunchTemplateVersion> versions =
        aws.describeLaunchTemplateVersions("us-east-1", Integer.MAX_VALUE);

    assertThat(expected).hasSizeGreaterThan(450);
    assertThat(versions)
        .extracting(v -> new VersionKey(v.templateId(), v.versionNumber()))
        .as("every latest and default version once, in the simulator's order")
        .containsExactlyElementsOf(expected);
    assertThat(sim.counters().count("DescribeLaunchTemplateVersions", "us-east-1"))
        .isEqualTo((expected.size() + 199) / 200);
    assertThat(versions)
        .allSatisfy(
            v -> {
              WorldLaunchTemplate template =
                  world.stream()
                      .filter(t -> t.launchTemplateId().equals(v.templateId()))
                      .findFirst()
                      .orElseThrow();
              assertThat(v.templateName()).isEqualTo(template.name());
              assertThat(v.defaultVersion())
                  .isEqualTo(v.versionNumber() == template.defaultVersion());
              assertThat(v.imageReference())
                  .isEqualTo(template.version(v.versionNumber()).orElseThrow().imageId());
            });
    assertThat(versions).anyMatch(LaunchTemplateVersion::isSsmReference);
    assertThat(versions).anyMatch(v -> v.imageReference() == null);
    assertThat(aws.describeLaunchTemplateVersions("sa-east-1", Integer.MAX_VALUE))
        .as("no templates there")
        .isEmpty();

    long pagesBefore = sim.counters().count("DescribeLaunchTemplateVersions", "us-east-1");
    assertThat(aws.describeLaunchTemplateVersions("us-east-1", 250))
        .as("the limit stops the read")
        .hasSize(250);
    assertThat(sim.counters().count("DescribeLaunchTemplateVersions", "us-east-1") - pagesBefore)
        .as("pages beyond the limit are not read")
        .isEqualTo(2);
  }

  @Test
  void imagesAreDescribedInBatchesOf200AndImagesTheAccountCannotSeeAreAbsent() {
    List<String> visible = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      WorldImage image =
          WorldImage.builder("ami-0batch%012d".formatted(i), "us-east-1", "137112412989")
              .ownerAlias("amazon")
              .name("al2023-ami-batch-" + i)
              .build();
      sim.images().put(image);
      visible.add(image.imageId());
    }
    String memberPrivateImage =
        sim.images().list("us-east-1").stream()
            .filter(i -> i.ownerId().equals(SimulatorWorld.MEMBER_ACCOUNT_ID))
            .map(WorldImage::imageId)
            .findFirst()
            .orElseThrow();
    List<String> asked = new ArrayList<>(visible);
    asked.add(memberPrivateImage);
    asked.add("ami-0doesnotexist000");

    List<DescribedImage> images = aws.describeImages("us-east-1", asked);

    assertThat(images)
        .extracting(DescribedImage::imageId)
        .containsExactlyInAnyOrderElementsOf(visible);
    assertThat(sim.counters().count("DescribeImages", "us-east-1"))
        .as("452 IDs in batches of 200")
        .isEqualTo(3);
    assertThat(images)
        .allSatisfy(
            i -> {
              assertThat(i.imageOwnerAlias()).isEqualTo("amazon");
              assertThat(i.reportedAllowed()).as("disabled: no verdict").isEqualTo(Verdict.UNKNOWN);
            });

    sim.outOfBand()
        .setSettings(
            ACCOUNT,
            "us-east-1",
            SettingsState.ENABLED,
            List.of(Criterion.ofProviders("123456789012")));
    assertThat(aws.describeImages("us-east-1", asked))
        .as("while enabled, images that are not allowed are not discoverable")
        .isEmpty();
    assertThat(aws.describeImages("us-east-1", List.of())).isEmpty();
  }

  @Test
  void whatThePageConsumerThrowsStopsTheReadAndPassesUnchanged() {
    List<WorldImage> images = sim.images().list("us-east-1");
    for (int i = 0; i < 2_500; i++) {
      sim.instances()
          .add(
              WorldInstance.builder(
                      "i-stop%07d".formatted(i),
                      "us-east-1",
                      ACCOUNT,
                      images.get(i % images.size()).imageId())
                  .build());
    }
    IllegalStateException stop = new IllegalStateException("the settings read failed");

    assertThatThrownBy(
            () ->
                aws.describeInstanceImages(
                    "us-east-1",
                    page -> {
                      throw stop;
                    }))
        .isSameAs(stop);
    assertThat(sim.counters().count("DescribeInstanceImageMetadata", "us-east-1"))
        .as("no page fetched after the consumer stopped")
        .isEqualTo(1);
  }

  @Test
  void aCallThatTimesOutIsARecoverableTimeout() {
    sim.faults().latency("GetAllowedImagesSettings", Duration.ofSeconds(2));
    try (SdkGatewayFactory impatient =
        new SdkGatewayFactory(
            new AwsClientSettings(
                Optional.of(sim.endpoint()),
                "us-east-1",
                Duration.ofSeconds(5),
                Duration.ofMillis(300),
                1,
                AwsClientSettings.defaults().maxConnections(),
                AwsClientSettings.defaults().idleClientTimeout()),
            credentials(),
            metrics)) {
      assertThatThrownBy(
              () ->
                  impatient.forAccount(AccountTarget.OPERATOR_CREDENTIALS).getSettings("us-east-1"))
          .isInstanceOfSatisfying(
              AwsFailureException.class,
              e ->
                  assertThat(e.failure())
                      .extracting(Failure::kind, Failure::code)
                      .containsExactly(Failure.Kind.RECOVERABLE, "Timeout"));
    }
  }

  @Test
  void anEndpointThatRefusesConnectionsIsRecoverableAndNamedUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (SdkGatewayFactory unreachable =
        new SdkGatewayFactory(
            AwsClientSettings.defaults()
                .withEndpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                .withMaxAttempts(1),
            credentials(),
            metrics)) {
      assertThatThrownBy(
              () ->
                  unreachable
                      .forAccount(AccountTarget.OPERATOR_CREDENTIALS)
                      .getSettings("us-east-1"))
          .isInstanceOfSatisfying(
              AwsFailureException.class,
              e ->
                  assertThat(e.failure())
                      .extracting(Failure::kind, Failure::code)
                      .containsExactly(
                          Failure.Kind.RECOVERABLE, AwsErrorClassifier.ENDPOINT_UNREACHABLE));
    }
  }

  @Test
  void unparseableDatesFromAwsBecomeUnknownRatherThanErrors() {
    assertThat(InstanceImageMapping.instant("not-a-date")).isNull();
    assertThat(InstanceImageMapping.instant("")).isNull();
    assertThat(InstanceImageMapping.instant("2025-01-02T03:04:05.000Z"))
        .hasToString("2025-01-02T03:04:05Z");
  }
}
