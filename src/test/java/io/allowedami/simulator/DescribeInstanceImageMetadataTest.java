package io.allowedami.simulator;

import static io.allowedami.simulator.SimulatorClients.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceImageMetadataResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceImageMetadata;

class DescribeInstanceImageMetadataTest {

  static final String REGION = "us-west-2";
  static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  static final int INSTANCES = 2_600;
  static Ec2Simulator sim;
  static Ec2Client ec2;

  @BeforeAll
  static void start() {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .clock(Clock.fixed(Instant.parse("2025-11-22T00:00:00Z"), ZoneOffset.UTC))
            .account(
                ACCOUNT,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)
            .region(REGION)
            .image(
                WorldImage.builder("ami-amazon", REGION, "137112412989")
                    .ownerAlias("amazon")
                    .name("al2023")
                    .build())
            .image(
                WorldImage.builder("ami-market", REGION, "679593333241")
                    .ownerAlias("aws-marketplace")
                    .name("nginx")
                    .build())
            .image(
                WorldImage.builder("ami-own", REGION, ACCOUNT)
                    .name("golden")
                    .isPublic(false)
                    .build())
            .image(
                WorldImage.builder("ami-gone", REGION, "210987654321")
                    .name("legacy")
                    .deregistered()
                    .build());
    List<String> images = List.of("ami-amazon", "ami-market", "ami-own", "ami-gone");
    for (int n = 0; n < INSTANCES; n++) {
      world.instance(
          WorldInstance.builder(String.format("i-%017d", n), REGION, ACCOUNT, images.get(n % 4))
              .state(n % 5 == 0 ? InstanceStateName.STOPPED : InstanceStateName.RUNNING)
              .tags(Map.of("Team", n % 2 == 0 ? "platform" : "data", "Name", "node-" + n))
              .build());
    }
    sim = Ec2Simulator.start(world.build(), 0);
    ec2 = SimulatorClients.ec2(sim, REGION);
  }

  @AfterAll
  static void stop() {
    ec2.close();
    sim.close();
  }

  @BeforeEach
  void auditAmazonOnly() {
    sim.outOfBand()
        .setSettings(
            ACCOUNT, REGION, SettingsState.AUDIT_MODE, List.of(Criterion.ofProviders("amazon")));
  }

  @Test
  void maxResults1000PagesThroughAllInstancesInThreePages() {
    List<InstanceImageMetadata> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      DescribeInstanceImageMetadataResponse page =
          ec2.describeInstanceImageMetadata(r -> r.maxResults(1000).nextToken(next));
      all.addAll(page.instanceImageMetadata());
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(all).hasSize(INSTANCES);
    assertThat(all.stream().map(InstanceImageMetadata::instanceId).distinct()).hasSize(INSTANCES);
  }

  @Test
  void theSdkPaginatorWithSmallPagesSeesEveryInstanceOnce() {
    Set<String> ids = new HashSet<>();
    ec2.describeInstanceImageMetadataPaginator(r -> r.maxResults(97))
        .instanceImageMetadata()
        .forEach(m -> assertThat(ids.add(m.instanceId())).isTrue());
    assertThat(ids).hasSize(INSTANCES);
  }

  @Test
  void itemsCarryInstanceAndImageMetadataWithImageAllowed() {
    InstanceImageMetadata amazon = only("instance-id", "i-00000000000000000");
    assertThat(amazon.state().nameAsString()).isEqualTo("stopped");
    assertThat(amazon.state().code()).isEqualTo(80);
    assertThat(amazon.ownerId()).isEqualTo(ACCOUNT);
    assertThat(amazon.availabilityZone()).isEqualTo("us-west-2a");
    assertThat(amazon.zoneId()).isEqualTo("usw2-az1");
    assertThat(amazon.tags()).hasSize(2);
    assertThat(amazon.launchTime()).isNotNull();
    assertThat(amazon.imageMetadata().imageId()).isEqualTo("ami-amazon");
    assertThat(amazon.imageMetadata().imageOwnerAlias()).isEqualTo("amazon");
    assertThat(amazon.imageMetadata().ownerId()).isEqualTo("137112412989");
    assertThat(amazon.imageMetadata().imageAllowed()).isTrue();
    assertThat(amazon.imageMetadata().isPublic()).isTrue();
    assertThat(amazon.imageMetadata().stateAsString()).isEqualTo("available");

    assertThat(only("instance-id", "i-00000000000000001").imageMetadata().imageAllowed()).isFalse();
    assertThat(only("instance-id", "i-00000000000000002").imageMetadata().imageAllowed()).isTrue();
    InstanceImageMetadata deregistered = only("instance-id", "i-00000000000000003");
    assertThat(deregistered.imageMetadata().imageId()).isEqualTo("ami-gone");
    assertThat(deregistered.imageMetadata().stateAsString()).isEqualTo("deregistered");
    assertThat(deregistered.imageMetadata().imageAllowed()).isNull();
  }

