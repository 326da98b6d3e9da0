package io.allowedami.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.testing.CrdFiles;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where kubectl is installed, its kustomize builds deploy/ as the other tests read it: the base
 * gives exactly the objects {@link Manifests#build} lists, and the example overlay changes the
 * image. Skipped without kubectl (it is not part of the build's requirements).
 */
class DeployKustomizeBuildTest {

  @Test
  void kustomizeBuildsTheBaseAsTheTestsReadIt() {
    List<JsonNode> built = Manifests.documents(kustomize(Manifests.BASE));
    List<JsonNode> read = Manifests.build(Manifests.BASE);
    assertThat(built).hasSameSizeAs(read);
    for (JsonNode object : read) {
      // kustomize writes the CRD generator's 2.147483647E9 as 2147483647: compare numbers by value.
      assertThat(built)
          .as(Manifests.id(object))
          .anyMatch(b -> b.equals(DeployKustomizeBuildTest::sameValue, object));
    }
  }

  @Test
  void theExampleOverlayReplacesTheImageInOneEntry() {
    Path overlay = Manifests.OVERLAYS.resolve("example");
    List<JsonNode> built = Manifests.documents(kustomize(overlay));
    String image =
        Manifests.kustomization(overlay).path("images").get(0).path("newName").asText()
            + ":"
            + Manifests.kustomization(overlay).path("images").get(0).path("newTag").asText();
    Deployment deployment = Manifests.find(built, Deployment.class, Manifests.NAME);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(image);
  }

  private static int sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  }

  private static String kustomize(Path relativeDir) {
    Path dir = CrdFiles.baseDir().resolve(relativeDir);
    try {
      Process process =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("kubectl kustomize %s", relativeDir).isZero();
      return out;
    } catch (IOException e) {
      assumeTrue(false, "kubectl is not installed: " + e.getMessage());
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
