package io.allowedami.bench;

import io.allowedami.bench.Figures.Verdict;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.SettingsState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The benchmark of issue 10: the real operator against the simulator with injected latency. Prints
 * every figure with its goal as the table BENCHMARKS.md holds. Counts are exact; times depend on
 * the machine, so the figures that matter are ratios (to the critical path, to a script).
 *
 * <p>{@code quick} (default, about a minute on 2 cores): simulator overhead, convergence, scripts,
 * and the footprint with the container's flags. {@code full} (about 8–10 minutes): more runs, the
 * CLI over all 17 Regions, scale, and the footprint with other JVM flags. Scenario names ({@code
 * overhead converge scripts scale footprint}) after the mode run only those. Scale and footprint
 * run the packaged jar: {@code mvn -B -q -o package -DskipTests} first, or the {@code bench}
 * profile: {@code mvn -B -q -o -Pbench package -DskipTests -Dbench.args=full}.
 */
public final class ReconcileBenchmark {
  static final Set<String> SCENARIOS =
      new LinkedHashSet<>(List.of("overhead", "converge", "scripts", "scale", "footprint"));
  private static final Path WORK_DIR = Path.of("target", "bench");

  /** Held so that the level set on it is not lost: java.util.logging keeps loggers weakly. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final boolean full;
  private final Figures figures = new Figures();

  private ReconcileBenchmark(boolean full) {
    this.full = full;
  }

  public static void main(String[] args) throws Exception {
    List<String> arguments = new ArrayList<>(Arrays.asList(args));
    boolean full = arguments.remove("full");
    arguments.remove("quick");
    Set<String> selected = new LinkedHashSet<>(arguments);
    if (!SCENARIOS.containsAll(selected)) {
      System.err.println(
          "usage: ReconcileBenchmark [quick|full] [" + String.join(" ", SCENARIOS) + "]");
      System.exit(2);
    }
    if (selected.isEmpty()) {
      selected.addAll(SCENARIOS);
      if (!full) {
        selected.remove("scale");
      }
      if (!full && OperatorProcess.findPackagedJar().isEmpty()) {
        System.out.println(
            "footprint skipped: no packaged jar in target/ (mvn -B -q -o package -DskipTests)");
        selected.remove("footprint");
      }
    }
    quietLogs();
    Files.createDirectories(WORK_DIR);
    System.out.println("Machine: " + Machine.describe() + "; " + Machine.load());
    System.out.println("Mode: " + (full ? "full" : "quick") + "; scenarios: " + selected);
    ReconcileBenchmark bench = new ReconcileBenchmark(full);
    long start = System.nanoTime();
    for (String scenario : selected) {
      System.out.println();
      System.out.println("## " + scenario);
      switch (scenario) {
        case "overhead" -> bench.overhead();
        case "converge" -> bench.convergeAndScripts(false);
        case "scripts" -> bench.convergeAndScripts(true);
        case "scale" -> bench.scale();
        case "footprint" -> bench.footprint();
        default -> throw new IllegalArgumentException(scenario);
      }
    }
    System.out.println();
    System.out.println("## Figures");
    System.out.println();
    System.out.print(bench.figures.table());
    System.out.println();
    System.out.println("Machine: " + Machine.describe() + "; at the end " + Machine.load());
    System.out.printf("Benchmark time: %.0f s%n", (System.nanoTime() - start) / 1e9);
  }

  // -- (0) the simulator's own cost per call ---------------------------------------------------

  private void overhead() {
    SimulatorOverhead.Result result = SimulatorOverhead.measure(full ? 1000 : 300);
    double median = Stats.median(result.bareMillis());
    figures.add(
        "Simulator overhead per call, no injected latency (median, p90; %d sequential SDK calls)"
            .formatted(result.bareMillis().size()),
        "%.1f ms, %.1f ms".formatted(median, Stats.percentile(result.bareMillis(), 90)),
        "near zero (was ~45 ms with Nagle's algorithm on)",
        Verdict.of(median < 5));
    figures.add(
        "Simulator overhead beyond 50 ms injected (median)",
        "%.1f ms".formatted(Stats.median(result.beyondInjectedMillis())));
  }

  // -- (a) convergence, (b) calls by action, (c) the documented procedure as scripts ------------

  private Convergence.Result convergence;

  private void convergeAndScripts(boolean scripts) throws Exception {
    if (convergence == null) {
      convergence = Convergence.run(full ? 5 : 3);
      reportConvergence(convergence);
    }
    if (scripts) {
      reportScripts(convergence);
    }
  }

  private void reportConvergence(Convergence.Result r) {
    long latency = Convergence.LATENCY.toMillis();
    double criticalPath = Convergence.CRITICAL_PATH_ROUND_TRIPS * latency;
    double median = Stats.median(r.warmMillis());
    figures.add(
        "Convergence, 1 policy × 17 Regions, 50 ms per AWS call: create → Ready=True",
        Stats.millis(r.warmMillis())
            + "; first policy after start: %.0f ms".formatted(r.coldMillis()),
        "≤ 1.5 × critical path = %.0f ms".formatted(1.5 * criticalPath),
        Verdict.of(median <= 1.5 * criticalPath));
    figures.add(
        "… as a multiple of the critical path (4 round trips × 50 ms = %.0f ms)"
            .formatted(criticalPath),
        "%.1f×".formatted(median / criticalPath),
        "≤ 1.5×",
        Verdict.of(median / criticalPath <= 1.5));
    figures.add(
        "… round trips one Region waited for, one after another (eu-west-1; its calls)",
        "%d (%d calls)".formatted(r.roundTripsPerRegion(), r.callsPerRegion()),
        "≤ 4",
        Verdict.of(r.roundTripsPerRegion() <= Convergence.CRITICAL_PATH_ROUND_TRIPS));
    System.out.println();
    System.out.println(
        "AWS calls by action (default world, "
            + r.instancesByRegion().values().stream().mapToLong(Long::longValue).sum()
            + " instances of the operator's account over 17 Regions):");
    SimulatorWorld world = SimulatorWorld.defaultWorld();
    Map<String, Long> minimumFirst = Scale.minimumFirstCalls(world, 1, false);
    Map<String, Long> minimumSteady = Scale.minimumSteadyCalls(world, Convergence.ACCOUNT);
    System.out.print(
        callsTable(
            List.of("first convergence", "minimum", "steady-state resync", "minimum"),
            List.of(r.firstCalls(), minimumFirst, r.steadyCalls(), minimumSteady)));
    long first = total(r.firstCalls());
    long firstMin = total(minimumFirst);
    long steady = total(r.steadyCalls());
    long steadyMin = total(minimumSteady);
    figures.add(
        "AWS calls, first convergence (1 policy, 17 Regions, default world)",
        "%d (%s)".formatted(first, describe(r.firstCalls())),
        "minimum %d (%s)".formatted(firstMin, describe(minimumFirst)),
        Verdict.of(first <= firstMin));
    figures.add(
        "AWS calls, one steady-state resync",
        "%d (%s)".formatted(steady, describe(r.steadyCalls())),
        "minimum %d, no write".formatted(steadyMin),
        Verdict.of(steady <= steadyMin));
    figures.add(
        "Steady-state resync duration (17 Regions, 50 ms per call)",
        "%.0f ms".formatted(r.steadyReconcileMillis()));
    figures.add(
        "Status size (17 Regions, default world)", "%.1f KB".formatted(r.statusBytes() / 1000.0));
  }

  private void reportScripts(Convergence.Result r) throws Exception {
    int runs = full ? 5 : 3;
    List<Double> sequential = new ArrayList<>();
    List<Double> parallel = new ArrayList<>();
    Optional<String> cli = CliProcedure.version();
    List<Double> cliPerRegion = new ArrayList<>();
    try (Ec2Simulator simulator = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0)) {
      simulator.faults().latency(null, Convergence.LATENCY);
      URI endpoint = simulator.endpoint();
      var credentials =
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY));
      reset(simulator);
      DocumentedProcedure.run(endpoint, credentials, Worlds.REGIONS, true); // warm-up
      for (int run = 0; run < runs; run++) {
        for (boolean inParallel : List.of(false, true)) {
          reset(simulator);
          long start = System.nanoTime();
          DocumentedProcedure.run(endpoint, credentials, Worlds.REGIONS, inParallel);
          (inParallel ? parallel : sequential).add((System.nanoTime() - start) / 1e6);
        }
      }
      if (cli.isPresent()) {
        reset(simulator);
        List<String> regions = full ? Worlds.REGIONS : Worlds.REGIONS.subList(0, 3);
        cliPerRegion.addAll(
            CliProcedure.run(
                endpoint,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY,
                regions));
      }
    }
    double operator = Stats.median(r.warmMillis());
    double sdkParallel = Stats.median(parallel);
    double sdkSequential = Stats.median(sequential);
    figures.add(
        "SDK script, Regions one after another (4 calls each, in one warm JVM)",
        Stats.millis(sequential));
    figures.add("SDK script, every Region on its own thread", Stats.millis(parallel));
    figures.add(
        "Operator ÷ SDK script in parallel",
        "%.2f".formatted(operator / sdkParallel),
        "< 1 (faster than the script)",
        Verdict.of(operator < sdkParallel));
    figures.add(
        "Operator ÷ SDK script Region by Region",
        "%.2f".formatted(operator / sdkSequential),
        "< 1",
        Verdict.of(operator < sdkSequential));
    if (cli.isPresent()) {
      double perRegion = Stats.median(cliPerRegion);
      double all =
          cliPerRegion.size() == Worlds.REGIONS.size()
              ? cliPerRegion.stream().mapToDouble(Double::doubleValue).sum()
              : perRegion * Worlds.REGIONS.size();
      figures.add(
          "AWS CLI script, Region by Region (%s)".formatted(cli.get().split(" ")[0]),
          cliPerRegion.size() == Worlds.REGIONS.size()
              ? "%.1f s for 17 Regions (%.0f ms a Region)".formatted(all / 1000, perRegion)
              : "%.1f s for 17 Regions, extrapolated from %d (%.0f ms a Region)"
                  .formatted(all / 1000, cliPerRegion.size(), perRegion));
      figures.add(
          "Operator ÷ AWS CLI script",
          "%.3f".formatted(operator / all),
          "< 1",
          Verdict.of(operator < all));
    } else {
      figures.add("AWS CLI script", "not measured: no `aws` on the PATH");
    }
  }

  private static void reset(Ec2Simulator simulator) {
    for (String region : Worlds.REGIONS) {
      simulator
          .outOfBand()
          .setSettings(Worlds.OPERATOR_ACCOUNT, region, SettingsState.DISABLED, List.of());
    }
  }

  // -- (d) scale ------------------------------------------------------------------------------

  private void scale() throws Exception {
    List<String> flags = containerFlags();
    Scale.Result accounts = Scale.manyAccounts(100, flags, Duration.ofSeconds(20), WORK_DIR);
    reportScale("100 policies × 100 accounts × 17 Regions", accounts);
    Scale.Result fleet = Scale.largeFleet("scale-fleet", 100_000, flags, 2, WORK_DIR);
    reportScale("100,000 instances, 1 account × 17 Regions", fleet);
    // The container's heap is what the scan is short of: the same with a larger one.
    Scale.Result largerHeap =
        Scale.largeFleet("scale-fleet-larger-heap", 100_000, withFlags("-Xmx256m"), 2, WORK_DIR);
    reportScale("100,000 instances, heap 256 MiB (-Xmx256m)", largerHeap);
  }

  private void reportScale(String name, Scale.Result r) {
    System.out.println();
    System.out.println(name + ": AWS calls by action");
    System.out.print(
        callsTable(
            List.of("first convergence", "minimum", "per steady resync", "minimum"),
            List.of(
                r.firstCalls(),
                r.minimumFirstCalls(),
                r.steadyCallsPerResync(),
                r.minimumSteadyCalls())));
    figures.add(
        name + ": time to converge (create → all Ready, 50 ms per call)",
        "%.1f s".formatted(r.convergeMillis() / 1000));
    figures.add(
        name + ": time to scan (one steady-state reconcile of a policy)",
        "%.0f ms".formatted(r.steadyReconcileMillis()));
    figures.add(
        name + ": AWS calls, first convergence",
        "%d".formatted(total(r.firstCalls())),
        "minimum %d".formatted(total(r.minimumFirstCalls())),
        Verdict.of(total(r.firstCalls()) <= total(r.minimumFirstCalls())));
    figures.add(
        name + ": AWS calls per resync of a policy (17 Regions)",
        describe(r.steadyCallsPerResync()),
        "minimum " + describe(r.minimumSteadyCalls()) + ", no write",
        Verdict.of(
            r.steadyWrites() == 0
                && total(r.steadyCallsPerResync()) <= total(r.minimumSteadyCalls())));
    for (var phase :
        List.of(
            Map.entry("while converging", r.converging()),
            Map.entry("in steady state", r.steady()))) {
      Scale.Process p = phase.getValue();
      figures.add(
          name + ": peak heap / peak RSS / threads " + phase.getKey(),
          "%.0f MiB / %.0f MiB / %d; %s"
              .formatted(p.peakHeapMiB(), p.hwmKiB() / 1024.0, p.threads(), p.collections()),
          "RSS < 512 MiB (the Deployment's memory limit)",
          Verdict.of(p.hwmKiB() < 512 * 1024));
    }
    figures.add(name + ": largest status", "%.1f KB".formatted(r.largestStatusBytes() / 1000.0));
    figures.add(
        name + ": CPU seconds per 1,000 Region resyncs",
        "%.2f s".formatted(r.cpuPerThousandRegionResyncs()));
    figures.add(
        name + ": statuses with RequestLimitExceeded (EC2 throttling on)",
        Long.toString(r.statusesWithThrottling()),
        "0",
        Verdict.of(r.statusesWithThrottling() == 0));
    figures.add(
        name + ": call rate per account and Region",
        r.rates().describe(),
        "under EC2's buckets (reads 100 burst + 20/s, writes 50 + 5/s per action)",
        Verdict.of(r.rates().lowestBucket() >= 0 && r.rates().throttled() == 0));
    figures.add(
        name + ": Regions with an error in status, steady state",
        r.regionErrorsInStatus().isEmpty() ? "none" : r.regionErrorsInStatus().toString());
    if (!r.regionErrorsAfterStop().equals(r.regionErrorsInStatus())) {
      figures.add(
          name + ": Regions with an error in status once the operator was stopped (SIGTERM)",
          r.regionErrorsAfterStop().isEmpty() ? "none" : r.regionErrorsAfterStop().toString());
    }
    Map<String, Long> errors = new java.util.TreeMap<>(r.errors());
    errors.remove("DryRunOperation");
    figures.add(
        name + ": error answers from the simulator", errors.isEmpty() ? "none" : errors.toString());
  }

  // -- (e) footprint --------------------------------------------------------------------------

  private void footprint() throws Exception {
    Duration idle = Duration.ofSeconds(5);
    List<String> container = containerFlags();
    List<Footprint.Variant> variants = new ArrayList<>();
    variants.add(new Footprint.Variant("the container's", container));
    List<String> withoutStartupFlags =
        container.stream()
            .filter(f -> !f.startsWith("-XX:SharedArchiveFile=") && !f.startsWith("-XX:Tiered"))
            .toList();
    variants.add(
        new Footprint.Variant(
            "without AppCDS and C1 only (the image before)", withoutStartupFlags));
    if (full) {
      List<String> withoutCds =
          container.stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).toList();
      variants.add(new Footprint.Variant("without AppCDS", withoutCds));
      List<String> c2 = container.stream().filter(f -> !f.startsWith("-XX:Tiered")).toList();
      variants.add(new Footprint.Variant("C2 as well (tiered compilation)", c2));
      List<String> g1 = new ArrayList<>(container);
      g1.set(g1.indexOf("-XX:+UseSerialGC"), "-XX:+UseG1GC");
      variants.add(new Footprint.Variant("G1 instead of Serial", g1));
      variants.add(new Footprint.Variant("smaller thread stacks", withFlags("-Xss256k")));
      variants.add(
          new Footprint.Variant(
              "smaller heap and metaspace", withFlags("-Xmx128m", "-XX:MaxMetaspaceSize=64m")));
    }
    System.out.println(
        "| JVM flags | operator started | first reconcile | all 10 Ready | idle RSS | peak RSS |"
            + " peak heap | CPU s | threads |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Footprint.Variant variant : variants) {
      List<Double> started = new ArrayList<>();
      List<Double> first = new ArrayList<>();
      List<Double> ready = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      Footprint.Run last = null;
      int runs = !full ? 1 : variant == variants.get(0) ? 3 : 2;
      for (int run = 0; run < runs; run++) {
        last = Footprint.run(variant, idle, WORK_DIR);
        started.add(last.operatorStartedMillis());
        first.add(last.firstReconcileMillis());
        ready.add(last.allReadyMillis());
        rss.add(last.idleRssKiB() / 1024.0);
      }
      System.out.printf(
          "| %s `%s` | %s | %s | %s | %.0f MiB | %.0f MiB | %.0f MiB | %.1f | %d |%n",
          variant.name(),
          String.join(" ", variant.flags()),
          Stats.millis(started),
          Stats.millis(first),
          Stats.millis(ready),
          Stats.median(rss),
          last.hwmKiB() / 1024.0,
          last.peakHeapMiB(),
          last.cpuSeconds(),
          last.threads());
      if (variant == variants.get(0)) {
        double idleRss = Stats.median(rss);
        figures.add(
            "Footprint: idle RSS, 10 policies (10 accounts × 17 Regions), the container's flags",
            "%.0f MiB".formatted(idleRss),
            "≤ 128 MiB",
            Verdict.of(idleRss <= 128));
        double start = Stats.median(first);
        figures.add(
            "Footprint: process start → first reconcile finished",
            Stats.millis(first),
            "≤ 2 s",
            Verdict.of(start <= 2000));
        figures.add(
            "Footprint: process start → operator started (informers synced)",
            Stats.millis(started));
        figures.add("Footprint: process start → all 10 policies Ready", Stats.millis(ready));
      }
    }
    if (full) {
      System.out.println();
      System.out.println("Native memory of the operator, idle with 10 policies, container flags:");
      System.out.println(Footprint.run(variants.get(0), idle, WORK_DIR, true).nativeMemory());
    }
  }

  /**
   * The Deployment's JAVA_TOOL_OPTIONS and the Dockerfile's ENTRYPOINT flags, with the AppCDS
   * archive built as the Dockerfile builds it.
   */
  private static List<String> containerFlags() throws Exception {
    return ContainerImage.jvmFlags(ContainerImage.cdsArchive(WORK_DIR));
  }

