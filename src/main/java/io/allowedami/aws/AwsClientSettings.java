package io.allowedami.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How SDK clients are built. {@code endpointOverride} points EC2 and STS at another endpoint (the
 * simulator); {@code stsRegion} is where roles are assumed, on the regional STS endpoint; {@code
 * maxConnections} sizes the one HTTP connection pool (see {@link #connectionsFor}); the clients of
 * an account target unused for {@code idleClientTimeout} are closed, and built again when needed.
 */
public record AwsClientSettings(
    Optional<URI> endpointOverride,
    String stsRegion,
    Duration apiCallTimeout,
    Duration apiCallAttemptTimeout,
    int maxAttempts,
    int maxConnections,
    Duration idleClientTimeout) {

  /**
   * Connections beyond those of the Regions converged in parallel: STS calls made outside the
   * Region workers (account IDs, assumed-role refreshes) by reconciles running at the same time.
   */
  public static final int STS_CONNECTIONS = 8;

  /**
   * Calls one Region worker has in flight at once: the settings read beside the instance page, the
   * launch template read and the two DryRun checks sent ahead of a Region not known to be in sync.
   */
  public static final int CALLS_PER_REGION = 5;

  /**
   * Regions converged in parallel by default: more than EC2's 17 default Regions, so that a policy
   * over all of them converges in one wave. EC2 throttles per account, Region and action, so
   * Regions in parallel never draw on the same bucket.
   */
  public static final int DEFAULT_REGION_CONCURRENCY = 32;

  public AwsClientSettings {
    Objects.requireNonNull(endpointOverride, "endpointOverride");
    Objects.requireNonNull(stsRegion, "stsRegion");
    Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    Objects.requireNonNull(apiCallAttemptTimeout, "apiCallAttemptTimeout");
    Objects.requireNonNull(idleClientTimeout, "idleClientTimeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, was " + maxConnections);
    }
    if (idleClientTimeout.isNegative() || idleClientTimeout.isZero()) {
      throw new IllegalArgumentException(
          "idleClientTimeout must be positive, was " + idleClientTimeout);
    }
  }

  /**
   * A pool in which every Region worker's calls and the STS calls beside them find a connection.
   */
  public static int connectionsFor(int regionConcurrency) {
    return CALLS_PER_REGION * regionConcurrency + STS_CONNECTIONS;
  }

  public static AwsClientSettings defaults() {
    return new AwsClientSettings(
        Optional.empty(),
        "us-east-1",
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        3,
        connectionsFor(DEFAULT_REGION_CONCURRENCY),
        Duration.ofMinutes(10));
  }

  public AwsClientSettings withEndpointOverride(URI endpoint) {
    return new AwsClientSettings(
        Optional.of(endpoint),
        stsRegion,
        apiCallTimeout,
        apiCallAttemptTimeout,
        maxAttempts,
        maxConnections,
        idleClientTimeout);
  }

  public AwsClientSettings withStsRegion(String region) {
    return new AwsClientSettings(
        endpointOverride,
        region,
        apiCallTimeout,
        apiCallAttemptTimeout,
        maxAttempts,
        maxConnections,
        idleClientTimeout);
  }

  public AwsClientSettings withMaxAttempts(int attempts) {
    return new AwsClientSettings(
        endpointOverride,
        stsRegion,
        apiCallTimeout,
        apiCallAttemptTimeout,
        attempts,
        maxConnections,
        idleClientTimeout);
  }

  /** Sizes the connection pool for this many Regions converged in parallel. */
  public AwsClientSettings withRegionConcurrency(int regionConcurrency) {
    return new AwsClientSettings(
        endpointOverride,
        stsRegion,
        apiCallTimeout,
        apiCallAttemptTimeout,
        maxAttempts,
        connectionsFor(regionConcurrency),
        idleClientTimeout);
  }

  public AwsClientSettings withIdleClientTimeout(Duration timeout) {
    return new AwsClientSettings(
        endpointOverride,
        stsRegion,
        apiCallTimeout,
        apiCallAttemptTimeout,
        maxAttempts,
        maxConnections,
        timeout);
  }
}
