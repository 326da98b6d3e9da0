package io.allowedami.app;

import io.allowedami.aws.AwsClientSettings;
import io.allowedami.reconcile.ReconcileSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything configurable, read once at start and immutable afterwards. AWS credentials are not
 * here: they come from the AWS SDK's default provider chain (IRSA, EKS Pod Identity, env, profile).
 */
public record OperatorConfig(
    AwsClientSettings aws,
    ReconcileSettings reconcile,
    int regionConcurrency,
    int managementPort,
    LeaderElectionSettings leaderElection,
    PolicySelector policySelector) {

  /** Regions converged in parallel at most: more than every Region of a few accounts at once. */
  public static final int MAX_REGION_CONCURRENCY = 256;

  public OperatorConfig {
    Objects.requireNonNull(aws, "aws");
    Objects.requireNonNull(reconcile, "reconcile");
    Objects.requireNonNull(leaderElection, "leaderElection");
    Objects.requireNonNull(policySelector, "policySelector");
    if (regionConcurrency < 1 || regionConcurrency > MAX_REGION_CONCURRENCY) {
      throw new IllegalArgumentException(
          "region concurrency must be between 1 and "
              + MAX_REGION_CONCURRENCY
              + ", was "
              + regionConcurrency);
    }
    if (aws.maxConnections() < AwsClientSettings.CALLS_PER_REGION * regionConcurrency) {
      throw new IllegalArgumentException(
          "the AWS connection pool ("
              + aws.maxConnections()
              + ") needs "
              + AwsClientSettings.CALLS_PER_REGION
              + " connections for each of the "
              + regionConcurrency
              + " Regions converged in parallel");
    }
    if (managementPort < 0 || managementPort > 65535) {
      throw new IllegalArgumentException(
          "management port must be between 0 and 65535, was " + managementPort);
    }
  }

  /** One instance for every policy, no leader election: the demo, the tests, the benchmark. */
  public OperatorConfig(
      AwsClientSettings aws,
      ReconcileSettings reconcile,
      int regionConcurrency,
      int managementPort) {
    this(
        aws,
        reconcile,
        regionConcurrency,
        managementPort,
        LeaderElectionSettings.disabled(),
        PolicySelector.all());
  }

  public OperatorConfig withLeaderElection(LeaderElectionSettings election) {
    return new OperatorConfig(
        aws, reconcile, regionConcurrency, managementPort, election, policySelector);
  }

  public OperatorConfig withPolicySelector(PolicySelector selector) {
    return new OperatorConfig(
        aws, reconcile, regionConcurrency, managementPort, leaderElection, selector);
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(
        AwsClientSettings.defaults(),
        new ReconcileSettings(Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(10)),
        AwsClientSettings.DEFAULT_REGION_CONCURRENCY,
        8080);
  }
}
