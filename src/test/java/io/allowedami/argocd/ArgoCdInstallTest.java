package io.allowedami.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allowedami.testing.CrdFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the health check and the operator reach Argo CD: the argocd-cm patch carries the labels Argo
 * CD selects argocd-cm by and health.lua byte for byte, under the key Argo CD reads for this kind.
 */
class ArgoCdInstallTest {
  private static final JsonNode PATCH =
      ArgoCdFiles.readYaml(ArgoCdFiles.path(ArgoCdFiles.CM_PATCH));

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
