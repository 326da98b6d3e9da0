package io.allowedami.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How SDK clients are built. {@code endpointOverride} points EC2 and STS at another endpoint (the
 * simulator); {@code stsRegion} is where roles are assumed, on the regional STS endpoint.
 */
public record AwsClientSettings(
    Optional<URI> endpointOverride,
    String stsRegion,
    Duration apiCallTimeout,
    Duration apiCallAttemptTimeout,
    int maxAttempts) {

  public AwsClientSettings {
    Objects.requireNonNull(endpointOverride, "endpointOverride");
    Objects.requireNonNull(stsRegion, "stsRegion");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
  }

  public static AwsClientSettings defaults() {
    return new AwsClientSettings(
        Optional.empty(), "us-east-1", Duration.ofSeconds(30), Duration.ofSeconds(10), 3);
  }

  public AwsClientSettings withEndpointOverride(URI endpoint) {
    return new AwsClientSettings(
        Optional.of(endpoint), stsRegion, apiCallTimeout, apiCallAttemptTimeout, maxAttempts);
  }

  public AwsClientSettings withMaxAttempts(int attempts) {
    return new AwsClientSettings(
        endpointOverride, stsRegion, apiCallTimeout, apiCallAttemptTimeout, attempts);
  }
}
