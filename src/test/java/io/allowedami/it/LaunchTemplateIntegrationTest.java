package io.allowedami.it;

import static io.allowedami.testing.Policies.criterion;
import static io.allowedami.testing.Policies.region;
import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.ComplianceSpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.LaunchTemplateCompliance;
import io.allowedami.api.v1alpha1.LaunchTemplateRef;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.compliance.RolloutCautions;
import io.allowedami.plan.PlanReport;
import io.allowedami.plan.Planner;
import io.allowedami.plan.PolicyDocument;
import io.allowedami.reconcile.LaunchTemplateScan;
import io.allowedami.reconcile.RolloutWarnings;
import io.allowedami.simulator.LaunchTemplateWorlds;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.criteria.ImageAllowance;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which launches from launch templates would fail, end to end: the real operator against the
 * simulator over HTTP, judged against an oracle built from the simulator's world with the
 * simulator's own criteria code (independent of the operator's evaluator).
 */
class LaunchTemplateIntegrationTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final String EAST = "us-east-1";
  private static final String WEST = "eu-west-1";
  private static final List<String> REGIONS = List.of(EAST, WEST);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant NOW = Instant.now();

  private static final String AL2023 = "ami-al2023";
  private static final String UBUNTU = "ami-ubuntu";
  private static final String VENDOR = "ami-vendor";
  private static final String GOLDEN = "ami-golden";
  private static final String GONE = "ami-gone";

  /** Amazon Linux from Amazon only: Ubuntu (a verified provider) and the vendor's are not. */
  private static final List<Criterion> CRITERIA =
      List.of(Criterion.builder().providers("amazon").names("al2023-ami-*").build());

  private SimulatedAws aws;
  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (aws != null) {
      aws.close();
    }
  }

  private static SimulatorWorld world() {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .account(
                ACCOUNT,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
    for (String region : REGIONS) {
      world.region(region);
      world.image(image(AL2023, region, "137112412989", "amazon", "al2023-ami-2023.6-x86_64"));
      world.image(
          image(
              UBUNTU, region, "099720109477", "amazon", "ubuntu/images/ubuntu-noble-24.04-amd64"));
      world.image(
          WorldImage.builder(VENDOR, region, "679593333241")
              .ownerAlias("aws-marketplace")
              .name("vendor-appliance-7.2")
              .productCodes("abc123")
              .creationDate(NOW.minus(Duration.ofDays(40)))
              .build());
      world.image(
          WorldImage.builder(GOLDEN, region, ACCOUNT)
              .name("golden-2025")
              .isPublic(false)
              .creationDate(NOW.minus(Duration.ofDays(5)))
              .build());
      world.image(
          WorldImage.builder(GONE, region, "137112412989")
              .ownerAlias("amazon")
              .name("al2023-ami-old")
              .deregistered()
              .build());
      int i = 0;
      for (String image : List.of(AL2023, UBUNTU, VENDOR, GOLDEN)) {
        world.instance(
            WorldInstance.builder("i-%s-%d".formatted(region, i++), region, ACCOUNT, image)
                .state(InstanceStateName.RUNNING)
                .build());
      }
    }
    // us-east-1: 300 templates, 450 default and latest versions, 3 pages of 200.
    LaunchTemplateWorlds.addMany(
        world, ACCOUNT, EAST, 300, List.of(AL2023, UBUNTU, VENDOR, GOLDEN, GONE));
    // eu-west-1: one template per case, by hand.
    world.launchTemplate(template("lt-0000000000000000a", "web", 1L, AL2023, UBUNTU));
    world.launchTemplate(
        template("lt-0000000000000000b", "batch", 1L, "resolve:ssm:/golden/ami/latest"));
    world.launchTemplate(template("lt-0000000000000000c", "legacy", 1L, GONE));
    world.launchTemplate(template("lt-0000000000000000d", "golden", 1L, GOLDEN));
    world.launchTemplate(template("lt-0000000000000000e", "bring-your-own", 1L, (String) null));
    world.launchTemplate(template("lt-0000000000000000f", "vendor", 1L, VENDOR));
    return world.build();
  }

  private static WorldImage image(
      String id, String region, String owner, String alias, String name) {
    return WorldImage.builder(id, region, owner)
        .ownerAlias(alias)
        .name(name)
        .creationDate(NOW.minus(Duration.ofDays(20)))
        .build();
  }

  private static WorldLaunchTemplate template(
      String id, String name, Long defaultVersion, String... images) {
    List<WorldLaunchTemplateVersion> versions = new ArrayList<>();
    for (int v = 0; v < images.length; v++) {
      versions.add(WorldLaunchTemplateVersion.of(v + 1, images[v]));
    }
    return new WorldLaunchTemplate(
        id, WEST, ACCOUNT, name, null, null, defaultVersion, versions, Map.of());
  }

  /** The launch template figures a Region must show, computed from the world alone. */
  private record Expected(
      int templates,
      int versions,
      int allowed,
      int wouldFail,
      int unknown,
      int withoutImage,
      List<String> listed,
      int omitted) {}

  /** Versions whose image exists and the criteria would not allow, computed from the world. */
  private int notAllowed(String region, List<Criterion> criteria) {
    ImageAllowance allowance = new ImageAllowance(Clock.systemUTC());
    List<WorldLaunchTemplate> templates =
        aws.simulator().outOfBand().launchTemplates().stream()
            .filter(t -> t.accountId().equals(ACCOUNT) && t.region().equals(region))
            .toList();
    int count = 0;
    for (LaunchTemplateWorlds.VersionKey key : LaunchTemplateWorlds.latestAndDefault(templates)) {
      String image =
          templates.stream()
              .filter(t -> t.launchTemplateId().equals(key.launchTemplateId()))
              .findFirst()
              .flatMap(t -> t.version(key.versionNumber()))
              .orElseThrow()
              .imageId();
      boolean blocked =
          image != null
              && aws.simulator().images().list(region).stream()
                  .anyMatch(
                      i ->
                          i.imageId().equals(image)
                              && !i.deregistered()
                              && !allowance.wouldBeAllowed(criteria, i, ACCOUNT));
      count += blocked ? 1 : 0;
    }
    return count;
  }

  private Expected expected(String region, List<Criterion> criteria) {
    ImageAllowance allowance = new ImageAllowance(Clock.systemUTC());
    List<WorldLaunchTemplate> templates =
        aws.simulator().outOfBand().launchTemplates().stream()
            .filter(t -> t.accountId().equals(ACCOUNT) && t.region().equals(region))
            .toList();
    int allowed = 0;
    int withoutImage = 0;
    List<String[]> failing = new ArrayList<>(); // {id, version, verdict}
    for (LaunchTemplateWorlds.VersionKey key : LaunchTemplateWorlds.latestAndDefault(templates)) {
      WorldLaunchTemplate template =
          templates.stream()
              .filter(t -> t.launchTemplateId().equals(key.launchTemplateId()))
              .findFirst()
              .orElseThrow();
      String image = template.version(key.versionNumber()).orElseThrow().imageId();
      String version = String.valueOf(key.versionNumber());
      if (image == null) {
        withoutImage++;
      } else if (image.startsWith("resolve:ssm:")) {
        failing.add(new String[] {key.launchTemplateId(), version, "Unknown"});
      } else {
        Optional<WorldImage> found =
            aws.simulator().images().list(region).stream()
                .filter(i -> i.imageId().equals(image) && !i.deregistered())
                .findFirst();
        if (found.isEmpty()) {
          failing.add(new String[] {key.launchTemplateId(), version, "ImageNotFound"});
        } else if (allowance.wouldBeAllowed(criteria, found.get(), ACCOUNT)) {
          allowed++;
        } else {
          failing.add(new String[] {key.launchTemplateId(), version, "NotAllowed"});
        }
      }
    }
    int unknown = (int) failing.stream().filter(f -> f[2].equals("Unknown")).count();
    List<String> listed =
        failing.stream()
            .sorted(
                Comparator.comparing((String[] f) -> f[2].equals("Unknown"))
                    .thenComparing(f -> f[0])
                    .thenComparingLong(f -> Long.parseLong(f[1])))
            .limit(LaunchTemplateScan.LISTED)
            .map(f -> f[0] + " v" + f[1] + " " + f[2])
            .toList();
    return new Expected(
        templates.size(),
        allowed + withoutImage + failing.size(),
        allowed,
        failing.size() - unknown,
        unknown,
        withoutImage,
        listed,
        failing.size() - listed.size());
  }

  private static Expected shown(RegionStatus region) {
    LaunchTemplateCompliance t = region.getLaunchTemplates();
    return new Expected(
        t.templates(),
        t.versions(),
        t.allowed(),
        t.wouldFail(),
        t.unknown(),
        t.withoutImage(),
        t.failing().stream().map(f -> f.id() + " v" + f.version() + " " + f.verdict()).toList(),
        t.omitted());
  }

  private static AllowedAmiPolicy policy(String name, List<ImageCriterionSpec> criteria) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode("audit-mode");
    spec.setRegions(REGIONS);
    spec.setImageCriteria(criteria);
    AllowedAmiPolicy policy = new AllowedAmiPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return policy;
  }

  private static List<ImageCriterionSpec> amazonLinuxOnly() {
    return List.of(criterion(List.of("amazon"), List.of("al2023-ami-*"), null, null));
  }

  private AllowedAmiPolicy await(String name, Predicate<AllowedAmiPolicy> condition) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.test(harness.get(name)));
    return harness.get(name);
  }

  private static boolean scanned(AllowedAmiPolicy p) {
    return Policies.isReady(p)
        && p.getStatus().getRegions().stream()
            .allMatch(
                r -> r.getLaunchTemplates() != null && r.getLaunchTemplates().wouldFail() != null);
  }

  private void start() {
    aws = new SimulatedAws(world());
    aws.simulator().faults().throttlingEnabled(false);
    harness = OperatorHarness.start(aws.gateways(), Duration.ofSeconds(1));
  }

  @Test
  void
      theTemplatesThatWouldFailMatchTheWorldAcrossPagesAndRegionsAndSteadyStateMakesNoTemplateCall()
          throws Exception {
    start();
    harness.apply(policy("amazon-linux", amazonLinuxOnly()));
    AllowedAmiPolicy converged = await("amazon-linux", LaunchTemplateIntegrationTest::scanned);

    for (String region : REGIONS) {
      assertThat(shown(region(converged, region))).as(region).isEqualTo(expected(region, CRITERIA));
    }
    Expected east = expected(EAST, CRITERIA);
    assertThat(east.versions()).as("three pages").isGreaterThan(400);
    assertThat(east.unknown()).as("SSM parameters are unknown").isPositive();
    assertThat(region(converged, WEST).getLaunchTemplates().unknown())
        .as("the one SSM template of eu-west-1")
        .isEqualTo(1);
    assertThat(region(converged, EAST).getLaunchTemplates().failing())
        .as("the first listed are those that would fail, with their reason")
        .allSatisfy(f -> assertThat(f.verdict()).isIn("NotAllowed", "ImageNotFound"))
        .allSatisfy(f -> assertThat(f.reason()).isNotBlank());
    assertThat(converged.getStatus().getCompliance().getLaunchTemplatesWouldFail())
        .isEqualTo(east.wouldFail() + expected(WEST, CRITERIA).wouldFail());

    // First convergence: one scan per Region (3 pages in us-east-1, 1 in eu-west-1), however many
    // reconciles it took; then resyncs reuse it: no template call at all.
    assertThat(aws.simulator().counters().count("DescribeLaunchTemplateVersions")).isEqualTo(4);
    assertThat(aws.simulator().counters().count("DescribeImages")).isEqualTo(2);
    String resynced = converged.getStatus().getRegions().get(0).getLaunchTemplates().scannedAt();
    Thread.sleep(Duration.ofSeconds(4).toMillis()); // four resyncs at 1 s
    assertThat(aws.simulator().counters().count("DescribeLaunchTemplateVersions")).isEqualTo(4);
    assertThat(aws.simulator().counters().count("DescribeImages")).isEqualTo(2);
    assertThat(region(harness.get("amazon-linux"), EAST).getLaunchTemplates().scannedAt())
        .isEqualTo(resynced);

    // A template changed out of band is seen at the next scan; a spec change scans again at once.
    aws.simulator().outOfBand().createLaunchTemplate(ACCOUNT, WEST, "late", UBUNTU);
    AllowedAmiPolicy edited = harness.get("amazon-linux");
    edited.getSpec().setResyncInterval("30s");
    harness.apply(edited);
    AllowedAmiPolicy rescanned =
        await(
            "amazon-linux",
            p ->
                p.getStatus().getObservedGeneration() == 2
                    && region(p, WEST).getLaunchTemplates().templates() == 7);
    assertThat(shown(region(rescanned, WEST))).isEqualTo(expected(WEST, CRITERIA));
    assertThat(aws.simulator().counters().count("DescribeLaunchTemplateVersions")).isEqualTo(8);
  }

  @Test
  void theCriteriaPlanProposesLeaveNoRunningInstanceAndNoTemplateNotAllowed() {
    start();
    AllowedAmiPolicySpec spec = policy("fit", amazonLinuxOnly()).getSpec();
    PlanReport report =
        new Planner(aws.gateways(), 4, Clock.systemUTC())
            .plan(List.of(new PolicyDocument("fit.yaml#1", "fit", spec, List.of())));
    List<ImageCriterionSpec> proposed = report.policies().get(0).proposal().proposedCriteria();

    harness.apply(policy("fit", proposed));
    AllowedAmiPolicy applied =
        await(
            "fit",
            p ->
                scanned(p)
                    && p.getStatus().getRegions().stream()
                        .allMatch(r -> Boolean.TRUE.equals(r.getInSync())));

    List<Criterion> criteria =
        proposed.stream()
            .map(
                c ->
                    Criterion.builder()
                        .providers(
                            c.getImageProviders() == null
                                ? new String[0]
                                : c.getImageProviders().toArray(String[]::new))
                        .names(
                            c.getImageNames() == null
                                ? new String[0]
                                : c.getImageNames().toArray(String[]::new))
                        .productCodes(
                            c.getMarketplaceProductCodes() == null
                                ? new String[0]
                                : c.getMarketplaceProductCodes().toArray(String[]::new))
                        .build())
            .toList();
    for (String region : REGIONS) {
      RegionStatus status = region(applied, region);
      assertThat(status.getCompliance().getPreview().getRunningNotAllowed()).as(region).isZero();
      assertThat(status.getCompliance().getNotAllowed()).as(region + ", by AWS").isZero();
      assertThat(status.getLaunchTemplates().failing())
          .as(region)
          .extracting(LaunchTemplateRef::verdict)
          .doesNotContain("NotAllowed");
      assertThat(shown(status)).as(region).isEqualTo(expected(region, criteria));
      assertThat(notAllowed(region, criteria))
          .as(region + ": no version whose image exists is not allowed")
          .isZero();
      assertThat(notAllowed(region, CRITERIA)).as(region + ": but there were some").isPositive();
    }
  }

  private AllowedAmiPolicy awaitWarning(String name, long generation) {
    return await(
        name,
        p ->
            p.getStatus() != null
                && p.getStatus().getObservedGeneration() == generation
                && scanned(p)
                && Policies.condition(p, RolloutWarnings.ROLLOUT_WARNING) != null);
  }

  private List<String> warningEvents(String name) {
    return harness.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .map(Event::getReason)
        .filter(
            r ->
                r.equals(RolloutCautions.AMAZON_NOT_ALLOWED)
                    || r.equals(RolloutCautions.CREATION_DATE_LIMIT)
                    || r.equals(RolloutCautions.NAMES_WITHOUT_PROVIDER))
        .toList();
  }

  @Test
  void eachRolloutCautionAppearsAsAConditionAndAnEventWhenItAppliesAndNotOtherwise() {
    start();
    // Amazon Linux from amazon: nothing to warn about.
    harness.apply(policy("cautions", amazonLinuxOnly()));
    PolicyCondition none =
        Policies.condition(awaitWarning("cautions", 1), RolloutWarnings.ROLLOUT_WARNING);
    assertThat(none.getStatus()).isEqualTo("False");
    assertThat(none.getReason()).isEqualTo(RolloutWarnings.REASON_NONE);
    assertThat(warningEvents("cautions")).isEmpty();

    // The vendor's account and bare names: Amazon images are in use (instances and templates) and
    // no criterion lists amazon; names without a provider.
    AllowedAmiPolicy edited = harness.get("cautions");
    edited
        .getSpec()
        .setImageCriteria(
            List.of(
                criterion(List.of("679593333241"), null, null, null),
                criterion(null, List.of("al2023-ami-*"), null, null)));
    harness.apply(edited);
    PolicyCondition two =
        Policies.condition(awaitWarning("cautions", 2), RolloutWarnings.ROLLOUT_WARNING);
    assertThat(two.getStatus()).isEqualTo("True");
    assertThat(two.getReason())
        .isEqualTo(
            RolloutCautions.AMAZON_NOT_ALLOWED + "," + RolloutCautions.NAMES_WITHOUT_PROVIDER);
    assertThat(two.getMessage())
        .contains("no criterion lists provider amazon")
        .contains("launch template")
        .contains("without a provider");
    assertThat(Policies.isReady(harness.get("cautions"))).as("never blocking").isTrue();
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                warningEvents("cautions")
                    .containsAll(
                        List.of(
                            RolloutCautions.AMAZON_NOT_ALLOWED,
                            RolloutCautions.NAMES_WITHOUT_PROVIDER)));

    // Amazon images created within 10 days: the images in use are 20 days old.
    edited = harness.get("cautions");
    edited.getSpec().setImageCriteria(List.of(criterion(List.of("amazon"), null, 10, null)));
    harness.apply(edited);
    PolicyCondition aged =
        Policies.condition(awaitWarning("cautions", 3), RolloutWarnings.ROLLOUT_WARNING);
    assertThat(aged.getReason()).isEqualTo(RolloutCautions.CREATION_DATE_LIMIT);
    assertThat(aged.getMessage()).contains("10 days").contains("oldest 20 days");
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(() -> warningEvents("cautions").contains(RolloutCautions.CREATION_DATE_LIMIT));
    assertThat(warningEvents("cautions"))
        .as("one Event per caution as it starts to apply, none while it goes on")
        .containsExactlyInAnyOrder(
            RolloutCautions.AMAZON_NOT_ALLOWED,
            RolloutCautions.NAMES_WITHOUT_PROVIDER,
            RolloutCautions.CREATION_DATE_LIMIT);
  }

  @Test
  void aPolicyThatDoesNotScanLaunchTemplatesMakesNoSuchCall() {
    start();
    AllowedAmiPolicy policy = policy("no-scan", amazonLinuxOnly());
    ComplianceSpec compliance = new ComplianceSpec();
    compliance.setScanLaunchTemplates(false);
    policy.getSpec().setCompliance(compliance);
    harness.apply(policy);

    AllowedAmiPolicy ready = await("no-scan", Policies::isReady);

    assertThat(ready.getStatus().getRegions())
        .extracting(RegionStatus::getLaunchTemplates)
        .containsOnlyNulls();
    assertThat(aws.simulator().counters().count("DescribeLaunchTemplateVersions")).isZero();
    assertThat(aws.simulator().counters().count("DescribeImages")).isZero();
  }
}
