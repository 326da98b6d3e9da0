package io.allowedami.simulator;

import static io.allowedami.simulator.SimulatorClients.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.allowedami.simulator.LaunchTemplateWorlds.VersionKey;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

/** DescribeLaunchTemplates and DescribeLaunchTemplateVersions through the real AWS SDK. */
class LaunchTemplatesTest {

  static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  static final String MEMBER = SimulatorWorld.MEMBER_ACCOUNT_ID;
  static final String WEB = "lt-0000000000000000a";
  static final String NO_IMAGE = "lt-0000000000000000b";
  static final String MEMBER_WEB = "lt-0000000000000000c";
  static final String AMI_V1 = "ami-0aaaaaaaaaaaaaaa1";
  static final String AMI_V2 = "ami-0aaaaaaaaaaaaaaa2";
  static final String AMI_RESOLVED = "ami-0bbbbbbbbbbbbbbb1";
  static final String SSM = "resolve:ssm:/golden/ami/latest";
  static final int MANY = 300;

  static Ec2Simulator sim;
  static Ec2Client virginia;
  static Ec2Client ireland;

  @BeforeAll
  static void start() {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .account(
                ACCOUNT,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)
            .account(
                MEMBER,
                SimulatorWorld.MEMBER_ACCESS_KEY_ID,
                SimulatorWorld.MEMBER_SECRET_ACCESS_KEY)
            .region("us-east-1")
            .region("eu-west-1")
            .region("us-west-2")
            .launchTemplate(
                new WorldLaunchTemplate(
                    WEB,
                    "eu-west-1",
                    ACCOUNT,
                    "web",
                    Instant.parse("2025-03-01T00:00:00Z"),
                    null,
                    2L,
                    List.of(
                        new WorldLaunchTemplateVersion(1, "first", AMI_V1, null),
                        new WorldLaunchTemplateVersion(
                            2, "second", AMI_V2, Instant.parse("2025-04-01T00:00:00Z")),
                        new WorldLaunchTemplateVersion(3, "by parameter", SSM, null)),
                    Map.of("Team", "web", "Env", "prod")))
            .launchTemplate(
                new WorldLaunchTemplate(
                    NO_IMAGE,
                    "eu-west-1",
                    ACCOUNT,
                    "no-image",
                    null,
                    null,
                    null,
                    List.of(WorldLaunchTemplateVersion.of(1, null)),
                    Map.of("Team", "data")))
            .launchTemplate(
                new WorldLaunchTemplate(
                    MEMBER_WEB,
                    "eu-west-1",
                    MEMBER,
                    "web",
                    null,
                    null,
                    null,
                    List.of(WorldLaunchTemplateVersion.of(1, AMI_V1)),
                    null))
            .ssmParameter(ACCOUNT, "eu-west-1", "/golden/ami/latest", AMI_RESOLVED);
    LaunchTemplateWorlds.addMany(
        world, ACCOUNT, "us-east-1", MANY, List.of(AMI_V1, AMI_V2, "ami-0ccccccccccccccc1"));
    sim = Ec2Simulator.start(world.build(), 0);
    sim.faults().throttlingEnabled(false);
    virginia = SimulatorClients.ec2(sim, "us-east-1");
    ireland = SimulatorClients.ec2(sim, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    virginia.close();
    ireland.close();
    sim.close();
  }

  @AfterEach
  void clear() {
    sim.faults().clear();
    sim.faults().throttlingEnabled(false);
    sim.counters().reset();
  }

  private static List<VersionKey> keys(List<LaunchTemplateVersion> versions) {
    return versions.stream()
        .map(v -> new VersionKey(v.launchTemplateId(), v.versionNumber()))
        .toList();
  }

  private static List<WorldLaunchTemplate> worldTemplates(String account, String region) {
    return sim.outOfBand().launchTemplates().stream()
        .filter(t -> t.accountId().equals(account) && t.region().equals(region))
        .toList();
  }

  private static AwsServiceException failure(Runnable call) {
    return catchThrowableOfType(AwsServiceException.class, call::run);
  }

  private static String versionsError(
      Ec2Client ec2, Consumer<DescribeLaunchTemplateVersionsRequest.Builder> request) {
    return errorCode(failure(() -> ec2.describeLaunchTemplateVersions(request)));
  }

  private static String templatesError(
      Ec2Client ec2, Consumer<DescribeLaunchTemplatesRequest.Builder> request) {
    return errorCode(failure(() -> ec2.describeLaunchTemplates(request)));
  }

  @Test
  void theAccountWideFormAsTheOperatorCallsItReturnsTheWorldExactlyOnceAcrossPages() {
    List<LaunchTemplateVersion> versions =
        virginia
            .describeLaunchTemplateVersionsPaginator(
                r -> r.versions("$Latest", "$Default").maxResults(200))
            .launchTemplateVersions()
            .stream()
            .toList();

    List<VersionKey> expected =
        LaunchTemplateWorlds.latestAndDefault(worldTemplates(ACCOUNT, "us-east-1"));
    assertThat(expected).hasSize(MANY / 2 * 3);
    assertThat(keys(versions)).as("in order, once each").containsExactlyElementsOf(expected);
    assertThat(new HashSet<>(keys(versions))).hasSameSizeAs(versions);
    assertThat(sim.counters().count("DescribeLaunchTemplateVersions", "us-east-1"))
        .as("450 versions in pages of 200")
        .isEqualTo(3);
    assertThat(versions)
        .allSatisfy(
            v -> {
              assertThat(v.launchTemplateName()).startsWith("many-us-east-1-");
              assertThat(v.createdBy()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
              assertThat(v.createTime()).isNotNull();
              assertThat(v.launchTemplateData()).isNotNull();
            });
    assertThat(versions)
        .extracting(v -> v.launchTemplateData().imageId())
        .contains(AMI_V1, LaunchTemplateWorlds.SSM_REFERENCE, null);
  }

  @Test
  void theAccountWideFormGivesOnlyTheLatestOrOnlyTheDefaultWhenAskedForOne() {
    List<WorldLaunchTemplate> world = worldTemplates(ACCOUNT, "us-east-1");
    List<LaunchTemplateVersion> latest =
        virginia
            .describeLaunchTemplateVersionsPaginator(r -> r.versions("$Latest").maxResults(120))
            .launchTemplateVersions()
            .stream()
            .toList();
    List<LaunchTemplateVersion> defaults =
        virginia
            .describeLaunchTemplateVersionsPaginator(r -> r.versions("$Default"))
            .launchTemplateVersions()
            .stream()
            .toList();

    assertThat(keys(latest))
        .containsExactlyElementsOf(
            world.stream()
                .map(t -> new VersionKey(t.launchTemplateId(), t.latestVersion()))
                .toList());
    assertThat(keys(defaults))
        .containsExactlyElementsOf(
            world.stream().map(t -> new VersionKey(t.launchTemplateId(), 1)).toList());
    assertThat(defaults).allSatisfy(v -> assertThat(v.defaultVersion()).isTrue());
    assertThat(latest).filteredOn(LaunchTemplateVersion::defaultVersion).hasSize(MANY / 2);
  }

  @Test
  void oneTemplateByIdOrNameGivesAllOrTheNamedVersionsWithTheirData() {
    List<LaunchTemplateVersion> all =
        ireland
            .describeLaunchTemplateVersions(r -> r.launchTemplateId(WEB))
            .launchTemplateVersions();
    assertThat(all)
        .extracting(
            LaunchTemplateVersion::versionNumber,
            LaunchTemplateVersion::versionDescription,
            LaunchTemplateVersion::defaultVersion,
            v -> v.launchTemplateData().imageId())
        .containsExactly(
            tuple(1L, "first", false, AMI_V1),
            tuple(2L, "second", true, AMI_V2),
            tuple(3L, "by parameter", false, SSM));
    assertThat(all.get(0).createTime()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
    assertThat(all.get(1).createTime()).isEqualTo(Instant.parse("2025-04-01T00:00:00Z"));
    assertThat(all).allSatisfy(v -> assertThat(v.launchTemplateName()).isEqualTo("web"));

    assertThat(
            keys(
                ireland
                    .describeLaunchTemplateVersions(
                        r -> r.launchTemplateName("web").versions("$Latest", "$Default", "1"))
                    .launchTemplateVersions()))
        .containsExactly(new VersionKey(WEB, 1), new VersionKey(WEB, 2), new VersionKey(WEB, 3));
    assertThat(
            ireland
                .describeLaunchTemplateVersions(
                    r -> r.launchTemplateId(WEB).versions("$Default", "$Default"))
                .launchTemplateVersions())
        .extracting(LaunchTemplateVersion::versionNumber)
        .containsExactly(2L);
    assertThat(
            ireland
                .describeLaunchTemplateVersions(
                    r -> r.launchTemplateId(WEB).minVersion("1").maxVersion("2"))
                .launchTemplateVersions())
        .as("after MinVersion, up to MaxVersion")
        .extracting(LaunchTemplateVersion::versionNumber)
        .containsExactly(2L);
    assertThat(
            ireland
                .describeLaunchTemplateVersions(
                    r ->
                        r.launchTemplateId(WEB)
                            .filters(
                                Filter.builder().name("is-default-version").values("true").build()))
                .launchTemplateVersions())
        .extracting(LaunchTemplateVersion::versionNumber)
        .containsExactly(2L);
    assertThat(
            ireland
                .describeLaunchTemplateVersions(r -> r.launchTemplateId(NO_IMAGE))
                .launchTemplateVersions())
        .singleElement()
        .satisfies(v -> assertThat(v.launchTemplateData().imageId()).isNull());
  }

  @Test
  void anSsmImageIsShownAsWrittenAndResolvedOnlyWithResolveAlias() {
    DescribeLaunchTemplateVersionsResponse raw =
        ireland.describeLaunchTemplateVersions(r -> r.launchTemplateId(WEB).versions("3"));
    DescribeLaunchTemplateVersionsResponse resolved =
        ireland.describeLaunchTemplateVersions(
            r -> r.launchTemplateId(WEB).versions("3").resolveAlias(true));

    assertThat(raw.launchTemplateVersions().get(0).launchTemplateData().imageId()).isEqualTo(SSM);
    assertThat(resolved.launchTemplateVersions().get(0).launchTemplateData().imageId())
        .isEqualTo(AMI_RESOLVED);
  }

  @Test
  void theAccountOnlySeesItsOwnTemplatesOfTheRegion() {
    assertThat(
            ireland
                .describeLaunchTemplateVersions(r -> r.versions("$Latest"))
                .launchTemplateVersions())
        .extracting(LaunchTemplateVersion::launchTemplateId)
        .containsExactly(WEB, NO_IMAGE);
    assertThat(versionsError(ireland, r -> r.launchTemplateId(MEMBER_WEB)))
        .isEqualTo("InvalidLaunchTemplateId.NotFound");
    assertThat(versionsError(virginia, r -> r.launchTemplateId(WEB)))
        .as("another Region")
        .isEqualTo("InvalidLaunchTemplateId.NotFound");
    try (Ec2Client member =
        SimulatorClients.ec2(
            sim,
            "eu-west-1",
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                SimulatorWorld.MEMBER_ACCESS_KEY_ID, SimulatorWorld.MEMBER_SECRET_ACCESS_KEY))) {
      assertThat(
              member.describeLaunchTemplates(r -> r.launchTemplateNames("web")).launchTemplates())
          .extracting(LaunchTemplate::launchTemplateId)
          .containsExactly(MEMBER_WEB);
    }
  }

  @Test
  void describeLaunchTemplatesPagesThroughEveryTemplateWithItsFields() {
    List<LaunchTemplate> templates =
        virginia.describeLaunchTemplatesPaginator(r -> r.maxResults(200)).launchTemplates().stream()
            .toList();
    List<WorldLaunchTemplate> world = worldTemplates(ACCOUNT, "us-east-1");

    assertThat(templates)
        .extracting(LaunchTemplate::launchTemplateId)
        .containsExactlyElementsOf(
            world.stream().map(WorldLaunchTemplate::launchTemplateId).toList());
    assertThat(sim.counters().count("DescribeLaunchTemplates", "us-east-1")).isEqualTo(2);

    LaunchTemplate web =
        ireland.describeLaunchTemplates(r -> r.launchTemplateIds(WEB)).launchTemplates().get(0);
    assertThat(web.launchTemplateName()).isEqualTo("web");
    assertThat(web.defaultVersionNumber()).isEqualTo(2L);
    assertThat(web.latestVersionNumber()).isEqualTo(3L);
    assertThat(web.createTime()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
    assertThat(web.createdBy()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
    assertThat(web.tags())
        .extracting(t -> t.key() + "=" + t.value())
        .containsExactly("Env=prod", "Team=web");
  }

  @Test
  void describeLaunchTemplatesFiltersByNameAndTags() {
    assertThat(names(Filter.builder().name("launch-template-name").values("no-*").build()))
        .containsExactly("no-image");
    assertThat(names(Filter.builder().name("tag:Team").values("web", "data").build()))
        .containsExactly("web", "no-image");
    assertThat(names(Filter.builder().name("tag-key").values("Env").build()))
        .containsExactly("web");
    assertThat(
            ireland
                .describeLaunchTemplates(r -> r.launchTemplateNames("no-image", "web"))
                .launchTemplates())
        .extracting(LaunchTemplate::launchTemplateId)
        .containsExactly(WEB, NO_IMAGE);
  }

  private static List<String> names(Filter filter) {
    return ireland.describeLaunchTemplates(r -> r.filters(filter)).launchTemplates().stream()
        .map(LaunchTemplate::launchTemplateName)
        .toList();
  }

  @Test
  void describeLaunchTemplatesAnswersAwsErrorCodes() {
    assertThat(templatesError(ireland, r -> r.launchTemplateIds("lt-nothex")))
        .isEqualTo("InvalidLaunchTemplateId.Malformed");
    assertThat(templatesError(ireland, r -> r.launchTemplateIds(WEB, "lt-0ffffffffffffffff")))
        .isEqualTo("InvalidLaunchTemplateId.NotFound");
    assertThat(templatesError(ireland, r -> r.launchTemplateNames("absent")))
        .isEqualTo("InvalidLaunchTemplateName.NotFoundException");
    assertThat(templatesError(ireland, r -> r.launchTemplateIds(WEB).maxResults(5)))
        .isEqualTo("InvalidParameterCombination");
    assertThat(templatesError(ireland, r -> r.maxResults(0))).isEqualTo("InvalidParameterValue");
    assertThat(templatesError(ireland, r -> r.maxResults(201))).isEqualTo("InvalidParameterValue");
    assertThat(
            templatesError(
                ireland, r -> r.filters(Filter.builder().name("image-id").values("x").build())))
        .isEqualTo("InvalidParameterValue");
  }

  @Test
  void describeLaunchTemplateVersionsAnswersAwsErrorCodes() {
    assertThat(versionsError(ireland, r -> r.launchTemplateId("lt-123")))
        .isEqualTo("InvalidLaunchTemplateId.Malformed");
    assertThat(versionsError(ireland, r -> r.launchTemplateId("lt-0ffffffffffffffff")))
        .isEqualTo("InvalidLaunchTemplateId.NotFound");
    assertThat(versionsError(ireland, r -> r.launchTemplateName("absent")))
        .isEqualTo("InvalidLaunchTemplateName.NotFoundException");
    assertThat(versionsError(ireland, r -> r.launchTemplateId(WEB).launchTemplateName("web")))
        .isEqualTo("InvalidParameterCombination");
    assertThat(versionsError(ireland, r -> r.launchTemplateId(WEB).versions("9")))
        .isEqualTo("InvalidLaunchTemplateId.VersionNotFound");
    assertThat(versionsError(ireland, r -> r.launchTemplateId(WEB).versions("two")))
        .isEqualTo("InvalidParameterValue");
    assertThat(versionsError(ireland, r -> r.versions("$Latest", "1")))
        .as("numbers in the account-wide form")
        .isEqualTo("InvalidParameterValue");
    assertThat(versionsError(ireland, r -> r.versions("$Latest").minVersion("1")))
        .isEqualTo("InvalidParameterCombination");
    assertThat(versionsError(ireland, r -> {})).isEqualTo("MissingParameter");
    assertThat(versionsError(ireland, r -> r.versions("$Latest").maxResults(0)))
        .isEqualTo("InvalidParameterValue");
    assertThat(versionsError(ireland, r -> r.versions("$Latest").maxResults(201)))
        .isEqualTo("InvalidParameterValue");
    assertThat(versionsError(ireland, r -> r.versions("$Latest").nextToken("forged")))
        .isEqualTo("InvalidParameterValue");
  }

  @Test
  void dryRunPermissionsThrottlingAndInjectedErrorsApplyToBothActions() {
    for (String action : List.of("DescribeLaunchTemplates", "DescribeLaunchTemplateVersions")) {
      Runnable call =
          action.equals("DescribeLaunchTemplates")
              ? () -> ireland.describeLaunchTemplates(r -> r.dryRun(true))
              : () ->
                  ireland.describeLaunchTemplateVersions(r -> r.versions("$Latest").dryRun(true));
      Runnable real =
          action.equals("DescribeLaunchTemplates")
              ? () -> ireland.describeLaunchTemplates(r -> {})
              : () -> ireland.describeLaunchTemplateVersions(r -> r.versions("$Latest"));

      assertThat(errorCode(failure(call))).as(action).isEqualTo("DryRunOperation");

      sim.faults().restrictPermissions(ACCOUNT, Set.of(action));
      assertThat(errorCode(failure(call))).as(action).isEqualTo("UnauthorizedOperation");
      assertThat(errorCode(failure(real))).as(action).isEqualTo("UnauthorizedOperation");
      sim.faults().restrictPermissions(ACCOUNT, Set.of());

      sim.faults().throttlingEnabled(true).throttle("eu-west-1", action, 1, 0);
      real.run();
      AwsServiceException throttled = failure(real);
      assertThat(errorCode(throttled)).as(action).isEqualTo("RequestLimitExceeded");
      assertThat(throttled.statusCode()).isEqualTo(503);
      sim.faults().resetThrottling().throttlingEnabled(false);

      sim.faults().injectError("eu-west-1", action, 400, "SomethingNew", "injected");
      assertThat(errorCode(failure(real))).as(action).isEqualTo("SomethingNew");
      sim.faults().clear().throttlingEnabled(false);

      assertThat(sim.counters().count(action, "eu-west-1", ACCOUNT, "DryRunOperation"))
          .isEqualTo(1);
      assertThat(sim.counters().count(action, "eu-west-1", ACCOUNT, "RequestLimitExceeded"))
          .isEqualTo(1);
    }
  }

  @Test
  void outOfBandChangesToTemplatesAreSeenByTheNextCall() {
    try (Ec2Client oregon = SimulatorClients.ec2(sim, "us-west-2")) {
      assertThat(oregon.describeLaunchTemplates(r -> {}).launchTemplates()).isEmpty();

      String id = sim.outOfBand().createLaunchTemplate(ACCOUNT, "us-west-2", "pipeline", AMI_V1);
      assertThat(id).matches("lt-[0-9a-f]{17}");
      assertThat(latestAndDefault(oregon)).containsExactly(tuple(id, 1L, AMI_V1, true));

      long second = sim.outOfBand().addLaunchTemplateVersion(id, "new image", AMI_V2);
      assertThat(second).isEqualTo(2);
      assertThat(latestAndDefault(oregon))
          .containsExactly(tuple(id, 1L, AMI_V1, true), tuple(id, 2L, AMI_V2, false));

      sim.outOfBand().setDefaultLaunchTemplateVersion(id, 2);
      assertThat(latestAndDefault(oregon)).containsExactly(tuple(id, 2L, AMI_V2, true));
      assertThat(oregon.describeLaunchTemplates(r -> {}).launchTemplates())
          .extracting(LaunchTemplate::defaultVersionNumber, LaunchTemplate::latestVersionNumber)
          .containsExactly(tuple(2L, 2L));

      assertThat(sim.outOfBand().deleteLaunchTemplate(id)).isTrue();
      assertThat(latestAndDefault(oregon)).isEmpty();
      assertThat(versionsError(oregon, r -> r.launchTemplateId(id)))
          .isEqualTo("InvalidLaunchTemplateId.NotFound");
      assertThat(sim.outOfBand().deleteLaunchTemplate(id)).isFalse();
    }
  }

  private static List<org.assertj.core.groups.Tuple> latestAndDefault(Ec2Client ec2) {
    return ec2
        .describeLaunchTemplateVersions(r -> r.versions("$Latest", "$Default"))
        .launchTemplateVersions()
        .stream()
        .map(
            v ->
                tuple(
                    v.launchTemplateId(),
                    v.versionNumber(),
                    v.launchTemplateData().imageId(),
                    v.defaultVersion()))
        .toList();
  }
}
