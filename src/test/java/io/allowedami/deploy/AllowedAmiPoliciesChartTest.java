package io.allowedami.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.aws.KnownRegions;
import io.allowedami.reconcile.SpecValidator;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.CrdSchemaValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart that renders one policy per account of an organization: its documented example renders
 * policies that the API server (the CRD's schema and rules) and the operator both accept, one per
 * account, each with the right role.
 */
class AllowedAmiPoliciesChartTest {
  static final Path CHART = Path.of("charts", "allowed-ami-policies");
  private static final CrdSchemaValidator CRD =
      CrdSchemaValidator.load(CrdFiles.checkedInCrd(), AllowedAmiPolicy.VERSION);

  @TempDir Path temp;

  @Test
  void theOrganizationExampleRendersOneValidPolicyPerAccount() {
    List<JsonNode> rendered =
        render(
            t ->
                t.withValuesFile(
                    Manifests.path(CHART.resolve("ci").resolve("organization-values.yaml"))));

    assertThat(rendered)
        .extracting(p -> p.path("metadata").path("name").asText())
        .containsExactly(
            "allowed-amis-workloads",
            "allowed-amis-555566667777",
            "allowed-amis-666677778888",
            "allowed-amis-management");
    for (JsonNode object : rendered) {
      assertThat(CRD.validate(object)).as("the API server's verdict on %s", object).isEmpty();
      AllowedAmiPolicy policy = Serialization.unmarshal(object.toString(), AllowedAmiPolicy.class);
      assertThat(SpecValidator.validate(policy.getSpec(), KnownRegions::isKnown))
          .as("the operator's verdict on %s", policy.getMetadata().getName())
          .isEmpty();
    }

    JsonNode workloads = rendered.get(0).path("spec");
    assertThat(workloads.path("regions").toString()).isEqualTo("[\"*\"]");
    assertThat(workloads.path("excludeRegions").toString()).isEqualTo("[\"ap-northeast-3\"]");
    assertThat(workloads.path("assumeRole").path("roleArn").asText())
        .isEqualTo("arn:aws:iam::444455556666:role/allowed-ami-operator");
    assertThat(workloads.path("assumeRole").path("externalId").asText())
        .isEqualTo("allowed-ami-operator");
    assertThat(workloads.path("assumeRole").path("sessionName").asText())
        .isEqualTo("allowed-ami-org");

    JsonNode dataPlatform = rendered.get(1).path("spec");
    assertThat(dataPlatform.path("mode").asText()).isEqualTo("enabled");
    assertThat(dataPlatform.path("assumeRole").path("roleArn").asText())
        .isEqualTo("arn:aws:iam::555566667777:role/platform/AllowedAmiOperatorRole");
    assertThat(dataPlatform.path("assumeRole").path("externalId").asText())
        .isEqualTo("data-platform-external-id");

    JsonNode explicit = rendered.get(2).path("spec");
    assertThat(explicit.path("regions").toString()).isEqualTo("[\"us-east-1\",\"eu-west-1\"]");
    assertThat(explicit.has("excludeRegions")).as("only with '*'").isFalse();

    assertThat(rendered.get(3).path("spec").has("assumeRole"))
        .as("the operator's own account")
        .isFalse();
  }

  @Test
  void withoutAccountsNothingIsRendered() {
    assertThat(render(t -> t)).isEmpty();
  }

  @Test
  void anAccountIdWrittenAsANumberIsRefusedWithAMessage() throws Exception {
    Path values = temp.resolve("values.yaml");
    Files.writeString(values, "accounts:\n  - id: 444455556666\n");

    assertThatThrownBy(() -> render(t -> t.withValuesFile(values)))
        .hasMessageContaining("accounts[0].id must be a quoted 12-digit account ID");
  }

  private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) {
    TemplateCommand template = new Helm(Manifests.path(CHART)).template().withName("org");
    String out = values.apply(template).call();
    return out == null ? List.of() : Manifests.documents(out); // helm-java: null for no output
  }
}
