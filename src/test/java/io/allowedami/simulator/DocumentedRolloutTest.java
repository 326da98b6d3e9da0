package io.allowedami.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedImagesSettingsEnabledState;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GetAllowedImagesSettingsResponse;
import software.amazon.awssdk.services.ec2.model.ImageCriterionRequest;
import software.amazon.awssdk.services.ec2.model.InstanceImageMetadata;

/** AWS's documented rollout, Region by Region, run with the real SDK against the default world. */
class DocumentedRolloutTest {

  @Test
  void auditModeThenCriteriaThenFindNonAllowedInstancesThenEnabledInEveryRegion() {
    try (Ec2Simulator sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0)) {
      for (String region : List.of("us-east-1", "eu-west-1", "ap-southeast-2")) {
        try (Ec2Client ec2 = SimulatorClients.ec2(sim, region)) {
          ec2.enableAllowedImagesSettings(
              r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.AUDIT_MODE));
          ec2.replaceImageCriteriaInAllowedImagesSettings(
              r ->
                  r.imageCriteria(
                      ImageCriterionRequest.builder()
                          .imageProviders(
                              "amazon", "aws-marketplace", DefaultWorld.THIRD_PARTY_OWNER)
                          .build()));

          List<InstanceImageMetadata> notAllowed =
              ec2
                  .describeInstanceImageMetadataPaginator(
                      r ->
                          r.filters(Filter.builder().name("image-allowed").values("false").build()))
                  .instanceImageMetadata()
                  .stream()
                  .toList();
          assertThat(notAllowed)
              .allSatisfy(m -> assertThat(m.imageMetadata().imageAllowed()).isFalse());
          List<InstanceImageMetadata> all =
              ec2.describeInstanceImageMetadataPaginator(r -> {}).instanceImageMetadata().stream()
                  .toList();
          assertThat(all)
              .filteredOn(m -> Boolean.TRUE.equals(m.imageMetadata().imageAllowed()))
              .isNotEmpty();

          ec2.enableAllowedImagesSettings(
              r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.ENABLED));
          GetAllowedImagesSettingsResponse settings = ec2.getAllowedImagesSettings(r -> {});
          assertThat(settings.state()).isEqualTo("enabled");
          assertThat(settings.imageCriteria())
              .singleElement()
              .satisfies(
                  c ->
                      assertThat(c.imageProviders())
                          .containsExactly(
                              "amazon", "aws-marketplace", DefaultWorld.THIRD_PARTY_OWNER));
          assertThat(settings.managedByAsString()).isEqualTo("account");
        }
      }
      assertThat(
              sim.outOfBand()
                  .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "us-west-2")
                  .state()
                  .wire())
          .isEqualTo("disabled");
    }
  }
}
