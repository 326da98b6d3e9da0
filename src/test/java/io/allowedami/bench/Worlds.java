package io.allowedami.bench;

import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The simulated worlds the benchmark runs in, built deterministically in code. */
final class Worlds {
  static final List<String> REGIONS = SimulatorWorld.DEFAULT_REGIONS;
  static final String OPERATOR_ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  static final String MEMBER_ROLE = "AllowedAmiOperatorRole";
  static final String MEMBER_EXTERNAL_ID = "allowed-ami-benchmark";
  private static final int IMAGES_PER_REGION = 20;

  private Worlds() {}

  /** The i-th member account (0-based) of {@link #manyAccounts}. */
  static String memberAccount(int i) {
    return "%012d".formatted(200_000_000_000L + i);
  }

  static String memberRoleArn(int i) {
    return "arn:aws:iam::" + memberAccount(i) + ":role/" + MEMBER_ROLE;
  }

  /**
   * The operator's account (the default keys) and {@code members} accounts it reaches with
   * AssumeRole, each with {@code instancesPerRegion} instances in each of the 17 Regions.
   */
  static SimulatorWorld manyAccounts(int members, int instancesPerRegion) {
    SimulatorWorld.Builder world = operatorAccount();
    for (int i = 0; i < members; i++) {
      world.account(memberAccount(i), "AKIABENCHMEMBER%05d".formatted(i), "secret-" + i);
      world.role(memberAccount(i), MEMBER_ROLE, MEMBER_EXTERNAL_ID);
    }
    Instant now = Instant.now();
    for (String region : REGIONS) {
      world.region(region);
      images(world, region, now);
      for (int i = 0; i < members; i++) {
        for (int n = 0; n < instancesPerRegion; n++) {
          world.instance(instance(region, memberAccount(i), i * instancesPerRegion + n, now));
        }
      }
    }
    return world.build();
  }

  /** One account with {@code instances} instances spread evenly over the 17 Regions. */
  static SimulatorWorld largeFleet(int instances) {
    SimulatorWorld.Builder world = operatorAccount();
    Instant now = Instant.now();
    int perRegion = instances / REGIONS.size();
    for (int r = 0; r < REGIONS.size(); r++) {
      String region = REGIONS.get(r);
      world.region(region);
      images(world, region, now);
      int count =
          r == REGIONS.size() - 1 ? instances - perRegion * (REGIONS.size() - 1) : perRegion;
      for (int i = 0; i < count; i++) {
        world.instance(instance(region, OPERATOR_ACCOUNT, i, now));
      }
    }
    return world.build();
  }

  /** Instances of an account in each of the 17 Regions, to count the pages a full scan needs. */
  static Map<String, Long> instancesByRegion(SimulatorWorld world, String account) {
    Map<String, Long> counts =
        world.instances().stream()
            .filter(i -> i.accountId().equals(account) && REGIONS.contains(i.region()))
            .collect(
                Collectors.groupingBy(WorldInstance::region, TreeMap::new, Collectors.counting()));
    REGIONS.forEach(r -> counts.putIfAbsent(r, 0L));
    return counts;
  }

  /** Pages of 1,000 a full DescribeInstanceImageMetadata scan takes (an empty Region: one). */
  static long pages(long instances) {
    return Math.max(1, (instances + 999) / 1000);
  }

  private static SimulatorWorld.Builder operatorAccount() {
    return SimulatorWorld.builder()
        .account(
            OPERATOR_ACCOUNT,
            SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
            SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
  }

  /** Amazon, Marketplace and third-party images: a fifth of them not allowed by the policies. */
  private static void images(SimulatorWorld.Builder world, String region, Instant now) {
    for (int image = 0; image < IMAGES_PER_REGION; image++) {
      String alias = image % 5 == 0 ? "aws-marketplace" : image % 5 == 1 ? null : "amazon";
      world.image(
          WorldImage.builder(
                  imageId(region, image), region, "%012d".formatted(100_000_000_000L + image))
              .ownerAlias(alias)
              .name("image-" + image)
              .creationDate(now.minus(Duration.ofDays(image * 10L)))
              .build());
    }
  }

  private static WorldInstance instance(String region, String account, int n, Instant now) {
    return WorldInstance.builder(
            "i-%s-%s-%06d".formatted(account, region, n),
            region,
            account,
            imageId(region, n % IMAGES_PER_REGION))
        .instanceType("m6i.large")
        .availabilityZone(region + "a")
        .state(n % 6 == 0 ? InstanceStateName.STOPPED : InstanceStateName.RUNNING)
        .launchTime(now.minus(Duration.ofHours(n % 1000)))
        .build();
  }

  private static String imageId(String region, int image) {
    return "ami-%s-%02d".formatted(region, image);
  }
}
