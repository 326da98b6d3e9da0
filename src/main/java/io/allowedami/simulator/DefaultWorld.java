package io.allowedami.simulator;

import io.allowedami.simulator.model.AccessKey;
import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.OptInStatus;
import io.allowedami.simulator.model.Watermark;
import io.allowedami.simulator.model.WorldAccount;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import io.allowedami.simulator.model.WorldRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the built-in demo world deterministically (fixed seed; dates relative to the clock): 17
 * enabled Regions, 3 not-opted-in ones, and in every enabled Region the same catalogue of Amazon,
 * verified-provider, Marketplace, third-party and own images with a few hundred instances overall,
 * and a handful of launch templates in three Regions.
 */
final class DefaultWorld {

  static final List<String> ENABLED_REGIONS = SimulatorWorld.DEFAULT_REGIONS;
  static final List<String> NOT_OPTED_IN_REGIONS = List.of("af-south-1", "ap-east-1", "me-south-1");

  /** Regions that also hold a deregistered image still used by instances. */
  static final List<String> REGIONS_WITH_DEREGISTERED_IMAGE = List.of("us-east-1", "eu-west-1");

  /** Regions where the operator account has launch templates. */
  static final List<String> REGIONS_WITH_LAUNCH_TEMPLATES =
      List.of("us-east-1", "eu-west-1", "ap-southeast-2");

  /** The SSM parameter the "eks-nodes" launch templates take their image from. */
  static final String EKS_AMI_PARAMETER =
      "/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id";

  static final String AMAZON_LINUX_OWNER = "137112412989";
  static final String AMAZON_WINDOWS_OWNER = "801119661308";
  static final String CANONICAL_OWNER = "099720109477";
  static final String MARKETPLACE_OWNER = "679593333241";
  static final String THIRD_PARTY_OWNER = "210987654321";
  static final long SEED = 20_251_122L;

  private static final List<String> INSTANCE_TYPES =
      List.of("t3.micro", "t3.medium", "m6i.large", "c6i.xlarge", "r6i.large", "m7g.large");
  private static final List<String> ENVIRONMENTS = List.of("prod", "staging", "dev");
  private static final List<String> TEAMS = List.of("platform", "payments", "data", "web");

  /** An image of the catalogue and how often instances use it (weight). */
  private record Template(
      String key,
      int weight,
      String owner,
      String alias,
      String name,
      int ageDays,
      Integer deprecatedDaysAgo,
      List<String> productCodes,
      boolean isPublic) {}

  private static final List<Template> CATALOGUE =
      List.of(
          new Template(
              "al2023",
              25,
              AMAZON_LINUX_OWNER,
              "amazon",
              "al2023-ami-2023.9.20251110.0-kernel-6.1-x86_64",
              12,
              null,
              List.of(),
              true),
          new Template(
              "al2023-old",
              10,
              AMAZON_LINUX_OWNER,
              "amazon",
              "al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64",
              400,
              35,
              List.of(),
              true),
          new Template(
              "windows",
              10,
              AMAZON_WINDOWS_OWNER,
              "amazon",
              "Windows_Server-2022-English-Full-Base-2025.10.15",
              38,
              null,
              List.of(),
              true),
          new Template(
              "ubuntu-noble",
              15,
              CANONICAL_OWNER,
              "amazon",
              "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20251001",
              50,
              null,
              List.of(),
              true),
          new Template(
              "ubuntu-focal",
              5,
              CANONICAL_OWNER,
              "amazon",
              "ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-20230420",
              940,
              200,
              List.of(),
              true),
          new Template(
              "bitnami-nginx",
              8,
              MARKETPLACE_OWNER,
              "aws-marketplace",
              "bitnami-nginx-1.27.2-r0-linux-debian-12-x86_64",
              80,
              null,
              List.of("a8r3dqzmsiu1g0dhmbbk0bxsl"),
              true),
          new Template(
              "fortigate",
              4,
              MARKETPLACE_OWNER,
              "aws-marketplace",
              "FortiGate-VM64-AWS build2731 (7.4.5) GA",
              150,
              null,
              List.of("dlaioq277sglm5mw1y1dmeuqa"),
              true),
          new Template(
              "acme-rhel9",
              8,
              THIRD_PARTY_OWNER,
              null,
              "acme-hardened-rhel9-2025.09",
              70,
              null,
              List.of(),
              true),
          new Template(
              "golden",
              10,
              SimulatorWorld.DEFAULT_ACCOUNT_ID,
              null,
              "golden-base-al2023-2025.11.01",
              20,
              null,
              List.of(),
              false),
          new Template(
              "workloads-app",
              10,
              SimulatorWorld.MEMBER_ACCOUNT_ID,
              null,
              "workloads-app-2025.10",
              30,
              null,
              List.of(),
              false),
          new Template(
              "acme-legacy",
              5,
              THIRD_PARTY_OWNER,
              null,
              "acme-legacy-app-2019.04",
              2_000,
              null,
              List.of(),
              true));