  @Test
  void imageAllowedIsAbsentWhileTheSettingIsDisabled() {
    sim.outOfBand()
        .setSettings(
            ACCOUNT, REGION, SettingsState.DISABLED, List.of(Criterion.ofProviders("amazon")));
    assertThat(only("instance-id", "i-00000000000000000").imageMetadata().imageAllowed()).isNull();
  }

  @Test
  void eachFilterNarrowsTheResult() {
    assertThat(count(filter("image-allowed", "false"))).isEqualTo(INSTANCES / 4);
    assertThat(count(filter("image-allowed", "true"))).isEqualTo(INSTANCES / 2);
    assertThat(count(filter("instance-state-name", "stopped"))).isEqualTo(INSTANCES / 5);
    assertThat(count(filter("owner-alias", "aws-marketplace"))).isEqualTo(INSTANCES / 4);
    assertThat(count(filter("owner-id", ACCOUNT))).isEqualTo(INSTANCES / 4);
    assertThat(count(filter("instance-id", "i-00000000000000010", "i-00000000000000011")))
        .isEqualTo(2);
    assertThat(count(filter("tag:Team", "data"))).isEqualTo(INSTANCES / 2);
    assertThat(count(filter("tag:Name", "node-1?"))).isEqualTo(10);
    assertThat(count(filter("tag-key", "Team"))).isEqualTo(INSTANCES);
    assertThat(count(filter("image-allowed", "false"), filter("instance-state-name", "running")))
        .isEqualTo(INSTANCES / 4 - 130);
    assertThat(
            ec2.describeInstanceImageMetadata(r -> r.instanceIds("i-00000000000000004"))
                .instanceImageMetadata())
        .hasSize(1);
  }

  @Test
  void outOfRangeMaxResultsUnknownFiltersAndForeignTokensAreInvalidParameterValue() {
    for (int bad : new int[] {0, 1001, -3}) {
      assertThat(
              errorCode(
                  catchThrowableOfType(
                      AwsServiceException.class,
                      () -> ec2.describeInstanceImageMetadata(r -> r.maxResults(bad)))))
          .isEqualTo("InvalidParameterValue");
    }
    assertThat(
            errorCode(
                catchThrowableOfType(
                    AwsServiceException.class,
                    () ->
                        ec2.describeInstanceImageMetadata(
                            r -> r.filters(filter("no-such-filter", "x"))))))
        .isEqualTo("InvalidParameterValue");
    assertThat(
            errorCode(
                catchThrowableOfType(
                    AwsServiceException.class,
                    () -> ec2.describeInstanceImageMetadata(r -> r.nextToken("not-a-token")))))
        .isEqualTo("InvalidParameterValue");
    String token = ec2.describeInstanceImageMetadata(r -> r.maxResults(10)).nextToken();
    assertThat(
            errorCode(
                catchThrowableOfType(
                    AwsServiceException.class,
                    () ->
                        ec2.describeInstanceImageMetadata(
                            r ->
                                r.maxResults(10)
                                    .nextToken(token)
                                    .filters(filter("tag:Team", "data"))))))
        .isEqualTo("InvalidParameterValue");
  }

  @Test
  void instancesAddedTerminatedAndRemovedAtRuntimeShowUpImmediately() {
    sim.instances().add(WorldInstance.builder("i-zzzz-new", REGION, ACCOUNT, "ami-market").build());
    assertThat(only("instance-id", "i-zzzz-new").state().nameAsString()).isEqualTo("running");
    sim.instances().terminate("i-zzzz-new");
    assertThat(only("instance-id", "i-zzzz-new").state().nameAsString()).isEqualTo("terminated");
    sim.instances().remove("i-zzzz-new");
    assertThat(count(filter("instance-id", "i-zzzz-new"))).isZero();
  }

  private static InstanceImageMetadata only(String name, String value) {
    return ec2.describeInstanceImageMetadata(r -> r.filters(filter(name, value)))
        .instanceImageMetadata()
        .get(0);
  }

  private static int count(Filter... filters) {
    return ec2
        .describeInstanceImageMetadataPaginator(r -> r.filters(filters))
        .instanceImageMetadata()
        .stream()
        .mapToInt(m -> 1)
        .sum();
  }

  private static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }
}
