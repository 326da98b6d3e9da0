package io.allowedami.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedImagesSettingsEnabledState;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceImageMetadataResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ImageCriterionRequest;

/**
 * AWS's documented audit-mode rollout as a script would run it with the AWS SDK in one process: per
 * Region, enable audit-mode, set the criteria, list the instances whose images would not be
 * allowed, read the setting back to verify: 4 dependent calls. Regions one after another, or each
 * on its own thread (the fastest a script can be). The AWS CLI variant is {@link CliProcedure}.
 *
 * <p>Standalone, against any endpoint (credentials from the SDK's default chain): {@code java -cp
 * <test classpath> io.allowedami.bench.DocumentedProcedure --endpoint http://127.0.0.1:8766
 * [--parallel] [--regions us-east-1,eu-west-1]}
 */
public final class DocumentedProcedure {
  static final List<String> PROVIDERS = List.of("amazon", "aws-marketplace");

  private DocumentedProcedure() {}

  /** Rolls every Region out; returns the instances whose images would not be allowed. */
  static int run(
      URI endpoint, AwsCredentialsProvider credentials, List<String> regions, boolean parallel)
      throws Exception {
    try (SdkHttpClient http = ApacheHttpClient.builder().maxConnections(regions.size()).build()) {
      if (!parallel) {
        int notAllowed = 0;
        for (String region : regions) {
          notAllowed += inRegion(endpoint, credentials, http, region);
        }
        return notAllowed;
      }
      ExecutorService threads = Executors.newFixedThreadPool(regions.size());
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (String region : regions) {
          results.add(threads.submit(() -> inRegion(endpoint, credentials, http, region)));
        }
        int notAllowed = 0;
        for (Future<Integer> result : results) {
          notAllowed += result.get();
        }
        return notAllowed;
      } finally {
        threads.shutdownNow();
      }
    }
  }

  private static int inRegion(
      URI endpoint, AwsCredentialsProvider credentials, SdkHttpClient http, String region) {
    try (Ec2Client ec2 =
        Ec2Client.builder()
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(http)
            .build()) {
      ec2.enableAllowedImagesSettings(
          r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.AUDIT_MODE));
      ec2.replaceImageCriteriaInAllowedImagesSettings(
          r -> r.imageCriteria(ImageCriterionRequest.builder().imageProviders(PROVIDERS).build()));
      int notAllowed = 0;
      for (DescribeInstanceImageMetadataResponse page :
          ec2.describeInstanceImageMetadataPaginator(
              r ->
                  r.maxResults(1000)
                      .filters(Filter.builder().name("image-allowed").values("false").build()))) {
        notAllowed += page.instanceImageMetadata().size();
      }
      String state = ec2.getAllowedImagesSettings(r -> {}).state();
      if (!"audit-mode".equals(state)) {
        throw new IllegalStateException(region + " reads back " + state + ", not audit-mode");
      }
      return notAllowed;
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> arguments = Arrays.asList(args);
    int at = arguments.indexOf("--endpoint");
    if (at < 0 || at + 1 >= args.length) {
      System.err.println(
          "usage: DocumentedProcedure --endpoint URL [--parallel] [--regions r1,r2,...]");
      System.exit(2);
    }
    int regionsAt = arguments.indexOf("--regions");
    List<String> regions =
        regionsAt >= 0 ? List.of(args[regionsAt + 1].split(",")) : Worlds.REGIONS;
    long start = System.nanoTime();
    try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
      int notAllowed =
          run(URI.create(args[at + 1]), credentials, regions, arguments.contains("--parallel"));
      System.out.printf(
          "%d Regions rolled out to audit-mode in %d ms; %d instances on images not allowed%n",
          regions.size(), Duration.ofNanos(System.nanoTime() - start).toMillis(), notAllowed);
    }
  }
}
