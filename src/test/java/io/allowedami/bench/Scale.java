package io.allowedami.bench;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.app.InProcessKubernetes;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.CallCounters.LoggedCall;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatorCalls;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The packaged operator at scale, in a process of its own, every AWS call taking 50 ms and EC2's
 * throttling on: 100 policies over 100 accounts (AssumeRole) and 17 Regions each; and one account
 * with 100,000 instances across the 17 Regions.
 */
final class Scale {
  static final Duration LATENCY = Convergence.LATENCY;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final String METRIC_RECONCILES = "allowedami_reconcile_duration_seconds_count";
  private static final String METRIC_RECONCILE_SECONDS =
      "allowedami_reconcile_duration_seconds_sum";

  /** What a phase of the operator's life cost it. */
  record Process(
      double peakHeapMiB,
      long hwmKiB,
      long rssKiB,
      double cpuSeconds,
      long threads,
      OperatorProcess.Collections collections) {}

  /**
   * @param convergeMillis from creating the policies to the last one Ready
   * @param firstCalls the calls of the first convergence by action
   * @param statusesWithThrottling policies whose status mentions RequestLimitExceeded
   * @param cpuPerThousandRegionResyncs operator CPU seconds per 1,000 Regions re-read in steady
   *     state
   */
  record Result(
      int policies,
      long instances,
      double convergeMillis,
      Map<String, Long> firstCalls,
      Map<String, Long> minimumFirstCalls,
      Map<String, Long> errors,
      long statusesWithThrottling,
      Map<String, Long> regionErrorsInStatus,
      Map<String, Long> regionErrorsAfterStop,
      int largestStatusBytes,
      Process converging,
      Map<String, Long> steadyCallsPerResync,
      Map<String, Long> minimumSteadyCalls,
      double steadyReconcileMillis,
      double cpuPerThousandRegionResyncs,
      long steadyWrites,
      Process steady,
      CallRates.Summary rates) {}

  private Scale() {}

  /** 100 policies, one per member account, all 17 Regions each. */
  static Result manyAccounts(int accounts, List<String> jvmFlags, Duration window, Path workDir)
      throws Exception {
    SimulatorWorld world = Worlds.manyAccounts(accounts, 3);
    try (Ec2Simulator simulator = Ec2Simulator.start(world, 0);
        InProcessKubernetes kubernetes = InProcessKubernetes.start();
        KubernetesClient client = kubernetes.newClient();
        PolicyWatch watch = new PolicyWatch(client)) {
      simulator.faults().latency(null, LATENCY);
      CallCounters counters = simulator.counters();
      URI api = URI.create(client.getMasterUrl().toString());
      List<LoggedCall> allCalls = new ArrayList<>();

      // Convergence: the operator is running when the policies are created.
      double convergeMillis;
      Map<String, Long> firstCalls;
      Process converging;
      List<String> names;
      try (OperatorProcess operator =
          OperatorProcess.start(
              "scale-accounts", jvmFlags, api, simulator.endpoint(), List.of(), workDir)) {
        operator.managementPort(Duration.ofMinutes(1));
        counters.reset();
        long start = System.nanoTime();
        names = Footprint.createPolicies(client, accounts);
        OptionalLong ready = watch.awaitReady(names, TIMEOUT, operator::requireAlive);
        if (ready.isEmpty()) {
          throw new IllegalStateException(
              watch.readyCount()
                  + " of "
                  + accounts
                  + " policies Ready within "
                  + TIMEOUT
                  + ": "
                  + operator.log());
        }
        convergeMillis = (ready.getAsLong() - start) / 1e6;
        firstCalls = Convergence.byAction(counters);
        allCalls.addAll(counters.log());
        converging = process(operator);
      }
      Map<String, Long> errors = CallRates.errors(counters);

      // Steady state: a new operator process re-reads converged policies every 10 s.
      counters.reset();
      Map<String, Long> steadyCalls;
      double cpuPerThousand;
      long steadyWrites;
      double steadyReconcileMillis;
      Process steady;
      List<AllowedAmiPolicy> steadyPolicies;
      try (OperatorProcess operator =
          OperatorProcess.start(
              "scale-accounts-steady",
              jvmFlags,
              api,
              simulator.endpoint(),
              List.of("--resync-interval", "10s"),
              workDir)) {
        int port = operator.managementPort(Duration.ofMinutes(1));
        long regions = (long) accounts * Worlds.REGIONS.size();
        awaitCalls(operator, counters, "GetAllowedImagesSettings", regions);
        // A new process scans every Region's launch templates once (its scans are kept in memory
        // only); the steady window starts once those first scans are made.
        awaitCalls(operator, counters, "DescribeLaunchTemplateVersions", regions);
        allCalls.addAll(counters.log());
        counters.reset();
        double cpu = operator.cpuSeconds();
        double reconciles = operator.metric(port, METRIC_RECONCILES).orElse(0);
        double seconds = operator.metric(port, METRIC_RECONCILE_SECONDS).orElse(0);
        Thread.sleep(window.toMillis());
        double cpuUsed = operator.cpuSeconds() - cpu;
        double reconcilesDone = operator.metric(port, METRIC_RECONCILES).orElse(0) - reconciles;
        steadyReconcileMillis =
            (operator.metric(port, METRIC_RECONCILE_SECONDS).orElse(0) - seconds)
                * 1000
                / reconcilesDone;
        List<LoggedCall> windowCalls = counters.log();
        allCalls.addAll(windowCalls);
        long regionResyncs =
            windowCalls.stream().filter(c -> c.action().equals("GetAllowedImagesSettings")).count();
        cpuPerThousand = cpuUsed / regionResyncs * 1000;
        steadyCalls =
            perPolicyResync(
                Convergence.byAction(counters), (double) regionResyncs / Worlds.REGIONS.size());
        steadyWrites = SimulatorCalls.successfulWrites(counters, null);
        steady = process(operator);
        steadyPolicies = client.resources(AllowedAmiPolicy.class).list().getItems();
      }
      errors = merge(errors, CallRates.errors(counters));
      List<AllowedAmiPolicy> policies = client.resources(AllowedAmiPolicy.class).list().getItems();
      return new Result(
          accounts,
          world.instances().size(),
          convergeMillis,
          firstCalls,
          minimumFirstCalls(world, accounts, true),
          errors,
          steadyPolicies.stream()
              .filter(p -> statusJson(p).contains("RequestLimitExceeded"))
              .count(),
          regionErrors(steadyPolicies),
          regionErrors(policies),
          steadyPolicies.stream()
              .mapToInt(p -> statusJson(p).getBytes(StandardCharsets.UTF_8).length)
              .max()
              .orElse(0),
          converging,
          steadyCalls,
          minimumSteadyCalls(world, Worlds.memberAccount(0)),
          steadyReconcileMillis,
          cpuPerThousand,
          steadyWrites,
          steady,
          CallRates.of(allCalls));
    }
  }

