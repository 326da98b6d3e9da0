package io.allowedami.app;

import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.aws.AwsClientSettings;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.reconcile.ReconcileSettings;
import io.allowedami.reconcile.SpecMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Runs the operator in a cluster: the Kubernetes API from kubeconfig or the pod's service account.
 */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = "Run the operator against the current Kubernetes cluster and AWS account.")
public final class OperatorCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(OperatorCommand.class);

  @Spec CommandSpec spec;

  /** The AWS options shared with {@code plan}: same names, environment variables and checks. */
  @Mixin AwsOptions aws = new AwsOptions();

  @Option(
      names = "--resync-interval",
      defaultValue = "${env:ALLOWED_AMI_RESYNC_INTERVAL:-5m}",
      description =
          "How often every policy is re-read from AWS to correct drift, unless its spec sets one"
              + " (default ${DEFAULT-VALUE}).")
  String resyncInterval;

  @Option(
      names = "--region-concurrency",
      defaultValue = "${env:ALLOWED_AMI_REGION_CONCURRENCY:-32}",
      description =
          "Regions converged in parallel, across all policies, 1 to 256 (default"
              + " ${DEFAULT-VALUE}); the AWS connection pool is sized from it.")
  int regionConcurrency;

  @Option(
      names = "--aws-client-idle-timeout",
      defaultValue = "${env:ALLOWED_AMI_AWS_CLIENT_IDLE_TIMEOUT}",
      description =
          "Close the AWS clients of an account or assumed role that no call has used for this"
              + " long; they are built again when needed (default: twice --resync-interval). Env:"
              + " ALLOWED_AMI_AWS_CLIENT_IDLE_TIMEOUT.")
  String awsClientIdleTimeout;

  @Option(
      names = "--management-port",
      defaultValue = "${env:ALLOWED_AMI_MANAGEMENT_PORT:-8080}",
      description =
          "Port for /livez, /startupz, /readyz and /metrics (default ${DEFAULT-VALUE}); it opens"
              + " before the operator starts.")
  int managementPort;

  @Option(
      names = "--leader-election",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "${env:ALLOWED_AMI_LEADER_ELECTION:-true}",
      description =
          "Elect one leader among the replicas through a Lease; the others wait and take over"
              + " when it stops (default ${DEFAULT-VALUE}). Env: ALLOWED_AMI_LEADER_ELECTION.")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue =
          "${env:ALLOWED_AMI_LEASE_NAME:-" + LeaderElectionSettings.DEFAULT_LEASE_NAME + "}",
      description =
          "Name of the Lease (default ${DEFAULT-VALUE}); each shard (--policy-selector) needs its"
              + " own. Env: ALLOWED_AMI_LEASE_NAME.")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:ALLOWED_AMI_LEASE_NAMESPACE}",
      description =
          "Namespace of the Lease (default: POD_NAMESPACE, else the service account's namespace)."
              + " Env: ALLOWED_AMI_LEASE_NAMESPACE.")
  String leaseNamespace;

  @Option(
      names = "--policy-selector",
      defaultValue = "${env:ALLOWED_AMI_POLICY_SELECTOR}",
      description =
          "Reconcile only the policies whose labels match this Kubernetes label selector, e.g."
              + " 'shard=a' or 'tier in (gold,silver)' (default: every policy). Env:"
              + " ALLOWED_AMI_POLICY_SELECTOR.")
  String policySelector;

  /** The environment, for the defaults that come from the pod (POD_NAME, POD_NAMESPACE). */
  Function<String, String> environment = System::getenv;

  /** Validates the options into the immutable configuration; throws with a clear message. */
  OperatorConfig config() {
    if (regionConcurrency < 1 || regionConcurrency > OperatorConfig.MAX_REGION_CONCURRENCY) {
      throw new IllegalArgumentException(
          "--region-concurrency "
              + regionConcurrency
              + " is out of range: it must be between 1 and "
              + OperatorConfig.MAX_REGION_CONCURRENCY);
    }
    Duration resync = duration("--resync-interval", resyncInterval);
    Duration idleClientTimeout =
        awsClientIdleTimeout == null || awsClientIdleTimeout.isBlank()
            ? resync.multipliedBy(2)
            : duration("--aws-client-idle-timeout", awsClientIdleTimeout);
    if (idleClientTimeout.isZero()) {
      throw new IllegalArgumentException("--aws-client-idle-timeout must be longer than 0s");
    }
    AwsClientSettings awsSettings =
        aws.settings()
            .withRegionConcurrency(regionConcurrency)
            .withIdleClientTimeout(idleClientTimeout);
    PolicySelector selector;
    try {
      selector = PolicySelector.parse(policySelector);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--policy-selector: " + e.getMessage(), e);
    }
    return new OperatorConfig(
        awsSettings,
        new ReconcileSettings(resync, Duration.ofSeconds(5), Duration.ofSeconds(10)),
        regionConcurrency,
        managementPort,
        leaderElection(),
        selector);
  }

  private LeaderElectionSettings leaderElection() {
    if (!leaderElection) {
      return LeaderElectionSettings.disabled();
    }
    Optional<String> namespace =
        Optional.ofNullable(leaseNamespace)
            .or(() -> Optional.ofNullable(environment.apply("POD_NAMESPACE")))
            .filter(ns -> !ns.isBlank());
    try {
      return LeaderElectionSettings.lease(leaseName, namespace, identity());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--leader-election: " + e.getMessage(), e);
    }
  }

  /**
   * Unique per process: the pod's name (POD_NAME, else HOSTNAME, which Kubernetes sets to it);
   * outside a pod, the host name and a random suffix, so that two processes on one machine differ.
   */
  private String identity() {
    for (String variable : List.of("POD_NAME", "HOSTNAME")) {
      String value = environment.apply(variable);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "operator";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Duration duration(String option, String text) {
    try {
      return SpecMapper.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " '" + text + "' is not a duration such as 30s, 5m or 1h");
    }
  }

  @Override
  public Integer call() throws Exception {
    OperatorConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      // A bad option value: reported as a usage error, in one line.
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withKubernetesSerialization(PolicyJson.serialization())
            .build();
    DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    SdkGatewayFactory gateways = new SdkGatewayFactory(config.aws(), credentials, metrics);
    OperatorRuntime runtime;
    try {
      runtime =
          OperatorRuntime.create(
              client, config, gateways, metrics, Clock.systemUTC(), OperatorCommand::haltAtOnce);
    } catch (IllegalArgumentException e) {
      // Only a configuration the cluster cannot serve gets here (no namespace for the Lease).
      closeAll(gateways, credentials, client);
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    // The port opens first: probes answer while the informers sync, however slow the API is.
    ManagementServer management = ManagementServer.start(config.managementPort(), runtime, metrics);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  management.close();
                  runtime.close();
                  closeAll(gateways, credentials, client);
                  stopped.countDown();
                },
                "shutdown"));
    log.info(
        "management port {} open; starting the operator; AWS endpoint {}",
        management.port(),
        config.aws().endpointOverride().map(URI::toString).orElse("AWS default"));
    runtime.start();
    log.info("operator started: {}", runtime.role());
    stopped.await();
    return 0;
  }

  /**
   * Lost leadership: another replica may already be writing. Halting (no shutdown hooks) stops
   * every write in flight at once; Kubernetes restarts the container, which then waits as standby.
   */
  private static void haltAtOnce() {
    Runtime.getRuntime().halt(1);
  }

  private static void closeAll(
      SdkGatewayFactory gateways, DefaultCredentialsProvider credentials, KubernetesClient client) {
    gateways.close();
    credentials.close();
    client.close();
  }
}
