package io.allowedami.bench;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.app.InProcessKubernetes;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.testing.Policies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The packaged jar with the container's JVM flags, managing 10 policies (10 accounts reached by
 * AssumeRole, 17 Regions each): time from process start to the first reconcile finished and to all
 * 10 Ready, and resident memory once idle; then the same with other JVM flags.
 */
final class Footprint {
  static final int POLICIES = 10;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** A set of JVM flags to compare. */
  record Variant(String name, List<String> flags) {}

  /**
   * One run: times from process start; memory once idle.
   *
   * @param operatorStartedMillis until the operator logged that it started (informers synced)
   * @param idleRssKiB VmRSS after the policies converged and the operator sat idle
   * @param hwmKiB VmHWM (the most resident memory the process ever had)
   */
  record Run(
      double operatorStartedMillis,
      double firstReconcileMillis,
      double allReadyMillis,
      long idleRssKiB,
      long hwmKiB,
      double peakHeapMiB,
      double cpuSeconds,
      long threads) {}

  private Footprint() {}

  static Run run(Variant variant, Duration idle, Path workDir) throws Exception {
    return run(variant, idle, workDir, false).run();
  }

  /** A run, and what {@code jcmd VM.native_memory summary} said when {@code nmt} is set. */
  record Measured(Run run, String nativeMemory) {}

  static Measured run(Variant variant, Duration idle, Path workDir, boolean nmt) throws Exception {
    List<String> flags = new ArrayList<>(variant.flags());
    if (nmt) {
      flags.add("-XX:NativeMemoryTracking=summary");
    }
    try (Ec2Simulator simulator = Ec2Simulator.start(Worlds.manyAccounts(POLICIES, 3), 0);
        InProcessKubernetes kubernetes = InProcessKubernetes.start();
        KubernetesClient client = kubernetes.newClient();
        PolicyWatch watch = new PolicyWatch(client)) {
      List<String> names = createPolicies(client, POLICIES);
      try (OperatorProcess operator =
          OperatorProcess.start(
              "footprint-" + variant.name().replaceAll("\\W+", "-"),
              flags,
              URI.create(client.getMasterUrl().toString()),
              simulator.endpoint(),
              List.of(),
              workDir)) {
        OptionalLong first = watch.awaitFirstStatus(TIMEOUT, operator::requireAlive);
        OptionalLong ready = watch.awaitReady(names, TIMEOUT, operator::requireAlive);
        if (first.isEmpty() || ready.isEmpty()) {
          throw new IllegalStateException(
              "the operator did not converge " + POLICIES + " policies: " + operator.log());
        }
        Thread.sleep(idle.toMillis());
        long rss = operator.statusKiB("VmRSS");
        String nativeMemory =
            nmt
                ? operator.jcmd("VM.native_memory", "summary", "scale=MB")
                    + "\nThreads by name:\n"
                    + threadsByName(operator.jcmd("Thread.print"))
                : "";
        return new Measured(
            new Run(
                operator.millisUntilLogged("operator started").orElse(Double.NaN),
                (first.getAsLong() - operator.startNanos()) / 1e6,
                (ready.getAsLong() - operator.startNanos()) / 1e6,
                rss,
                operator.statusKiB("VmHWM"),
                operator.peakHeapMiB(),
                operator.cpuSeconds(),
                operator.threads()),
            nativeMemory);
      }
    }
  }

  /** Thread names with their numbers stripped, most frequent first. */
  static String threadsByName(String threadDump) {
    Map<String, Long> counts =
        threadDump
            .lines()
            .filter(l -> l.startsWith("\""))
            .map(l -> l.substring(1, l.indexOf('"', 1)).replaceAll("\\d+", "N"))
            .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> "  %5d  %s".formatted(e.getValue(), e.getKey()))
        .collect(Collectors.joining("\n"));
  }

  /** Policies for the first {@code count} member accounts, every Region, audit-mode. */
  static List<String> createPolicies(KubernetesClient client, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              AllowedAmiPolicy policy =
                  Policies.providers(
                      "account-%03d".formatted(i),
                      Mode.AUDIT_MODE,
                      Worlds.REGIONS,
                      DocumentedProcedure.PROVIDERS.toArray(String[]::new));
              AssumeRoleSpec role = new AssumeRoleSpec();
              role.setRoleArn(Worlds.memberRoleArn(i));
              role.setExternalId(Worlds.MEMBER_EXTERNAL_ID);
              policy.getSpec().setAssumeRole(role);
              client.resource(policy).create();
              return policy.getMetadata().getName();
            })
        .toList();
  }
}