  /** One policy over an account with {@code instances} instances across the 17 Regions. */
  static Result largeFleet(
      String label, int instances, List<String> jvmFlags, int steadyResyncs, Path workDir)
      throws Exception {
    SimulatorWorld world = Worlds.largeFleet(instances);
    try (Ec2Simulator simulator = Ec2Simulator.start(world, 0);
        InProcessKubernetes kubernetes = InProcessKubernetes.start();
        KubernetesClient client = kubernetes.newClient();
        PolicyWatch watch = new PolicyWatch(client);
        OperatorProcess operator =
            OperatorProcess.start(
                label,
                jvmFlags,
                URI.create(client.getMasterUrl().toString()),
                simulator.endpoint(),
                List.of("--resync-interval", "10s"),
                workDir)) {
      simulator.faults().latency(null, LATENCY);
      CallCounters counters = simulator.counters();
      int port = operator.managementPort(Duration.ofMinutes(1));
      counters.reset();
      long start = System.nanoTime();
      client
          .resource(
              Policies.providers(
                  "fleet",
                  Mode.AUDIT_MODE,
                  Worlds.REGIONS,
                  DocumentedProcedure.PROVIDERS.toArray(String[]::new)))
          .create();
      OptionalLong ready = watch.awaitReady(List.of("fleet"), TIMEOUT, operator::requireAlive);
      if (ready.isEmpty()) {
        throw new IllegalStateException("the fleet policy was not Ready: " + operator.log());
      }
      double convergeMillis = (ready.getAsLong() - start) / 1e6;
      Map<String, Long> firstCalls = Convergence.byAction(counters);
      List<LoggedCall> allCalls = new ArrayList<>(counters.log());
      Process converging = process(operator);
      Map<String, Long> errors = CallRates.errors(counters);

      // Steady state: from the end of one resync to the end of the next few.
      double after =
          awaitReconciles(operator, port, operator.metric(port, METRIC_RECONCILES).orElse(0) + 1);
      counters.reset();
      double cpu = operator.cpuSeconds();
      double seconds = operator.metric(port, METRIC_RECONCILE_SECONDS).orElse(0);
      double done = awaitReconciles(operator, port, after + steadyResyncs) - after;
      double cpuUsed = operator.cpuSeconds() - cpu;
      double steadyMillis =
          (operator.metric(port, METRIC_RECONCILE_SECONDS).orElse(0) - seconds) * 1000 / done;
      allCalls.addAll(counters.log());
      long regionResyncs = counters.count("GetAllowedImagesSettings");
      AllowedAmiPolicy policy = client.resources(AllowedAmiPolicy.class).withName("fleet").get();
      return new Result(
          1,
          instances,
          convergeMillis,
          firstCalls,
          minimumFirstCalls(world, 1, false),
          merge(errors, CallRates.errors(counters)),
          statusJson(policy).contains("RequestLimitExceeded") ? 1 : 0,
          regionErrors(List.of(policy)),
          Map.of(),
          statusJson(policy).getBytes(StandardCharsets.UTF_8).length,
          converging,
          perPolicyResync(
              Convergence.byAction(counters), (double) regionResyncs / Worlds.REGIONS.size()),
          minimumSteadyCalls(world, Worlds.OPERATOR_ACCOUNT),
          steadyMillis,
          cpuUsed / regionResyncs * 1000,
          SimulatorCalls.successfulWrites(counters, null),
          process(operator),
          CallRates.of(allCalls));
    }
  }

