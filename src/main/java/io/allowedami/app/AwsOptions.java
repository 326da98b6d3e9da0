package io.allowedami.app;

import io.allowedami.aws.AwsClientSettings;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The AWS options of a command that reads AWS as the operator does (same names, same environment
 * variables, same defaults), as a picocli mixin so that {@code plan} cannot drift from {@code
 * operator}.
 */
final class AwsOptions {
  @Option(
      names = "--aws-endpoint-url",
      paramLabel = "URL",
      defaultValue = "${env:ALLOWED_AMI_AWS_ENDPOINT_URL}",
      description =
          "Send EC2 and STS calls to this endpoint instead of AWS (for the simulator). Env:"
              + " ALLOWED_AMI_AWS_ENDPOINT_URL.")
  String awsEndpointUrl;

  @Option(
      names = "--sts-region",
      paramLabel = "REGION",
      defaultValue = "${env:ALLOWED_AMI_STS_REGION:-us-east-1}",
      description =
          "Region whose STS endpoint assumes roles (default ${DEFAULT-VALUE}). Env:"
              + " ALLOWED_AMI_STS_REGION.")
  String stsRegion;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      defaultValue = "${env:ALLOWED_AMI_AWS_MAX_ATTEMPTS:-3}",
      description = "Attempts per AWS call, SDK retries included (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  /** The client settings; throws with a message naming the option for a bad value. */
  AwsClientSettings settings() {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("--max-attempts must be at least 1, was " + maxAttempts);
    }
    Optional<URI> endpoint =
        Optional.ofNullable(awsEndpointUrl).filter(s -> !s.isBlank()).map(AwsOptions::endpoint);
    AwsClientSettings settings =
        AwsClientSettings.defaults().withStsRegion(stsRegion).withMaxAttempts(maxAttempts);
    return endpoint.map(settings::withEndpointOverride).orElse(settings);
  }

  private static URI endpoint(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException("--aws-endpoint-url '" + text + "' is not an http(s) URL");
    }
    return uri;
  }
}
