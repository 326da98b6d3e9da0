package io.allowedami.bench;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.app.OperatorConfig;
import io.allowedami.aws.AwsClientSettings;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One policy over the 17 Regions of the default world, every AWS call taking 50 ms: the time from
 * creating it to Ready=True, and the AWS calls, by action, of that first convergence and of one
 * steady-state resync. The operator runs in this process exactly as production starts it.
 */
final class Convergence {
  static final Duration LATENCY = Duration.ofMillis(50);

  /** Read the settings, write the criteria, write the state, scan the instances. */
  static final int CRITICAL_PATH_ROUND_TRIPS = 4;

  static final List<String> REGIONS = Worlds.REGIONS;
  static final String ACCOUNT = Worlds.OPERATOR_ACCOUNT;
  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * @param coldMillis the first policy after the operator started (SDK clients built, JIT cold)
   * @param warmMillis later policies, after the settings were reset to disabled
   * @param firstCalls the cold run's calls by action (the account's first convergence)
   * @param callsPerRegion the calls one Region (eu-west-1) received in that convergence
   * @param roundTripsPerRegion how many calls eu-west-1 waited for one after another (last warm
   *     run)
   * @param steadyCalls the calls of one resync, by action
   */
  record Result(
      double coldMillis,
      List<Double> warmMillis,
      Map<String, Long> firstCalls,
      long callsPerRegion,
      int roundTripsPerRegion,
      Map<String, Long> steadyCalls,
      double steadyReconcileMillis,
      int statusBytes,
      Map<String, Long> instancesByRegion) {}

  /** The calls of the last convergence timed, up to Ready=True. */
  private static List<CallCounters.LoggedCall> lastConvergence = List.of();

  private Convergence() {}

  static Result run(int warmRuns) throws Exception {
    SimulatorWorld world = SimulatorWorld.defaultWorld();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (Ec2Simulator simulator = Ec2Simulator.start(world, 0);
        SdkGatewayFactory gateways =
            new SdkGatewayFactory(
                AwsClientSettings.defaults().withEndpointOverride(simulator.endpoint()),
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                        SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)),
                metrics);
        OperatorHarness harness = OperatorHarness.start(gateways, productionConfig(), metrics);
        PolicyWatch watch = new PolicyWatch(harness.client())) {
      simulator.faults().latency(null, LATENCY);
      CallCounters counters = simulator.counters();

      double cold = converge(harness, watch, simulator, "converge-cold");
      Map<String, Long> firstCalls = byAction(counters);
      long callsPerRegion =
          counters.log().stream().filter(c -> c.region().equals("eu-west-1")).count();
      harness.client().resource(harness.get("converge-cold")).delete();

      List<Double> warm = new ArrayList<>();
      String last = null;
      for (int run = 1; run <= warmRuns; run++) {
        if (last != null) {
          harness.client().resource(harness.get(last)).delete();
        }
        last = "converge-" + run;
        warm.add(converge(harness, watch, simulator, last));
      }
      // Counted on a warm run, up to Ready=True: the cold run's answers are spread by the JIT.
      int roundTrips = roundTrips(lastConvergence, "eu-west-1");

      // One steady-state resync: counted from the end of one reconcile to the end of the next.
      Timer reconciles = metrics.get("allowedami.reconcile.duration").timer();
      awaitNextReconcile(reconciles);
      counters.reset();
      long before = reconciles.count();
      double totalBefore = reconciles.totalTime(TimeUnit.MILLISECONDS);
      awaitNextReconcile(reconciles);
      Map<String, Long> steady = byAction(counters);
      double steadyMillis =
          (reconciles.totalTime(TimeUnit.MILLISECONDS) - totalBefore)
              / (reconciles.count() - before);
      AllowedAmiPolicy policy = harness.get(last);
      int statusBytes =
          Serialization.asJson(policy.getStatus()).getBytes(StandardCharsets.UTF_8).length;
      return new Result(
          cold,
          warm,
          firstCalls,
          callsPerRegion,
          roundTrips,
          steady,
          steadyMillis,
          statusBytes,
          Worlds.instancesByRegion(world, ACCOUNT));
    }
  }

  /**
   * The tests' configuration (short resync and backoff) with production's Region workers: the
   * tests' 8 workers would take the 17 Regions in three waves.
   */
  private static OperatorConfig productionConfig() {
    OperatorConfig tests = OperatorHarness.config(RESYNC);
    return new OperatorConfig(
        tests.aws(), tests.reconcile(), AwsClientSettings.DEFAULT_REGION_CONCURRENCY, 0);
  }

  /**
   * The round trips one Region waited for one after another: its calls grouped by when they were
   * answered, a new group whenever an answer came more than half the injected latency after the
   * previous one (calls sent together are answered together).
   */
  static int roundTrips(List<CallCounters.LoggedCall> calls, String region) {
    long gap = LATENCY.toNanos() / 2;
    int trips = 0;
    long last = Long.MIN_VALUE;
    for (CallCounters.LoggedCall call :
        calls.stream().filter(c -> c.region().equals(region)).toList()) {
      if (trips == 0 || call.nanoTime() - last > gap) {
        trips++;
      }
      last = call.nanoTime();
    }
    return trips;
  }

  /** Resets every Region to disabled, creates the policy, and times it to Ready=True. */
  private static double converge(
      OperatorHarness harness, PolicyWatch watch, Ec2Simulator simulator, String name)
      throws InterruptedException {
    for (String region : REGIONS) {
      simulator.outOfBand().setSettings(ACCOUNT, region, SettingsState.DISABLED, List.of());
    }
    simulator.counters().reset();
    AllowedAmiPolicy policy =
        Policies.providers(name, Mode.AUDIT_MODE, REGIONS, "amazon", "aws-marketplace");
    long start = System.nanoTime();
    harness.client().resource(policy).create();
    OptionalLong ready = watch.awaitReady(List.of(name), TIMEOUT);
    if (ready.isEmpty()) {
      throw new IllegalStateException(name + " was not Ready within " + TIMEOUT);
    }
    lastConvergence =
        simulator.counters().log().stream().filter(c -> c.nanoTime() <= ready.getAsLong()).toList();
    if (System.getenv("BENCH_TRACE") != null) {
      for (var c : simulator.counters().log()) {
        System.out.printf(
            "TRACE %s %7.1f %s %s%s%n",
            name, (c.nanoTime() - start) / 1e6, c.region(), c.action(), c.dryRun() ? " dry" : "");
      }
      System.out.printf("TRACE %s ready %7.1f%n", name, (ready.getAsLong() - start) / 1e6);
    }
    return (ready.getAsLong() - start) / 1e6;
  }

  private static void awaitNextReconcile(Timer reconciles) throws InterruptedException {
    long count = reconciles.count();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (reconciles.count() == count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no resync within " + TIMEOUT);
      }
      Thread.sleep(5);
    }
  }

  /** Calls by action; DryRun checks apart, as "Action (DryRun)". */
  static Map<String, Long> byAction(CallCounters counters) {
    return counters.log().stream()
        .collect(
            Collectors.groupingBy(
                c -> c.dryRun() ? c.action() + " (DryRun)" : c.action(),
                TreeMap::new,
                Collectors.counting()));
  }
}
