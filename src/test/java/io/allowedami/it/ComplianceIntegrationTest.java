package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static io.allowedami.testing.Policies.criterion;
import static io.allowedami.testing.Policies.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.ImageUsage;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.RegionCompliance;
import io.allowedami.api.v1alpha1.RolloutSpec;
import io.allowedami.app.ManagementServer;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Instance compliance, the impact preview and the safe-rollout gate, end to end against the
 * simulator.
 */
class ComplianceIntegrationTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String AMAZON_OWNER = "137112412989";
  private static final String MARKETPLACE_OWNER = "679593333241";
  private static final String THIRD_PARTY = "210987654321";

  private SimulatedAws aws;
  private OperatorHarness harness;

  private void start(SimulatorWorld world, PrometheusMeterRegistry metrics) {
    aws = new SimulatedAws(world, metrics);
    aws.simulator().faults().throttlingEnabled(false);
    harness = OperatorHarness.start(aws.gateways(), Duration.ofSeconds(1), metrics);
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (aws != null) {
      aws.close();
    }
  }

  private AllowedAmiPolicy awaitPolicy(String name, Predicate<AllowedAmiPolicy> condition) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.test(harness.get(name)));
    return harness.get(name);
  }

  /** A world with enough instances in one Region for several pages, and a known mix of images. */
  private static SimulatorWorld pagedWorld(Map<String, Integer> instancesByRegion) {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .account(
                ACCOUNT,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
    Instant now = Instant.now();
    instancesByRegion.forEach(
        (region, count) -> {
          world.region(region);
          world.image(
              WorldImage.builder("ami-amzn-" + region, region, AMAZON_OWNER)
                  .ownerAlias("amazon")
                  .name("al2023-ami-x")
                  .creationDate(now.minus(Duration.ofDays(10)))
                  .build());
          world.image(
              WorldImage.builder("ami-mkt-" + region, region, MARKETPLACE_OWNER)
                  .ownerAlias("aws-marketplace")
                  .name("vendor-appliance")
                  .productCodes("abc123")
                  .creationDate(now.minus(Duration.ofDays(10)))
                  .build());
          world.image(
              WorldImage.builder("ami-3p-" + region, region, THIRD_PARTY)
                  .name("partner-image")
                  .creationDate(now.minus(Duration.ofDays(10)))
                  .build());
          world.image(
              WorldImage.builder("ami-own-" + region, region, ACCOUNT)
                  .name("golden")
                  .creationDate(now.minus(Duration.ofDays(10)))
                  .build());
          for (int i = 0; i < count; i++) {
            String image =
                switch (i % 10) {
                  case 6, 7 -> "ami-mkt-" + region;
                  case 8 -> "ami-3p-" + region;
                  case 9 -> "ami-own-" + region;
                  default -> "ami-amzn-" + region;
                };
            world.instance(
                WorldInstance.builder("i-%s-%05d".formatted(region, i), region, ACCOUNT, image)
                    .instanceType("t3.micro")
                    .availabilityZone(region + "a")
                    .state(i % 7 == 0 ? InstanceStateName.STOPPED : InstanceStateName.RUNNING)
                    .launchTime(now.minus(Duration.ofDays(1)))
                    .build());
          }
        });
    return world.build();
  }

  @Test
  void complianceCountsAndGroupsMatchTheSeededWorldAcrossPagesAndRegions_andMetricsExposeThem()
      throws Exception {
    Map<String, Integer> sizes =
        new TreeMap<>(Map.of("us-east-1", 2_345, "eu-west-1", 150, "ap-southeast-2", 41));
    SimulatorWorld world = pagedWorld(sizes);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    start(world, metrics);
    Ec2Simulator sim = aws.simulator();

    harness.apply(
        Policies.providers(
            "fleet", Mode.AUDIT_MODE, List.copyOf(sizes.keySet()), "amazon", THIRD_PARTY));
    AllowedAmiPolicy policy =
        awaitPolicy(
            "fleet",
            p ->
                Policies.isReady(p)
                    && p.getStatus().getRegions().stream()
                        .allMatch(
                            r -> r.getCompliance() != null && r.getCompliance().getAllowed() > 0));

    Map<String, WorldImage> images =
        world.images().stream().collect(Collectors.toMap(WorldImage::imageId, Function.identity()));
    int totalNotAllowed = 0;
    for (var entry : sizes.entrySet()) {
      String region = entry.getKey();
      List<WorldInstance> fleet =
          world.instances().stream().filter(i -> i.region().equals(region)).toList();
      List<WorldInstance> notAllowed =
          fleet.stream()
              .filter(i -> "aws-marketplace".equals(images.get(i.imageId()).ownerAlias()))
              .toList();
      RegionCompliance c = region(policy, region).getCompliance();

      assertThat(c.getInstances()).isEqualTo(entry.getValue());
      assertThat(c.getNotAllowed()).isEqualTo(notAllowed.size());
      assertThat(c.getAllowed()).isEqualTo(fleet.size() - notAllowed.size());
      assertThat(c.getUnknown()).isZero();
      assertThat(c.getByState())
          .containsExactlyInAnyOrderEntriesOf(
              fleet.stream()
                  .collect(
                      Collectors.groupingBy(
                          i -> i.state().toString().toLowerCase().replace('_', '-'),
                          Collectors.summingInt(i -> 1))));
      assertThat(c.getNotAllowedImages())
          .singleElement()
          .satisfies(
              image -> {
                assertThat(image.getId()).isEqualTo("ami-mkt-" + region);
                assertThat(image.getOwnerAlias()).isEqualTo("aws-marketplace");
                assertThat(image.getInstances()).isEqualTo(notAllowed.size());
                assertThat(image.getRunning())
                    .isEqualTo(
                        (int)
                            notAllowed.stream()
                                .filter(i -> i.state() == InstanceStateName.RUNNING)
                                .count());
              });
      assertThat(c.getNotAllowedSample())
          .hasSize(5)
          .allSatisfy(i -> assertThat(i.getImageId()).isEqualTo("ami-mkt-" + region));
      assertThat(c.getNotAllowedSample().get(0).getId())
          .isEqualTo(
              notAllowed.stream()
                  .map(WorldInstance::instanceId)
                  .sorted()
                  .findFirst()
                  .orElseThrow());
      // The criteria are in force: AWS and the local preview agree on every instance.
      assertThat(c.getPreview().getNotAllowed()).isEqualTo(notAllowed.size());
      assertThat(c.getPreview().getDisagreements()).isZero();
      // The reason names the failing condition: no listed provider matches the owner and alias.
      assertThat(c.getPreview().getNotAllowedImages())
          .singleElement()
          .satisfies(
              image ->
                  assertThat(image.getReason())
                      .isEqualTo(
                          "criterion 1 closest: providers "
                              + THIRD_PARTY
                              + " and amazon do not match owner "
                              + MARKETPLACE_OWNER
                              + " (alias aws-marketplace)"));
      assertThat(c.getNotAllowedImages())
          .as("AWS's verdict carries no local reason")
          .allSatisfy(image -> assertThat(image.getReason()).isNull());
      totalNotAllowed += notAllowed.size();
    }
    assertThat(policy.getStatus().getCompliance().getNotAllowedInstances())
        .isEqualTo(totalNotAllowed);
    assertThat(policy.getStatus().getCompliance().getInstances()).isEqualTo(2_345 + 150 + 41);
    assertThat(condition(policy, "Compliant").getStatus()).isEqualTo("False");
    assertThat(condition(policy, "Compliant").getMessage())
        .contains(totalNotAllowed + " instances")
        .contains("ami-mkt-us-east-1");

    // All pages, 1,000 a page: 3 for us-east-1 at every read.
    sim.counters().reset();
    await()
        .atMost(WAIT)
        .until(() -> sim.counters().count("GetAllowedImagesSettings", "us-east-1") >= 2);
    long reads = sim.counters().count("GetAllowedImagesSettings", "us-east-1");
    long pages = sim.counters().count("DescribeInstanceImageMetadata", "us-east-1");
    assertThat(pages).isBetween(3 * reads - 3, 3 * reads + 3);

    try (ManagementServer management = ManagementServer.start(0, harness.runtime(), metrics)) {
      HttpClient http = HttpClient.newHttpClient();
      Function<String, HttpResponse<String>> get =
          path -> {
            try {
              return http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + path))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      assertThat(get.apply("/healthz").statusCode()).isEqualTo(200);
      assertThat(get.apply("/readyz").statusCode()).isEqualTo(200);
      String scrape = get.apply("/metrics").body();
      int usEast1NotAllowed = region(policy, "us-east-1").getCompliance().getNotAllowed();
      assertThat(scrape)
          .contains(
              "allowedami_instances{account=\"111122223333\",compliance=\"not_allowed\",region=\"us-east-1\"}"
                  + " "
                  + usEast1NotAllowed
                  + ".0");
      assertThat(scrape)
          .containsPattern(
              "allowedami_aws_calls_total\\{action=\"DescribeInstanceImageMetadata\",outcome=\"ok\",service=\"Ec2\"}"
                  + " [1-9]");
      assertThat(scrape).contains("allowedami_reconcile_duration_seconds_count");
      assertThat(scrape).as("no per-instance label").doesNotContain("i-us-east-1-");

      // The Grafana dashboard only charts series that this scrape has.
      String dashboard =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("grafana", "allowed-ami-operator-dashboard.json"));
      var referenced =
          java.util.regex.Pattern.compile("allowedami_[a-z_]+")
              .matcher(dashboard)
              .results()
              .map(java.util.regex.MatchResult::group)
              .collect(java.util.stream.Collectors.toSet());
      assertThat(referenced).contains("allowedami_instances", "allowedami_aws_calls_total");
      assertThat(referenced)
          .allSatisfy(name -> assertThat(scrape).as(name).containsPattern("(?m)^" + name + "[{ ]"));
    }
  }

  @Test
  void thePreviewPredictsExactlyWhatAwsReportsOnceTheCriteriaApply() {
    start(SimulatorWorld.defaultWorld(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    List<String> regions = List.of("us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1");
    AllowedAmiPolicy policy = Policies.providers("preview", Mode.DISABLED, regions, "amazon");
    policy.getSpec().setProviders(null);
    policy
        .getSpec()
        .setImageCriteria(
            List.of(
                // Own images are always allowed; these criteria exercise wildcards, both date
                // conditions and OR across criteria.
                criterion(List.of("amazon"), List.of("al2023-ami-*", "ubuntu/images/*"), 365, null),
                criterion(null, List.of("Windows_Server-2022-*"), null, 0),
                criterion(List.of(THIRD_PARTY), null, null, null)));
    harness.apply(policy);

    // Disabled: AWS gives no verdict, the preview alone says what the criteria would do.
    AllowedAmiPolicy predicted =
        awaitPolicy(
            "preview",
            p ->
                Policies.isReady(p)
                    && p.getStatus().getRegions().stream()
                        .allMatch(r -> r.getCompliance() != null));
    for (String region : regions) {
      RegionCompliance c = region(predicted, region).getCompliance();
      assertThat(c.getAllowed() + c.getNotAllowed()).as("no verdict while disabled").isZero();
      assertThat(c.getPreview().getNotAllowed())
          .as("some instances would be blocked in " + region)
          .isPositive();
      assertThat(c.getPreview().getNotAllowedImages())
          .allSatisfy(
              image ->
                  assertThat(image.getReason())
                      .as(image.getId())
                      .matches(
                          "criterion [1-3] closest: .*(does not match|do not match|none of"
                              + "|days ago, limit).*")
                      .hasSizeLessThanOrEqualTo(200));
    }

    AllowedAmiPolicy audit = harness.get("preview");
    audit.getSpec().setMode(Mode.AUDIT_MODE);
    harness.apply(audit);
    AllowedAmiPolicy actual =
        awaitPolicy(
            "preview",
            p ->
                Policies.isReady(p)
                    && p.getMetadata().getGeneration() == 2
                    && p.getStatus().getRegions().stream()
                        .allMatch(
                            r ->
                                "audit-mode".equals(r.getState())
                                    // AWS's verdicts under the new settings: read by the
                                    // reconcile that follows the writes.
                                    && r.getCompliance().getAllowed()
                                            + r.getCompliance().getNotAllowed()
                                        > 0));

    for (String region : regions) {
      RegionCompliance before = region(predicted, region).getCompliance();
      RegionCompliance after = region(actual, region).getCompliance();
      assertThat(after.getNotAllowed()).as(region).isEqualTo(before.getPreview().getNotAllowed());
      assertThat(after.getUnknown())
          .as(region + ": deregistered images")
          .isEqualTo(before.getPreview().getUnknown());
      assertThat(after.getNotAllowedImages())
          .extracting(ImageUsage::getId)
          .containsExactlyElementsOf(
              before.getPreview().getNotAllowedImages().stream().map(ImageUsage::getId).toList());
      assertThat(after.getPreview().getDisagreements()).isZero();
    }
    assertThat(actual.getStatus().getCompliance().getNotAllowedInstances())
        .isEqualTo(predicted.getStatus().getCompliance().getWouldNotBeAllowedInstances());
  }

  @Test
  void theSafeRolloutGateHoldsEnabledUntilTheOffendingInstancesAreGone() {
    start(
        pagedWorld(Map.of("eu-west-1", 60)), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Ec2Simulator sim = aws.simulator();
    AllowedAmiPolicy policy =
        Policies.providers("gated", Mode.ENABLED, List.of("eu-west-1"), "amazon", THIRD_PARTY);
    RolloutSpec rollout = new RolloutSpec();
    rollout.setMaxBlockedInstances(0);
    policy.getSpec().setRollout(rollout);
    harness.apply(policy);

    AllowedAmiPolicy held =
        awaitPolicy(
            "gated", p -> p.getStatus() != null && region(p, "eu-west-1").getRolloutGate() != null);
    assertThat(condition(held, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(held, Conditions.READY).getReason()).isEqualTo("RolloutHeld");
    assertThat(condition(held, Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(held, Conditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(region(held, "eu-west-1").getRolloutGate()).contains("ami-mkt-eu-west-1");
    assertThat(region(held, "eu-west-1").getCriteriaInSync())
        .as("criteria applied while the switch waits")
        .isTrue();
    // What AWS holds, not what the operator says: the criteria are in, the state is not switched.
    AllowedImagesSettings whileHeld = sim.outOfBand().settings(ACCOUNT, "eu-west-1");
    assertThat(whileHeld.state())
        .as("the state the Region had before the policy: only the switch to enabled waits")
        .isEqualTo(SettingsState.DISABLED);
    assertThat(whileHeld.imageCriteria())
        .as("criteria applied while the switch waits")
        .singleElement()
        .usingRecursiveComparison()
        .ignoringCollectionOrder()
        .isEqualTo(Criterion.ofProviders("amazon", THIRD_PARTY));

    // One offending instance left: still held.
    List<WorldInstance> offending =
        sim.instances().list(ACCOUNT, "eu-west-1").stream()
            .filter(
                i -> i.imageId().startsWith("ami-mkt-") && i.state() == InstanceStateName.RUNNING)
            .toList();
    offending.stream().skip(1).forEach(i -> sim.instances().terminate(i.instanceId()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                region(harness.get("gated"), "eu-west-1")
                        .getCompliance()
                        .getPreview()
                        .getRunningNotAllowed()
                    == 1);
    assertThat(sim.outOfBand().settings(ACCOUNT, "eu-west-1").state())
        .isNotEqualTo(SettingsState.ENABLED);

    sim.instances().terminate(offending.get(0).instanceId());
    AllowedAmiPolicy released = awaitPolicy("gated", Policies::isReady);
    assertThat(sim.outOfBand().settings(ACCOUNT, "eu-west-1").state())
        .isEqualTo(SettingsState.ENABLED);
    assertThat(region(released, "eu-west-1").getRolloutGate()).isNull();
  }
}
