package io.allowedami.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.CrdSchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * How the health check and the operator reach Argo CD: the argocd-cm patch carries the labels Argo
 * CD selects argocd-cm by and health.lua byte for byte, under the key Argo CD reads for this kind;
 * the example Application installs the CRD, the operator and the policies, in that order.
 */
class ArgoCdInstallTest {
  private static final JsonNode PATCH =
      ArgoCdFiles.readYaml(ArgoCdFiles.path(ArgoCdFiles.CM_PATCH));
  private static final JsonNode APPLICATION =
      ArgoCdFiles.readYaml(ArgoCdFiles.path(ArgoCdFiles.APPLICATION));

  @Test
  void thePatchTargetsArgocdCmWithTheLabelsArgoCdSelectsItBy() {
    assertThat(PATCH.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(PATCH.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(PATCH.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    // Argo CD reads only ConfigMaps labelled part-of: argocd (util/settings); no namespace, so
    // that it patches argocd-cm wherever Argo CD runs.
    assertThat(PATCH.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
        .isEqualTo("argocd");
    assertThat(PATCH.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
        .isEqualTo("argocd-cm");
    assertThat(PATCH.path("metadata").has("namespace")).isFalse();
  }

  @Test
  void thePatchCarriesHealthLuaByteForByte() {
    String script = ArgoCdFiles.read(ArgoCdFiles.healthCheck("health.lua"));

    assertThat(fieldNames(PATCH.path("data"))).containsExactly(ArgoCdFiles.HEALTH_KEY);
    assertThat(PATCH.path("data").path(ArgoCdFiles.HEALTH_KEY).textValue()).isEqualTo(script);
  }

  @Test
  void theKeyNamesTheGroupAndKindOfTheCrdAsArgoCdParsesIt() {
    // Argo CD splits what follows resource.customizations.health. at '_' into group and kind.
    JsonNode crd = CrdFiles.readYaml(CrdFiles.generatedCrd());
    String groupKind = ArgoCdFiles.HEALTH_KEY.substring("resource.customizations.health.".length());

    assertThat(groupKind.split("_"))
        .containsExactly(
            crd.path("spec").path("group").asText(),
            crd.path("spec").path("names").path("kind").asText());
  }

  @Test
  void patchingAnExistingArgocdCmKeepsItsLabelsAndSettings() throws IOException {
    // What `kubectl patch --type merge` does (RFC 7386) to argocd-cm as Argo CD installs it.
    ObjectNode argocdCm =
        (ObjectNode)
            ArgoCdFiles.YAML.readTree(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: argocd-cm
                  namespace: argocd
                  labels:
                    app.kubernetes.io/name: argocd-cm
                    app.kubernetes.io/part-of: argocd
                    team: platform
                data:
                  url: https://argocd.example.com
                  resource.customizations.health.cert-manager.io_Certificate: return {}
                """);

    JsonNode patched = mergePatch(argocdCm, PATCH);

    assertThat(patched.path("metadata").path("namespace").asText()).isEqualTo("argocd");
    assertThat(fieldNames(patched.path("metadata").path("labels")))
        .containsExactlyInAnyOrder("app.kubernetes.io/name", "app.kubernetes.io/part-of", "team");
    assertThat(fieldNames(patched.path("data")))
        .containsExactlyInAnyOrder(
            "url",
            "resource.customizations.health.cert-manager.io_Certificate",
            ArgoCdFiles.HEALTH_KEY);
  }

  @Test
  void theApplicationInstallsTheCrdAndTheOperatorFromThisRepository() {
    List<JsonNode> sources = sources();
    assertThat(sources).hasSize(2);
    // Every path exists here: moving a directory must move the Application's source with it.
    for (JsonNode source : sources) {
      assertThat(ArgoCdFiles.path(source.path("path").asText())).isDirectory();
    }
    // The operator's kustomize base, which brings the CRD from crds/.
    Path base = ArgoCdFiles.path(sources.get(0).path("path").asText());
    assertThat(base.resolve("kustomization.yaml")).isRegularFile();
    assertThat(CrdFiles.readYaml(base.resolve("kustomization.yaml")).path("resources").toString())
        .contains("../../crds");
    assertThat(APPLICATION.path("spec").path("destination").path("namespace").asText())
        .isEqualTo("allowed-ami-operator");
  }

  @Test
  void thePoliciesComeInALaterWaveAndSurviveAMissingCrdInTheDryRun() throws IOException {
    Path policies = ArgoCdFiles.path(sources().get(1).path("path").asText());
    List<Path> files = yamlFiles(policies);
    CrdSchemaValidator schema =
        CrdSchemaValidator.load(CrdFiles.generatedCrd(), AllowedAmiPolicy.VERSION);

    assertThat(files).isNotEmpty();
    for (Path file : files) {
      JsonNode policy = CrdFiles.readYaml(file);
      JsonNode annotations = policy.path("metadata").path("annotations");
      assertThat(policy.path("kind").asText()).as(file.toString()).isEqualTo(ArgoCdFiles.KIND);
      // Wave 0 (the default) is the CRD and the operator.
      assertThat(Integer.parseInt(annotations.path("argocd.argoproj.io/sync-wave").asText("0")))
          .as("%s: sync wave", file)
          .isPositive();
      assertThat(annotations.path("argocd.argoproj.io/sync-options").asText())
          .as("%s: sync options", file)
          .contains("SkipDryRunOnMissingResource=true");
      assertThat(schema.validate(policy)).as("%s: admitted by the CRD", file).isEmpty();
    }
  }

  private static List<JsonNode> sources() {
    List<JsonNode> sources = new ArrayList<>();
    APPLICATION.path("spec").path("sources").forEach(sources::add);
    return sources;
  }

  private static List<Path> yamlFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList();
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** JSON merge patch (RFC 7386): objects merge, null removes, anything else replaces. */
  private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : ArgoCdFiles.YAML.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
