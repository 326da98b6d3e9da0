package io.allowedami.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds and caches SDK clients: one shared Apache HTTP client, per account target one credentials
 * provider (assumed roles refresh themselves) and per Region one EC2 client.
 */
public final class SdkGatewayFactory implements AllowedImagesGatewayFactory {
  private static final String SESSION_NAME = "allowed-ami-operator";

  private final AwsClientSettings settings;
  private final AwsCredentialsProvider baseCredentials;
  private final ClientOverrideConfiguration overrides;
  private final SdkHttpClient httpClient;
  private final Map<AccountTarget, AllowedImagesGateway> gateways = new ConcurrentHashMap<>();
  private final List<SdkAutoCloseable> toClose = new ArrayList<>();

  public SdkGatewayFactory(
      AwsClientSettings settings, AwsCredentialsProvider baseCredentials, MeterRegistry metrics) {
    this.settings = settings;
    this.baseCredentials = baseCredentials;
    this.httpClient = ApacheHttpClient.builder().maxConnections(64).build();
    this.overrides =
        ClientOverrideConfiguration.builder()
            .apiCallTimeout(settings.apiCallTimeout())
            .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
            // EC2's standard strategy: backoff with jitter, throttling-aware, bounded attempts.
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(settings.maxAttempts())
                    .build())
            .addExecutionInterceptor(new AwsCallMetrics(metrics))
            .build();
  }

  @Override
  public AllowedImagesGateway forAccount(AccountTarget target) {
    return gateways.computeIfAbsent(target, this::newGateway);
  }

  private AllowedImagesGateway newGateway(AccountTarget target) {
    StsClient baseSts = track(stsClient(baseCredentials));
    AwsCredentialsProvider credentials = baseCredentials;
    StsClient sts = baseSts;
    if (target.roleArn().isPresent()) {
      credentials =
          track(
              StsAssumeRoleCredentialsProvider.builder()
                  .stsClient(baseSts)
                  .refreshRequest(
                      r -> {
                        r.roleArn(target.roleArn().get()).roleSessionName(SESSION_NAME);
                        target.externalId().ifPresent(r::externalId);
                      })
                  .build());
      sts = track(stsClient(credentials));
    }
    AwsCredentialsProvider accountCredentials = credentials;
    Map<String, Ec2Client> ec2ByRegion = new ConcurrentHashMap<>();
    return new SdkAllowedImagesGateway(
        region -> ec2ByRegion.computeIfAbsent(region, r -> track(ec2Client(r, accountCredentials))),
        sts);
  }

  private Ec2Client ec2Client(String region, AwsCredentialsProvider credentials) {
    var builder =
        Ec2Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(httpClient)
            .overrideConfiguration(overrides);
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private StsClient stsClient(AwsCredentialsProvider credentials) {
    var builder =
        StsClient.builder()
            .region(Region.of(settings.stsRegion()))
            .credentialsProvider(credentials)
            .httpClient(httpClient)
            .overrideConfiguration(overrides);
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private synchronized <T> T track(T closeable) {
    if (closeable instanceof SdkAutoCloseable c) {
      toClose.add(c);
    }
    return closeable;
  }

  @Override
  public synchronized void close() {
    toClose.forEach(SdkAutoCloseable::close);
    toClose.clear();
    gateways.clear();
    httpClient.close();
  }
}
