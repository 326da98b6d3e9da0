package io.allowedami.simulator;

import static io.allowedami.simulator.SimulatorClients.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedImagesSettingsEnabledState;
import software.amazon.awssdk.services.ec2.model.GetAllowedImagesSettingsResponse;
import software.amazon.awssdk.services.ec2.model.ImageCriterion;
import software.amazon.awssdk.services.ec2.model.ImageCriterionRequest;
import software.amazon.awssdk.services.ec2.model.ImageWatermarkFilterRequest;

class AllowedImagesSettingsTest {

  static Ec2Simulator sim;
  static Ec2Client ec2;

  @BeforeAll
  static void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    ec2 = SimulatorClients.ec2(sim, "eu-central-1");
  }

  @AfterAll
  static void stop() {
    ec2.close();
    sim.close();
  }

  @Test
  void replacedCriteriaAreReadBackIdenticallyIncludingConditionsAndWatermarks() {
    ImageCriterionRequest full =
        ImageCriterionRequest.builder()
            .imageProviders("amazon", "123456789012")
            .imageNames("al2023-ami-*", "ubuntu/images/*")
            .marketplaceProductCodes("abc123")
            .creationDateCondition(c -> c.maximumDaysSinceCreated(300))
            .deprecationTimeCondition(d -> d.maximumDaysSinceDeprecated(0))
            .imageWatermarks(
                ImageWatermarkFilterRequest.builder()
                    .watermarkKey("111122223333:golden-*")
                    .sourceImageRegion("us-east-1")
                    .maximumDaysSinceSourceImageCreated(90)
                    .maximumDaysSinceWatermarkCreated(30)
                    .build())
            .build();
    ImageCriterionRequest marketplace =
        ImageCriterionRequest.builder().imageProviders("aws-marketplace").build();

    assertThat(
            ec2.replaceImageCriteriaInAllowedImagesSettings(r -> r.imageCriteria(full, marketplace))
                .returnValue())
        .isTrue();

    GetAllowedImagesSettingsResponse settings = ec2.getAllowedImagesSettings(r -> {});
    assertThat(settings.imageCriteria()).hasSize(2);
    ImageCriterion first = settings.imageCriteria().get(0);
    assertThat(first.imageProviders()).containsExactly("amazon", "123456789012");
    assertThat(first.imageNames()).containsExactly("al2023-ami-*", "ubuntu/images/*");
    assertThat(first.marketplaceProductCodes()).containsExactly("abc123");
    assertThat(first.creationDateCondition().maximumDaysSinceCreated()).isEqualTo(300);
    assertThat(first.deprecationTimeCondition().maximumDaysSinceDeprecated()).isZero();
    assertThat(first.imageWatermarks())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.watermarkKey()).isEqualTo("111122223333:golden-*");
              assertThat(w.sourceImageRegion()).isEqualTo("us-east-1");
              assertThat(w.maximumDaysSinceSourceImageCreated()).isEqualTo(90);
              assertThat(w.maximumDaysSinceWatermarkCreated()).isEqualTo(30);
            });
    assertThat(settings.imageCriteria().get(1).imageProviders()).containsExactly("aws-marketplace");
    assertThat(settings.managedBy().toString()).isEqualTo("account");
    assertThat(
            sim.outOfBand()
                .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-central-1")
                .imageCriteria())
        .hasSize(2);
  }

  @Test
  void enableAndDisableChangeTheStateOfOneRegionOnly() {
    Ec2Client paris = SimulatorClients.ec2(sim, "eu-west-3");
    Ec2Client london = SimulatorClients.ec2(sim, "eu-west-2");

    assertThat(paris.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
    assertThat(
            paris
                .enableAllowedImagesSettings(
                    r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.AUDIT_MODE))
                .allowedImagesSettingsState()
                .toString())
        .isEqualTo("audit-mode");
    assertThat(paris.getAllowedImagesSettings(r -> {}).state()).isEqualTo("audit-mode");
    assertThat(
            paris
                .enableAllowedImagesSettings(
                    r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.ENABLED))
                .allowedImagesSettingsState()
                .toString())
        .isEqualTo("enabled");
    assertThat(london.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
    assertThat(paris.disableAllowedImagesSettings(r -> {}).allowedImagesSettingsState().toString())
        .isEqualTo("disabled");
    assertThat(paris.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
    paris.close();
    london.close();
  }

  @Test
  void dryRunAnswersDryRunOperationWithoutChangingAnything() {
    Ec2Client tokyo = SimulatorClients.ec2(sim, "ap-northeast-1");
    AwsServiceException e =
        catchThrowableOfType(
            AwsServiceException.class,
            () ->
                tokyo.enableAllowedImagesSettings(
                    r ->
                        r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.ENABLED)
                            .dryRun(true)));
    assertThat(errorCode(e)).isEqualTo("DryRunOperation");
    assertThat(e.statusCode()).isEqualTo(412);
    for (Runnable call :
        List.<Runnable>of(
            () -> tokyo.getAllowedImagesSettings(r -> r.dryRun(true)),
            () -> tokyo.disableAllowedImagesSettings(r -> r.dryRun(true)),
            () -> tokyo.replaceImageCriteriaInAllowedImagesSettings(r -> r.dryRun(true)),
            () -> tokyo.describeInstanceImageMetadata(r -> r.dryRun(true)),
            () -> tokyo.describeImages(r -> r.dryRun(true)),
            () -> tokyo.describeRegions(r -> r.dryRun(true)))) {
      assertThat(errorCode(catchThrowableOfType(AwsServiceException.class, call::run)))
          .isEqualTo("DryRunOperation");
    }
    assertThat(tokyo.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
    tokyo.close();
  }

  @Test
  void enableWithoutStateIsMissingParameterAndWithDisabledIsInvalid() {
    assertThat(
            errorCode(
                catchThrowableOfType(
                    AwsServiceException.class, () -> ec2.enableAllowedImagesSettings(r -> {}))))
        .isEqualTo("MissingParameter");
    AwsServiceException e =
        catchThrowableOfType(
            AwsServiceException.class,
            () -> ec2.enableAllowedImagesSettings(r -> r.allowedImagesSettingsState("disabled")));
    assertThat(errorCode(e)).isEqualTo("InvalidParameterValue");
    assertThat(e.statusCode()).isEqualTo(400);
  }

  @Test
  void criteriaBeyondAwsLimitsAreRejectedWithInvalidParameterValue() {
    List<List<ImageCriterionRequest>> invalid =
        List.of(
            Collections.nCopies(11, criterion("amazon")),
            List.of(
                ImageCriterionRequest.builder()
                    .imageProviders(numbered(201, "1234567%05d"))
                    .build()),
            List.of(ImageCriterionRequest.builder().imageNames(numbered(51, "name-%d")).build()),
            List.of(
                ImageCriterionRequest.builder()
                    .marketplaceProductCodes(numbered(51, "code%d"))
                    .build()),
            List.of(
                ImageCriterionRequest.builder()
                    .imageWatermarks(
                        Collections.nCopies(
                            51,
                            ImageWatermarkFilterRequest.builder()
                                .sourceImageRegion("us-east-1")
                                .build()))
                    .build()),
            List.of(criterion("amazon-linux")),
            List.of(criterion("12345")),
            List.of(criterion("none", "amazon")),
            List.of(ImageCriterionRequest.builder().imageNames("bad|name").build()),
            List.of(ImageCriterionRequest.builder().imageNames("a?").build()),
            List.of(ImageCriterionRequest.builder().imageNames("x".repeat(129)).build()),
            List.of(ImageCriterionRequest.builder().marketplaceProductCodes("not-alnum").build()),
            List.of(
                ImageCriterionRequest.builder()
                    .creationDateCondition(c -> c.maximumDaysSinceCreated(-1))
                    .build()),
            List.of(
                ImageCriterionRequest.builder()
                    .deprecationTimeCondition(c -> c.maximumDaysSinceDeprecated(-5))
                    .build()),
            List.of(
                ImageCriterionRequest.builder()
                    .imageWatermarks(
                        ImageWatermarkFilterRequest.builder().watermarkKey("no-colon").build())
                    .build()));
    for (List<ImageCriterionRequest> criteria : invalid) {
      AwsServiceException e =
          catchThrowableOfType(
              AwsServiceException.class,
              () ->
                  ec2.replaceImageCriteriaInAllowedImagesSettings(r -> r.imageCriteria(criteria)));
      assertThat(e).as("criteria %s", criteria).isNotNull();
      assertThat(errorCode(e)).isEqualTo("InvalidParameterValue");
    }
  }

  @Test
  void limitsThemselvesAreAccepted() {
    Ec2Client mumbai = SimulatorClients.ec2(sim, "ap-south-1");
    List<ImageCriterionRequest> tenCriteria =
        IntStream.range(0, 10)
            .mapToObj(
                i ->
                    ImageCriterionRequest.builder()
                        .imageProviders(
                            i == 0 ? numbered(200, "1234567%05d") : new String[] {"none"})
                        .imageNames(numbered(50, "name-%d-*"))
                        .marketplaceProductCodes(numbered(50, "code%d"))
                        .build())
            .toList();
    assertThat(
            mumbai
                .replaceImageCriteriaInAllowedImagesSettings(r -> r.imageCriteria(tenCriteria))
                .returnValue())
        .isTrue();
    assertThat(mumbai.getAllowedImagesSettings(r -> {}).imageCriteria()).hasSize(10);
    mumbai.close();
  }

  private static ImageCriterionRequest criterion(String... providers) {
    return ImageCriterionRequest.builder().imageProviders(providers).build();
  }

  private static String[] numbered(int count, String format) {
    return IntStream.range(0, count).mapToObj(i -> String.format(format, i)).toArray(String[]::new);
  }
}
