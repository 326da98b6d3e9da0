package io.allowedami.app;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Lease-based leader election, so that several replicas can run and only one of them writes: the
 * leader renews a coordination.k8s.io/v1 Lease; the others keep their caches warm and take over
 * when it stops renewing.
 *
 * @param leaseNamespace empty: the namespace the Kubernetes client is configured with (in a pod,
 *     its service account's namespace)
 * @param identity the holder name written into the Lease; unique per process
 * @param leaseDuration how long a standby waits after the last renewal before it takes over
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading;
 *     shorter than {@code leaseDuration}, so that it stops before anyone else can start
 * @param retryPeriod how often the Lease is tried or renewed
 */
public record LeaderElectionSettings(
    boolean enabled,
    String leaseName,
    Optional<String> leaseNamespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  public static final String DEFAULT_LEASE_NAME = "allowed-ami-operator";

  /** JOSDK's (and client-go's) defaults. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

  /** fabric8's elector waits up to the retry period times this between tries. */
  private static final double RETRY_JITTER = 2.2;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public LeaderElectionSettings {
    Objects.requireNonNull(leaseName, "leaseName");
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewDeadline, "renewDeadline");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    if (enabled) {
      if (leaseName.length() > 253 || !DNS_SUBDOMAIN.matcher(leaseName).matches()) {
        throw new IllegalArgumentException(
            "lease name '" + leaseName + "' is not a Kubernetes object name (a DNS subdomain)");
      }
      leaseNamespace.ifPresent(
          ns -> {
            if (ns.length() > 63 || !DNS_SUBDOMAIN.matcher(ns).matches() || ns.contains(".")) {
              throw new IllegalArgumentException(
                  "lease namespace '" + ns + "' is not a Kubernetes namespace name");
            }
          });
      if (identity.isBlank()) {
        throw new IllegalArgumentException("leader election needs an identity");
      }
      if (renewDeadline.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException(
            "the renew deadline ("
                + renewDeadline
                + ") must be shorter than the lease duration ("
                + leaseDuration
                + "), so that a leader stops before another can take over");
      }
      if (retryPeriod.isZero()
          || retryPeriod.isNegative()
          || renewDeadline.toMillis() <= retryPeriod.toMillis() * RETRY_JITTER) {
        throw new IllegalArgumentException(
            "the retry period ("
                + retryPeriod
                + ") must be positive and the renew deadline ("
                + renewDeadline
                + ") more than 2.2 times as long");
      }
    }
  }

  /** One instance, nothing to elect: the demo's, the tests' and the benchmark's setting. */
  public static LeaderElectionSettings disabled() {
    return new LeaderElectionSettings(
        false,
        DEFAULT_LEASE_NAME,
        Optional.empty(),
        "-",
        DEFAULT_LEASE_DURATION,
        DEFAULT_RENEW_DEADLINE,
        DEFAULT_RETRY_PERIOD);
  }

  /** Election on one Lease with the default timings. */
  public static LeaderElectionSettings lease(
      String leaseName, Optional<String> leaseNamespace, String identity) {
    return new LeaderElectionSettings(
        true,
        leaseName,
        leaseNamespace,
        identity,
        DEFAULT_LEASE_DURATION,
        DEFAULT_RENEW_DEADLINE,
        DEFAULT_RETRY_PERIOD);
  }

  public LeaderElectionSettings withTimings(
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    return new LeaderElectionSettings(
        enabled, leaseName, leaseNamespace, identity, leaseDuration, renewDeadline, retryPeriod);
  }

  public LeaderElectionSettings withLeaseNamespace(String namespace) {
    return new LeaderElectionSettings(
        enabled,
        leaseName,
        Optional.of(namespace),
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod);
  }
}
