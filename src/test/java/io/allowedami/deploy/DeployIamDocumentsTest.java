package io.allowedami.deploy;

import static io.allowedami.deploy.Manifests.BASE;
import static io.allowedami.deploy.Manifests.NAME;
import static io.allowedami.deploy.Manifests.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.testing.CrdFiles;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The IAM documents under iam/ are well-formed and agree with deploy/: the trust policies name the
 * base's ServiceAccount, the cross-account trust asks for the external ID the example policy sends.
 * That the permissions are exactly what the operator calls is {@link DeployPermissionsTest}'s part.
 */
class DeployIamDocumentsTest {
  private static final Set<String> WRITES =
      Set.of(
          "ec2:EnableAllowedImagesSettings",
          "ec2:DisableAllowedImagesSettings",
          "ec2:ReplaceImageCriteriaInAllowedImagesSettings");

  private final ServiceAccount serviceAccount =
      Manifests.find(Manifests.build(BASE), ServiceAccount.class, NAME);

  @Test
  void everyDocumentIsAnIamPolicyThatOnlyAllows() {
    List<Path> files = Manifests.filesUnder(IamDocuments.IAM);
    assertThat(files.stream().map(f -> f.getFileName().toString()))
        .contains(
            "operator-policy.json",
            "read-only-policy.json",
            "assume-member-roles-policy.json",
            "trust-irsa.json",
            "trust-pod-identity.json",
            "trust-cross-account.json",
            "README.md");
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!name.endsWith(".json")) {
        continue;
      }
      JsonNode document = IamDocuments.read(name);
      assertThat(document.path("Version").asText()).as(name).isEqualTo("2012-10-17");
      List<JsonNode> statements = IamDocuments.statements(document);
      assertThat(statements).as(name).isNotEmpty();
      for (JsonNode statement : statements) {
        assertThat(statement.path("Effect").asText()).as(name).isEqualTo("Allow");
        assertThat(IamDocuments.list(statement.path("Action"))).as(name).isNotEmpty();
        boolean trust = name.startsWith("trust-");
        assertThat(statement.has("Principal"))
            .as("%s: a trust policy names a principal", name)
            .isEqualTo(trust);
        assertThat(statement.has("Resource"))
            .as("%s: an identity policy names resources", name)
            .isEqualTo(!trust);
      }
    }
  }

  @Test
  void theReadOnlyPolicyIsTheOperatorPolicyWithoutItsWrites() {
    Set<String> expected = new TreeSet<>(IamDocuments.allowedActions("operator-policy.json"));
    assertThat(expected).containsAll(WRITES);
    expected.removeAll(WRITES);
    assertThat(IamDocuments.allowedActions("read-only-policy.json")).isEqualTo(expected);
  }

  @Test
  void theIrsaTrustPolicyTrustsTheBasesServiceAccount() {
    JsonNode statement = only("trust-irsa.json");
    assertThat(statement.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    String provider = statement.path("Principal").path("Federated").asText();
    assertThat(provider).matches("arn:aws:iam::\\d{12}:oidc-provider/.+");
    String host = provider.substring(provider.indexOf(":oidc-provider/") + 15);
    JsonNode equals = statement.path("Condition").path("StringEquals");
    assertThat(equals.path(host + ":sub").asText())
        .isEqualTo(
            "system:serviceaccount:" + NAMESPACE + ":" + serviceAccount.getMetadata().getName());
    assertThat(equals.path(host + ":aud").asText()).isEqualTo("sts.amazonaws.com");
  }

  @Test
  void thePodIdentityTrustPolicyTrustsTheBasesServiceAccount() {
    JsonNode statement = only("trust-pod-identity.json");
    assertThat(statement.path("Principal").path("Service").asText())
        .isEqualTo("pods.eks.amazonaws.com");
    assertThat(IamDocuments.list(statement.path("Action")).stream().map(JsonNode::asText))
        .containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");
    JsonNode equals = statement.path("Condition").path("StringEquals");
    assertThat(equals.path("aws:RequestTag/kubernetes-namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(equals.path("aws:RequestTag/kubernetes-service-account").asText())
        .isEqualTo(serviceAccount.getMetadata().getName());
  }

  @Test
  void theCrossAccountDocumentsFitTheCrossAccountExample() {
    JsonNode example =
        Manifests.documents(CrdFiles.baseDir().resolve("deploy/examples/04-cross-account.yaml"))
            .get(0)
            .path("spec")
            .path("assumeRole");
    JsonNode trust = only("trust-cross-account.json");
    assertThat(trust.path("Action").asText()).isEqualTo("sts:AssumeRole");
    assertThat(trust.path("Condition").path("StringEquals").path("sts:ExternalId").asText())
        .isEqualTo(example.path("externalId").asText());
    // The member trusts the operator's role: the role the ServiceAccount is annotated with.
    assertThat(trust.path("Principal").path("AWS").asText())
        .isEqualTo(serviceAccount.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"));
    JsonNode assume = only("assume-member-roles-policy.json");
    assertThat(assume.path("Action").asText()).isEqualTo("sts:AssumeRole");
    assertThat(IamDocuments.list(assume.path("Resource")).stream().map(JsonNode::asText))
        .contains(example.path("roleArn").asText())
        .allMatch(arn -> arn.matches("arn:aws:iam::\\d{12}:role/.+"));
  }

  private static JsonNode only(String fileName) {
    List<JsonNode> statements = IamDocuments.statements(IamDocuments.read(fileName));
    assertThat(statements).as(fileName).hasSize(1);
    return statements.get(0);
  }
}