  private static List<String> withFlags(String... extra) throws Exception {
    List<String> flags = containerFlags();
    flags.addAll(List.of(extra));
    return flags;
  }

  // -- helpers ---------------------------------------------------------------------------------

  private static String callsTable(List<String> headers, List<Map<String, Long>> columns) {
    Set<String> actions = new TreeSet<>();
    columns.forEach(c -> actions.addAll(c.keySet()));
    StringBuilder out = new StringBuilder("| action | " + String.join(" | ", headers) + " |\n|---");
    headers.forEach(h -> out.append("|---"));
    out.append("|\n");
    for (String action : actions) {
      out.append("| ").append(action);
      for (Map<String, Long> column : columns) {
        out.append(" | ").append(column.getOrDefault(action, 0L));
      }
      out.append(" |\n");
    }
    out.append("| **total**");
    for (Map<String, Long> column : columns) {
      out.append(" | **").append(total(column)).append("**");
    }
    return out.append(" |\n").toString();
  }

  private static long total(Map<String, Long> calls) {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String describe(Map<String, Long> calls) {
    return calls.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey())
        .reduce((a, b) -> a + ", " + b)
        .orElse("none");
  }

  /** The operator logs every change at INFO; the benchmark prints its own lines only. */
  private static void quietLogs() {
    Configurator.setLevel("io.allowedami", Level.WARN);
    Configurator.setLevel("io.javaoperatorsdk", Level.ERROR);
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
  }
}
