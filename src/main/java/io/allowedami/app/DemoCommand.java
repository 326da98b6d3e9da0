package io.allowedami.app;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.reconcile.Conditions;
import io.allowedami.reconcile.StatusBuilder;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Shows the operator at work with no cluster and no AWS account: an in-process Kubernetes API, the
 * EC2 simulator, and the production operator between them, running AWS's documented rollout.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the operator against an in-process Kubernetes API and the EC2 simulator, apply a"
            + " policy (AWS's documented rollout by default) and show it converge Region by"
            + " Region.")
public final class DemoCommand implements Callable<Integer> {
  static final List<String> DEMO_REGIONS =
      List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2");

  @Option(
      names = "--policy",
      description = "A policy YAML file to apply instead of the built-in rollout.")
  Path policyFile;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      description = "How long to wait for each step (default ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  /** picocli's standard output, which tests can replace. */
  private PrintWriter out;

  /**
   * The mock server logs every request through java.util.logging; the demo shows only its own
   * lines.
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Duration wait;
    try {
      wait = io.allowedami.reconcile.SpecMapper.parseDuration(timeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--timeout '" + timeout + "' is not a duration such as 30s or 2m");
    }
    if (policyFile != null && !Files.isReadable(policyFile)) {
      throw new ParameterException(
          spec.commandLine(), "--policy " + policyFile + " is not a readable file");
    }
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    if (!inProcessKubernetesAvailable()) {
      spec.commandLine()
          .getErr()
          .println(
              "error: this build leaves out the in-process Kubernetes API the demo needs; run the"
                  + " demo from the source tree: mvn -q process-classes exec:java"
                  + " -Dexec.args=demo");
      return 2;
    }
    InProcessKubernetes kubernetes = InProcessKubernetes.start();
    Ec2Simulator simulator = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    OperatorConfig config = OperatorConfig.defaults();
    config =
        new OperatorConfig(
            config.aws().withEndpointOverride(simulator.endpoint()),
            new io.allowedami.reconcile.ReconcileSettings(
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(10)),
            config.regionConcurrency(),
            0);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (KubernetesClient client = kubernetes.newClient();
        SdkGatewayFactory gateways =
            new SdkGatewayFactory(
                config.aws(),
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                        SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)),
                metrics);
        OperatorRuntime runtime =
            OperatorRuntime.start(client, config, gateways, metrics, Clock.systemUTC())) {
      out.println(
          "EC2 simulator:          "
              + simulator.endpoint()
              + " (account "
              + SimulatorWorld.DEFAULT_ACCOUNT_ID
              + ")");
      out.println(
          "Kubernetes API:         in-process, CRD " + AllowedAmiPolicy.CRD_NAME + " installed");
      out.println();

      boolean converged;
      String name;
      if (policyFile != null) {
        AllowedAmiPolicy policy =
            client
                .getKubernetesSerialization()
                .unmarshal(Files.readString(policyFile), AllowedAmiPolicy.class);
        name = policy.getMetadata().getName();
        out.println("Applying " + policyFile + " ...");
        client.resource(policy).create();
        converged = follow(client, name, wait);
      } else {
        name = "documented-rollout";
        out.println(
            "Step 1 of AWS's rollout: audit-mode with providers amazon, aws-marketplace,"
                + " 123456789012");
        client.resource(rolloutPolicy(name)).create();
        converged = follow(client, name, wait);
        if (converged) {
          out.println();
          out.println(
              "Step 2: switch to enabled (criteria are already in place, so only the state"
                  + " changes)");
          AllowedAmiPolicy current = client.resources(AllowedAmiPolicy.class).withName(name).get();
          current.getSpec().setMode(Mode.ENABLED);
          client.resource(current).update();
          converged = follow(client, name, wait);
        }
      }
      out.println();
      out.println("kubectl get allowedamipolicy " + name + " -o yaml  (status):");
      AllowedAmiPolicyStatus status =
          client.resources(AllowedAmiPolicy.class).withName(name).get().getStatus();
      out.println(client.getKubernetesSerialization().asYaml(status).replaceFirst("^---\\n", ""));
      return converged ? 0 : 1;
    } finally {
      simulator.close();
      kubernetes.close();
    }
  }

  /**
   * Loading InProcessKubernetes itself needs the mock server's classes, so look for them by name.
   */
  static boolean inProcessKubernetesAvailable() {
    try {
      Class.forName(
          "io.fabric8.kubernetes.client.server.mock.KubernetesMockServer",
          false,
          DemoCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static AllowedAmiPolicy rolloutPolicy(String name) {
    AllowedAmiPolicy policy = new AllowedAmiPolicy();
    policy.getMetadata().setName(name);
    var spec = new io.allowedami.api.v1alpha1.AllowedAmiPolicySpec();
    spec.setMode(Mode.AUDIT_MODE);
    spec.setRegions(DEMO_REGIONS);
    spec.setProviders(List.of("amazon", "aws-marketplace", "123456789012"));
    policy.setSpec(spec);
    return policy;
  }

  /**
   * Prints each Region as it reaches the spec, then the Ready condition; true once Ready or held by
   * the safe-rollout gate (both settled as the policy asks), false when stalled or on timeout.
   */
  private boolean follow(KubernetesClient client, String name, Duration wait)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    Set<String> reported = new HashSet<>();
    Instant start = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      AllowedAmiPolicy policy = client.resources(AllowedAmiPolicy.class).withName(name).get();
      AllowedAmiPolicyStatus status = policy.getStatus();
      boolean current =
          status != null
              && policy.getMetadata().getGeneration().equals(status.getObservedGeneration());
      if (current) {
        for (RegionStatus region : status.getRegions()) {
          String line =
              "  %-15s %-11s %s"
                  .formatted(
                      region.getRegion(),
                      region.getState(),
                      region.getError() != null
                          ? region.getError().getErrorClass()
                              + " error "
                              + region.getError().getCode()
                              + ": "
                              + region.getError().getMessage()
                          : Boolean.TRUE.equals(region.getInSync())
                              ? "in sync (" + describe(region) + ")"
                              : region.getRolloutGate() != null
                                  ? "held by the safe-rollout gate (criteria in place)"
                                  : "converging");
          if (reported.add(line)) {
            out.println(line);
          }
        }
        PolicyCondition ready = Conditions.find(status.getConditions(), Conditions.READY);
        PolicyCondition stalled = Conditions.find(status.getConditions(), Conditions.STALLED);
        if (ready != null && Conditions.TRUE.equals(ready.getStatus())) {
          out.printf(
              "  Ready=True (%s) after %d ms%n",
              ready.getMessage(), Duration.between(start, Instant.now()).toMillis());
          return true;
        }
        if (ready != null && StatusBuilder.REASON_ROLLOUT_HELD.equals(ready.getReason())) {
          // Settled as the policy asks: the gate is looked at again at every resync.
          out.println("  Ready=False (RolloutHeld): " + ready.getMessage());
          out.println(
              "  The safe-rollout gate holds the switch to enabled, as the policy asks; the"
                  + " operator looks again at every resync.");
          return true;
        }
        if (stalled != null && Conditions.TRUE.equals(stalled.getStatus())) {
          out.println("  Stalled=True (" + stalled.getReason() + "): " + stalled.getMessage());
          return false;
        }
      }
      Thread.sleep(100);
    }
    out.println("  timed out after " + wait.toSeconds() + "s");
    return false;
  }

  private static String describe(RegionStatus region) {
    return region.getLastChange() == null ? "no change needed" : region.getLastChange();
  }
}
