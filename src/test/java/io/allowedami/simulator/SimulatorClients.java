package io.allowedami.simulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Real AWS SDK clients pointed at a simulator, without retries so every answer is seen as is. */
final class SimulatorClients {

  private SimulatorClients() {}

  static Ec2Client ec2(Ec2Simulator sim, String region) {
    return ec2(
        sim,
        region,
        AwsBasicCredentials.create(
            SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY));
  }

  static Ec2Client ec2(Ec2Simulator sim, String region, AwsCredentials credentials) {
    return Ec2Client.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
        .overrideConfiguration(
            o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  static StsClient sts(Ec2Simulator sim, AwsCredentials credentials) {
    return StsClient.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  static AwsCredentials operatorCredentials() {
    return AwsBasicCredentials.create(
        SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
  }

  /** The AWS error code of a failed call. */
  static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails().errorCode();
  }
}
