package io.allowedami.bench;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.allowedami.testing.SimulatorCalls;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures what a reconcile costs against the simulator: AWS calls per reconcile (by action) while
 * converging and in steady state, time to converge, reconcile duration and status size. Counts are
 * exact and machine-independent; times depend on the machine, so compare them as ratios.
 *
 * <p>Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.allowedami.bench.ReconcileBenchmark}
 */
public final class ReconcileBenchmark {
  private static final List<String> REGIONS = SimulatorWorld.DEFAULT_REGIONS;
  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final int STEADY_RESYNCS = 5;

  /** Held so that the level set on it is not lost: java.util.logging keeps loggers weakly. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private ReconcileBenchmark() {}

  public static void main(String[] args) throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    System.out.println(
        "| world | Regions | instances | converge: calls | converge: writes | converge: ms |"
            + " steady: calls/reconcile | steady: writes | steady: mean reconcile ms | status bytes"
            + " |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    run("default (simulator demo world)", SimulatorWorld.defaultWorld(), REGIONS);
    run("100,000 instances", largeWorld(100_000), REGIONS);
    System.out.println();
    System.out.println(
        "Machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.version")
            + "; resync "
            + RESYNC.toSeconds()
            + "s; EC2 throttling on (default buckets).");
  }

  private static void run(String name, SimulatorWorld world, List<String> regions)
      throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (SimulatedAws aws = new SimulatedAws(world, metrics);
        OperatorHarness harness = OperatorHarness.start(aws.gateways(), RESYNC, metrics)) {
      CallCounters counters = aws.simulator().counters();
      Instant start = Instant.now();
      harness.apply(
          Policies.providers("bench", Mode.AUDIT_MODE, regions, "amazon", "aws-marketplace"));
      while (!Policies.isReady(harness.get("bench"))) {
        Thread.sleep(20);
      }
      long convergeMillis = Duration.between(start, Instant.now()).toMillis();
      long convergeCalls = counters.total();
      long convergeWrites = SimulatorCalls.successfulWrites(counters, null);

      Timer reconciles = metrics.get("allowedami.reconcile.duration").timer();
      long before = reconciles.count();
      double totalBefore = reconciles.totalTime(TimeUnit.MILLISECONDS);
      counters.reset();
      while (reconciles.count() - before < STEADY_RESYNCS) {
        Thread.sleep(50);
      }
      long steadyReconciles = reconciles.count() - before;
      long steadyCalls = counters.total();
      Map<String, Long> byAction =
          counters.snapshot().entrySet().stream()
              .collect(
                  Collectors.groupingBy(
                      e -> e.getKey().action(),
                      TreeMap::new,
                      Collectors.summingLong(Map.Entry::getValue)));
      double meanMillis =
          (reconciles.totalTime(TimeUnit.MILLISECONDS) - totalBefore) / steadyReconciles;
      AllowedAmiPolicy policy = harness.get("bench");
      int statusBytes =
          Serialization.asJson(policy.getStatus()).getBytes(StandardCharsets.UTF_8).length;

      System.out.printf(
          "| %s | %d | %d | %d | %d | %d | %.1f (%s) | %d | %.0f | %d |%n",
          name,
          regions.size(),
          policy.getStatus().getCompliance().getInstances(),
          convergeCalls,
          convergeWrites,
          convergeMillis,
          (double) steadyCalls / steadyReconciles,
          byAction.entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue() / steadyReconciles)
              .collect(Collectors.joining(", ")),
          SimulatorCalls.successfulWrites(counters, null),
          meanMillis,
          statusBytes);
    }
  }

  /** A deterministic fleet spread evenly over the 17 Regions, a fifth on Marketplace images. */
  private static SimulatorWorld largeWorld(int instances) {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .account(
                SimulatorWorld.DEFAULT_ACCOUNT_ID,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
    Instant now = Instant.now();
    int perRegion = instances / REGIONS.size();
    for (int r = 0; r < REGIONS.size(); r++) {
      String region = REGIONS.get(r);
      world.region(region);
      for (int image = 0; image < 20; image++) {
        String alias = image % 5 == 0 ? "aws-marketplace" : image % 5 == 1 ? null : "amazon";
        world.image(
            WorldImage.builder(
                    "ami-%s-%02d".formatted(region, image),
                    region,
                    "%012d".formatted(100_000_000_000L + image))
                .ownerAlias(alias)
                .name("image-" + image)
                .creationDate(now.minus(Duration.ofDays(image * 10L)))
                .build());
      }
      int count =
          r == REGIONS.size() - 1 ? instances - perRegion * (REGIONS.size() - 1) : perRegion;
      for (int i = 0; i < count; i++) {
        world.instance(
            WorldInstance.builder(
                    "i-%s-%06d".formatted(region, i),
                    region,
                    SimulatorWorld.DEFAULT_ACCOUNT_ID,
                    "ami-%s-%02d".formatted(region, i % 20))
                .instanceType("m6i.large")
                .availabilityZone(region + "a")
                .state(i % 6 == 0 ? InstanceStateName.STOPPED : InstanceStateName.RUNNING)
                .launchTime(now.minus(Duration.ofHours(i % 1000)))
                .build());
      }
    }
    return world.build();
  }
}
