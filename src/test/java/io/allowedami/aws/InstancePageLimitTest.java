package io.allowedami.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allowedami.compliance.InstanceImage;
import io.allowedami.simulator.CallCounters.LoggedCall;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The instance pages the operator fetches at once stay within the limit, across Regions and
 * accounts, whatever the number of Region workers asking.
 */
class InstancePageLimitTest {
  private static final Duration LATENCY = Duration.ofMillis(100);
  private static final List<String> REGIONS =
      List.of(
          "us-east-1",
          "us-east-2",
          "us-west-1",
          "us-west-2",
          "eu-west-1",
          "eu-west-2",
          "eu-west-3",
          "eu-central-1",
          "eu-north-1",
          "ap-south-1");

  private final ExecutorService workers = Executors.newCachedThreadPool();
  private Ec2Simulator sim;
  private SdkGatewayFactory factory;

  @AfterEach
  void stop() {
    workers.shutdownNow();
    if (factory != null) {
      factory.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private AllowedImagesGateway start(int fullPagesAtOnce) {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    sim.faults().latency("DescribeInstanceImageMetadata", LATENCY);
    factory =
        new SdkGatewayFactory(
            AwsClientSettings.defaults().withEndpointOverride(sim.endpoint()),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                    SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)),
            new SimpleMeterRegistry(),
            System::nanoTime,
            new InstancePageLimit(fullPagesAtOnce, SdkAllowedImagesGateway.MAX_PAGE_SIZE));
    return factory.forAccount(AccountTarget.OPERATOR_CREDENTIALS);
  }

  /** Every Region's instances read at once, each on its own thread; the page calls made. */
  private List<LoggedCall> readAllRegionsAtOnce(AllowedImagesGateway aws) {
    sim.counters().reset();
    List<CompletableFuture<Void>> reads = new ArrayList<>();
    for (String region : REGIONS) {
      reads.add(
          CompletableFuture.runAsync(
              () -> aws.describeInstanceImages(region, page -> {}), workers));
    }
    reads.forEach(CompletableFuture::join);
    return sim.counters().log().stream()
        .filter(c -> c.action().equals("DescribeInstanceImageMetadata"))
        .toList();
  }

  private List<LoggedCall> readAllRegionsAtOnce(int fullPagesAtOnce) {
    return readAllRegionsAtOnce(start(fullPagesAtOnce));
  }

  /**
   * A page call starts only once a permit is free, and is answered at least the latency later: so
   * no more answers than permits can fall within any window shorter than the latency.
   */
  private static int mostAnswersWithin(List<LoggedCall> calls, Duration window) {
    List<Long> times = calls.stream().map(LoggedCall::nanoTime).sorted().toList();
    int most = 0;
    for (int first = 0, last = 0; last < times.size(); last++) {
      while (times.get(last) - times.get(first) >= window.toNanos()) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  @Test
  void pagesInFlightNeverExceedTheLimit() {
    List<LoggedCall> pages = readAllRegionsAtOnce(3);

    assertThat(pages).hasSize(REGIONS.size());
    assertThat(mostAnswersWithin(pages, LATENCY.minusMillis(20))).isLessThanOrEqualTo(3);
  }

  @Test
  void withAsManyPermitsAsRegions_theRegionsAreReadTogether() {
    // The counterpart that shows the measure can see parallel pages: all ten answered at once.
    List<LoggedCall> pages = readAllRegionsAtOnce(REGIONS.size());

    assertThat(mostAnswersWithin(pages, LATENCY.minusMillis(20))).isGreaterThan(3);
  }

  @Test
  void onceScanned_smallRegionsAskForSmallPagesAndPassTogether() {
    AllowedImagesGateway aws = start(3);
    readAllRegionsAtOnce(aws); // first scan: full pages asked, 3 at a time

    List<LoggedCall> pages = readAllRegionsAtOnce(aws);

    assertThat(pages).as("still one page a Region").hasSize(REGIONS.size());
    assertThat(mostAnswersWithin(pages, LATENCY.minusMillis(20))).isGreaterThan(3);
  }

  @Test
  void aRegionThatGrewTakesOneMorePageAndReadsEveryInstance() {
    AllowedImagesGateway aws = start(3);
    List<InstanceImage> before = new ArrayList<>();
    aws.describeInstanceImages("us-east-1", before::addAll);
    List<WorldImage> images = sim.images().list("us-east-1");
    for (int i = 0; i < 2_500; i++) {
      sim.instances()
          .add(
              WorldInstance.builder(
                      "i-grown%07d".formatted(i),
                      "us-east-1",
                      SimulatorWorld.DEFAULT_ACCOUNT_ID,
                      images.get(i % images.size()).imageId())
                  .build());
    }
    int seeded = sim.instances().list(SimulatorWorld.DEFAULT_ACCOUNT_ID, "us-east-1").size();
    sim.counters().reset();

    List<InstanceImage> read = new ArrayList<>();
    aws.describeInstanceImages("us-east-1", read::addAll);

    int firstPage = 2 * before.size() + 10;
    assertThat(read).hasSize(seeded);
    assertThat(sim.counters().count("DescribeInstanceImageMetadata", "us-east-1"))
        .as("a first page of twice the last scan, then full ones")
        .isEqualTo(1 + (seeded - firstPage + 999) / 1000);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new InstancePageLimit(0, 1000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
