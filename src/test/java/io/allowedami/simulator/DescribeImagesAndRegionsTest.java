package io.allowedami.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.OptInStatus;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Region;

class DescribeImagesAndRegionsTest {

  static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  static Ec2Simulator sim;
  static Ec2Client ec2;

  @BeforeAll
  static void start() {
    SimulatorWorld world =
        SimulatorWorld.builder()
            .account(
                ACCOUNT,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)
            .region("us-east-1")
            .region("eu-west-1")
            .region("me-south-1", OptInStatus.NOT_OPTED_IN)
            .image(
                WorldImage.builder("ami-amazon", "us-east-1", "137112412989")
                    .ownerAlias("amazon")
                    .name("al2023")
                    .build())
            .image(
                WorldImage.builder("ami-market", "us-east-1", "679593333241")
                    .ownerAlias("aws-marketplace")
                    .name("nginx")
                    .productCodes("abc123")
                    .build())
            .image(
                WorldImage.builder("ami-own", "us-east-1", ACCOUNT)
                    .name("golden")
                    .isPublic(false)
                    .build())
            .image(
                WorldImage.builder("ami-private", "us-east-1", "210987654321")
                    .name("not-shared")
                    .isPublic(false)
                    .build())
            .build();
    sim = Ec2Simulator.start(world, 0);
    ec2 = SimulatorClients.ec2(sim, "us-east-1");
  }

  @AfterAll
  static void stop() {
    ec2.close();
    sim.close();
  }

  private static List<String> imageIds(Filter... filters) {
    return ec2.describeImages(r -> r.filters(filters)).images().stream()
        .map(Image::imageId)
        .sorted()
        .toList();
  }

  @Test
  void
      imageAllowedIsAbsentWhenDisabledComputedInAuditModeAndNonAllowedImagesAreHiddenWhenEnabled() {
    sim.outOfBand()
        .setSettings(
            ACCOUNT, "us-east-1", SettingsState.DISABLED, List.of(Criterion.ofProviders("amazon")));
    assertThat(ec2.describeImages(r -> {}).images())
        .hasSize(3)
        .allSatisfy(i -> assertThat(i.imageAllowed()).isNull());

    sim.outOfBand()
        .setSettings(
            ACCOUNT,
            "us-east-1",
            SettingsState.AUDIT_MODE,
            List.of(Criterion.ofProviders("amazon")));
    assertThat(ec2.describeImages(r -> {}).images()).hasSize(3);
    assertThat(imageIds(Filter.builder().name("image-allowed").values("false").build()))
        .containsExactly("ami-market");

    sim.outOfBand()
        .setSettings(
            ACCOUNT, "us-east-1", SettingsState.ENABLED, List.of(Criterion.ofProviders("amazon")));
    assertThat(imageIds()).containsExactly("ami-amazon", "ami-own");
  }

  @Test
  void imagesCarryOwnerAliasAndProductCodesAndCanBeFiltered() {
    sim.outOfBand().setSettings(ACCOUNT, "us-east-1", SettingsState.DISABLED, List.of());
    Image market = ec2.describeImages(r -> r.imageIds("ami-market")).images().get(0);
    assertThat(market.imageOwnerAlias()).isEqualTo("aws-marketplace");
    assertThat(market.productCodes())
        .singleElement()
        .satisfies(p -> assertThat(p.productCodeId()).isEqualTo("abc123"));
    assertThat(ec2.describeImages(r -> r.owners("self")).images())
        .extracting(Image::imageId)
        .containsExactly("ami-own");
    assertThat(imageIds(Filter.builder().name("owner-alias").values("amazon").build()))
        .containsExactly("ami-amazon");
  }