  private DefaultWorld() {}

  static SimulatorWorld build(Clock clock) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.DAYS);
    Random random = new Random(SEED);
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .clock(clock)
            .account(
                new WorldAccount(
                    SimulatorWorld.DEFAULT_ACCOUNT_ID,
                    "operator",
                    List.of(
                        new AccessKey(
                            SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                            SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)),
                    List.of()))
            .account(
                new WorldAccount(
                    SimulatorWorld.MEMBER_ACCOUNT_ID,
                    "workloads",
                    List.of(
                        new AccessKey(
                            SimulatorWorld.MEMBER_ACCESS_KEY_ID,
                            SimulatorWorld.MEMBER_SECRET_ACCESS_KEY)),
                    List.of(
                        new WorldRole(
                            SimulatorWorld.MEMBER_ROLE_NAME, SimulatorWorld.MEMBER_EXTERNAL_ID),
                        new WorldRole(
                            SimulatorWorld.MEMBER_DEPLOY_ROLE_NAME,
                            SimulatorWorld.MEMBER_DEPLOY_EXTERNAL_ID))));
    ENABLED_REGIONS.forEach(world::region);
    NOT_OPTED_IN_REGIONS.forEach(r -> world.region(r, OptInStatus.NOT_OPTED_IN));
    for (String region : ENABLED_REGIONS) {
      Map<String, WorldImage> images = images(region, now, random);
      images.values().forEach(world::image);
      launchTemplates(world, region, images, now);
      instances(
              region,
              SimulatorWorld.DEFAULT_ACCOUNT_ID,
              12 + random.nextInt(15),
              "golden",
              images,
              now,
              random)
          .forEach(world::instance);
      instances(
              region,
              SimulatorWorld.MEMBER_ACCOUNT_ID,
              4 + random.nextInt(7),
              "workloads-app",
              images,
              now,
              random)
          .forEach(world::instance);
    }
    return world.build();
  }

  /**
   * A handful of launch templates of the operator account in {@link #REGIONS_WITH_LAUNCH_TEMPLATES}
   * (one in the member account too): Amazon, verified-provider, Marketplace, third-party and own
   * images, a deregistered image, an image by SSM parameter, a template whose default and latest
   * versions differ, and one without an image. IDs are fixed (not drawn from the seeded random) so
   * the rest of the world does not change with them.
   */
  private static void launchTemplates(
      SimulatorWorld.Builder world, String region, Map<String, WorldImage> images, Instant now) {
    int regionIndex = REGIONS_WITH_LAUNCH_TEMPLATES.indexOf(region);
    if (regionIndex < 0) {
      return;
    }
    String operator = SimulatorWorld.DEFAULT_ACCOUNT_ID;
    LaunchTemplates templates = new LaunchTemplates(world, region, regionIndex, now);
    templates.add(operator, "web-al2023", 2, images, "al2023-old", "al2023");
    templates.add(
        operator, "payments-ubuntu", 2, images, "ubuntu-focal", "ubuntu-noble", "acme-rhel9");
    templates.add(operator, "golden-base", 1, images, "golden");
    templates.add(operator, "vendor-firewall", 1, images, "fortigate");
    templates.addVersions(
        operator,
        "eks-nodes",
        1,
        List.of(WorldLaunchTemplateVersion.SSM_PREFIX + EKS_AMI_PARAMETER));
    world.ssmParameter(operator, region, EKS_AMI_PARAMETER, images.get("al2023").imageId());
    templates.addVersions(operator, "spot-fleet-no-image", 1, Arrays.asList((String) null));
    if (images.containsKey("acme-legacy")) {
      templates.add(operator, "legacy-app", 1, images, "acme-legacy");
    }
    templates.add(SimulatorWorld.MEMBER_ACCOUNT_ID, "workloads-app", 1, images, "workloads-app");
  }

  /** Adds launch templates with fixed IDs, versions a day apart. */
  private static final class LaunchTemplates {
    private final SimulatorWorld.Builder world;
    private final String region;
    private final int regionIndex;
    private final Instant now;
    private int count;

    LaunchTemplates(SimulatorWorld.Builder world, String region, int regionIndex, Instant now) {
      this.world = world;
      this.region = region;
      this.regionIndex = regionIndex;
      this.now = now;
    }

    void add(
        String accountId,
        String name,
        long defaultVersion,
        Map<String, WorldImage> images,
        String... imageKeys) {
      addVersions(
          accountId,
          name,
          defaultVersion,
          Arrays.stream(imageKeys).map(k -> images.get(k).imageId()).toList());
    }

    void addVersions(String accountId, String name, long defaultVersion, List<String> imageIds) {
      count++;
      Instant created = now.minus(Duration.ofDays(90L + 10L * count));
      List<WorldLaunchTemplateVersion> versions = new ArrayList<>();
      for (int v = 1; v <= imageIds.size(); v++) {
        versions.add(
            new WorldLaunchTemplateVersion(
                v, name + " v" + v, imageIds.get(v - 1), created.plus(Duration.ofDays(v - 1L))));
      }
      world.launchTemplate(
          new WorldLaunchTemplate(
              String.format("lt-0%04x%012x", regionIndex + 1, count),
              region,
              accountId,
              name,
              created,
              null,
              defaultVersion,
              versions,
              Map.of("Team", name.startsWith("payments") ? "payments" : "platform")));
    }
  }

  private static Map<String, WorldImage> images(String region, Instant now, Random random) {
    Map<String, WorldImage> images = new LinkedHashMap<>();
    for (Template t : CATALOGUE) {
      boolean deregistered = t.key().equals("acme-legacy");
      if (deregistered && !REGIONS_WITH_DEREGISTERED_IMAGE.contains(region)) {
        continue;
      }
      Instant created = now.minus(Duration.ofDays(t.ageDays()));
      WorldImage.Builder image =
          WorldImage.builder(String.format("ami-0%016x", random.nextLong()), region, t.owner())
              .ownerAlias(t.alias())
              .name(t.name())
              .creationDate(created)
              .productCodes(t.productCodes().toArray(String[]::new))
              .isPublic(t.isPublic());
      if (t.deprecatedDaysAgo() != null) {
        image.deprecationTime(now.minus(Duration.ofDays(t.deprecatedDaysAgo())));
      }
      if (deregistered) {
        image.deregistered();
      }
      if (t.key().equals("golden")) {
        image.watermarks(
            new Watermark(
                SimulatorWorld.DEFAULT_ACCOUNT_ID + ":golden-pipeline",
                "us-east-1",
                "ami-0golden0source001",
                created.minus(Duration.ofDays(1)),
                created));
      }
      images.put(t.key(), image.build());
    }
    return images;
  }

  private static List<WorldInstance> instances(
      String region,
      String accountId,
      int count,
      String ownImageKey,
      Map<String, WorldImage> images,
      Instant now,
      Random random) {
    List<Template> usable =
        CATALOGUE.stream()
            .filter(t -> images.containsKey(t.key()))
            .filter(
                t ->
                    !t.owner().equals(SimulatorWorld.DEFAULT_ACCOUNT_ID)
                            && !t.owner().equals(SimulatorWorld.MEMBER_ACCOUNT_ID)
                        || t.key().equals(ownImageKey))
            .toList();
    int totalWeight = usable.stream().mapToInt(Template::weight).sum();
    List<WorldInstance> instances = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      Template template = pick(usable, totalWeight, random);
      Map<String, String> tags = new LinkedHashMap<>();
      if (random.nextInt(10) > 0) {
        String team = TEAMS.get(random.nextInt(TEAMS.size()));
        tags.put("Name", team + "-" + template.key() + "-" + n);
        tags.put("Environment", ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size())));
        tags.put("Team", team);
      }
      instances.add(
          WorldInstance.builder(
                  String.format("i-0%016x", random.nextLong()),
                  region,
                  accountId,
                  images.get(template.key()).imageId())
              .instanceType(INSTANCE_TYPES.get(random.nextInt(INSTANCE_TYPES.size())))
              .availabilityZone(region + (char) ('a' + random.nextInt(3)))
              .state(
                  random.nextInt(100) < 85 ? InstanceStateName.RUNNING : InstanceStateName.STOPPED)
              .launchTime(
                  now.minus(Duration.ofDays(1 + random.nextInt(300)))
                      .plusSeconds(random.nextInt(86_400)))
              .tags(tags)
              .build());
    }
    return instances;
  }

  private static Template pick(List<Template> templates, int totalWeight, Random random) {
    int target = random.nextInt(totalWeight);
    for (Template t : templates) {
      target -= t.weight();
      if (target < 0) {
        return t;
      }
    }
    throw new IllegalStateException("weights do not add up");
  }
}