  private static Process process(OperatorProcess operator) {
    return new Process(
        operator.peakHeapMiB(),
        operator.statusKiB("VmHWM"),
        operator.statusKiB("VmRSS"),
        operator.cpuSeconds(),
        operator.threads(),
        operator.collections());
  }

  /**
   * The fewest calls a first convergence can make: per account its identity (and the role), per
   * Region a read, the criteria, the state and one scan of the instances.
   */
  static Map<String, Long> minimumFirstCalls(
      SimulatorWorld world, int accounts, boolean assumeRole) {
    long regions = (long) accounts * Worlds.REGIONS.size();
    long pages = 0;
    for (int i = 0; i < accounts; i++) {
      String account = assumeRole ? Worlds.memberAccount(i) : Worlds.OPERATOR_ACCOUNT;
      pages +=
          Worlds.instancesByRegion(world, account).values().stream().mapToLong(Worlds::pages).sum();
    }
    Map<String, Long> minimum = new java.util.TreeMap<>();
    if (assumeRole) {
      minimum.put("AssumeRole", (long) accounts);
    }
    minimum.put("GetCallerIdentity", (long) accounts);
    minimum.put("GetAllowedImagesSettings", regions);
    minimum.put("ReplaceImageCriteriaInAllowedImagesSettings", regions);
    minimum.put("EnableAllowedImagesSettings", regions);
    minimum.put("DescribeInstanceImageMetadata", pages);
    return minimum;
  }

  /** Per resync of a policy: in each Region one settings read and a page per 1,000 instances. */
  static Map<String, Long> minimumSteadyCalls(SimulatorWorld world, String account) {
    Map<String, Long> byRegion = Worlds.instancesByRegion(world, account);
    long pages = byRegion.values().stream().mapToLong(Worlds::pages).sum();
    return new java.util.TreeMap<>(
        Map.of(
            "GetAllowedImagesSettings",
            (long) byRegion.size(),
            "DescribeInstanceImageMetadata",
            pages));
  }

  /** Calls per resync of one policy (17 Regions). */
  private static Map<String, Long> perPolicyResync(Map<String, Long> calls, double resyncs) {
    Map<String, Long> per = new java.util.TreeMap<>();
    calls.forEach((action, count) -> per.put(action, Math.round(count / resyncs)));
    return per;
  }

  private static double awaitReconciles(OperatorProcess operator, int port, double count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      operator.requireAlive();
      double now = operator.metric(port, METRIC_RECONCILES).orElse(0);
      if (now >= count) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("fewer than " + count + " reconciles within " + TIMEOUT);
  }

  private static void awaitCalls(
      OperatorProcess operator, CallCounters counters, String action, long calls)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (counters.count(action) < calls) {
      operator.requireAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "fewer than " + calls + " " + action + " within " + TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  /** Regions whose status shows an error, by code and message (cut short), over the policies. */
  private static Map<String, Long> regionErrors(List<AllowedAmiPolicy> policies) {
    Map<String, Long> codes = new java.util.TreeMap<>();
    for (AllowedAmiPolicy policy : policies) {
      if (policy.getStatus() != null && policy.getStatus().getRegions() != null) {
        policy.getStatus().getRegions().stream()
            .filter(r -> r.getError() != null)
            .forEach(
                r ->
                    codes.merge(
                        r.getError().getCode() + ": " + shorten(r.getError().getMessage()),
                        1L,
                        Long::sum));
      }
    }
    return codes;
  }

  private static String shorten(String message) {
    return message == null || message.length() <= 100 ? message : message.substring(0, 100) + "…";
  }

  private static String statusJson(AllowedAmiPolicy policy) {
    return policy.getStatus() == null ? "" : Serialization.asJson(policy.getStatus());
  }

  private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> merged = new java.util.TreeMap<>(a);
    b.forEach((k, v) -> merged.merge(k, v, Long::sum));
    return merged;
  }
}