  @Test
  void imageIdsThatAreMalformedOrNotVisibleAreErrorsButTheImageIdFilterNeverFails() {
    sim.outOfBand().setSettings(ACCOUNT, "us-east-1", SettingsState.DISABLED, List.of());
    assertThat(errorCode(ec2, r -> r.imageIds("ami-amazon", "not-an-ami")))
        .isEqualTo("InvalidAMIID.Malformed");
    assertThat(errorCode(ec2, r -> r.imageIds("ami-amazon", "ami-0absent")))
        .isEqualTo("InvalidAMIID.NotFound");
    assertThat(errorCode(ec2, r -> r.imageIds("ami-private")))
        .as("private to another account")
        .isEqualTo("InvalidAMIID.NotFound");
    assertThat(
            imageIds(
                Filter.builder()
                    .name("image-id")
                    .values("ami-amazon", "ami-0absent", "ami-private")
                    .build()))
        .containsExactly("ami-amazon");

    sim.outOfBand()
        .setSettings(
            ACCOUNT, "us-east-1", SettingsState.ENABLED, List.of(Criterion.ofProviders("amazon")));
    assertThat(errorCode(ec2, r -> r.imageIds("ami-market")))
        .as("not allowed while enabled: not discoverable")
        .isEqualTo("InvalidAMIID.NotFound");
    sim.outOfBand().setSettings(ACCOUNT, "us-east-1", SettingsState.DISABLED, List.of());
  }

  @Test
  void disabledImagesAreListedOnlyWithIncludeDisabledAndPagesCoverEveryImage() {
    sim.outOfBand().setSettings(ACCOUNT, "us-east-1", SettingsState.DISABLED, List.of());
    try (Ec2Simulator many = Ec2Simulator.start(manyImages(), 0);
        Ec2Client client = SimulatorClients.ec2(many, "eu-west-1")) {
      List<String> all =
          client
              .describeImagesPaginator(r -> r.includeDisabled(true).maxResults(1000))
              .images()
              .stream()
              .map(Image::imageId)
              .toList();
      assertThat(all).hasSize(2_500).doesNotHaveDuplicates().isSorted();
      assertThat(many.counters().count("DescribeImages", "eu-west-1")).isEqualTo(3);
      assertThat(client.describeImagesPaginator(r -> r.maxResults(1000)).images().stream().count())
          .as("without IncludeDisabled")
          .isEqualTo(2_499);
    }
  }

  private static SimulatorWorld manyImages() {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder()
            .account(
                ACCOUNT,
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)
            .region("eu-west-1");
    for (int i = 0; i < 2_500; i++) {
      world.image(
          new WorldImage(
              "ami-0%016d".formatted(i),
              "eu-west-1",
              "137112412989",
              "amazon",
              null,
              null,
              null,
              null,
              i == 7 ? WorldImage.DISABLED : null,
              true,
              null));
    }
    return world.build();
  }

  private static String errorCode(
      Ec2Client client,
      java.util.function.Consumer<
              software.amazon.awssdk.services.ec2.model.DescribeImagesRequest.Builder>
          request) {
    return SimulatorClients.errorCode(
        org.assertj.core.api.Assertions.catchThrowableOfType(
            software.amazon.awssdk.awscore.exception.AwsServiceException.class,
            () -> client.describeImages(request)));
  }

  @Test
  void describeRegionsListsEnabledRegionsAndWithAllRegionsTheOptInStatus() {
    assertThat(ec2.describeRegions().regions())
        .extracting(Region::regionName)
        .containsExactly("us-east-1", "eu-west-1");
    List<Region> all = ec2.describeRegions(r -> r.allRegions(true)).regions();
    assertThat(all).hasSize(3);
    assertThat(all.get(2).optInStatus()).isEqualTo("not-opted-in");
    assertThat(all.get(0).endpoint()).isEqualTo("ec2.us-east-1.amazonaws.com");
    assertThat(
            ec2.describeRegions(
                    r ->
                        r.allRegions(true)
                            .filters(
                                Filter.builder()
                                    .name("opt-in-status")
                                    .values("not-opted-in")
                                    .build()))
                .regions())
        .extracting(Region::regionName)
        .containsExactly("me-south-1");
  }
}
