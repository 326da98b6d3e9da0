package io.allowedami.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allowedami.argocd.ArgoCdLua.HealthStatus;
import io.allowedami.argocd.ArgoCdLua.Libraries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.LuaError;

/**
 * Runs every case of health_test.yaml as Argo CD's test runner does (util/lua/health_test.go): the
 * testdata object as {@code obj}, health.lua's result compared with the expected status and
 * message. Each case runs twice: with the libraries Argo CD opens for a built-in check, and with
 * the fewer it opens for an argocd-cm customization, which is how the check is installed here.
 */
class ArgoCdHealthCheckTest {
  private static final String SCRIPT = ArgoCdFiles.read(ArgoCdFiles.healthCheck("health.lua"));

  record Case(String inputPath, HealthStatus expected) {}

  @TestFactory
  Stream<DynamicTest> everyCaseOfHealthTestYamlHasItsExpectedHealth() {
    return cases().stream()
        .flatMap(
            c ->
                Stream.of(Libraries.values())
                    .map(
                        libraries ->
                            dynamicTest(
                                c.inputPath() + " (" + libraries + ")",
                                () -> {
                                  JsonNode object =
                                      ArgoCdFiles.readYaml(ArgoCdFiles.healthCheck(c.inputPath()));
                                  assertThat(ArgoCdLua.health(SCRIPT, object, libraries))
                                      .isEqualTo(c.expected());
                                })));
  }

  @Test
  void theCasesCoverEveryHealthTheCheckGivesAndEveryTestdataFile() {
    assertThat(cases().stream().map(c -> c.expected().status()).distinct())
        .containsExactlyInAnyOrder("Healthy", "Progressing", "Degraded", "Suspended");
    assertThat(cases().stream().map(c -> Path.of(c.inputPath()).getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(
            HealthShapes.all().stream().map(HealthShapes.Shape::file).toList());
  }

  @Test
  void withoutMetadataGenerationTheConditionsDecide() {
    ObjectNode object = testdata("healthy_converged.yaml");
    ((ObjectNode) object.get("metadata")).remove("generation");

    assertThat(ArgoCdLua.health(SCRIPT, object, Libraries.ARGOCD_CM).status()).isEqualTo("Healthy");
  }

  @Test
  void theRunnerReadsResultsAsArgoCdDoes() {
    ObjectNode object = testdata("suspended.yaml");

    assertThat(ArgoCdLua.health("return {status = 'Fine'}", object, Libraries.ARGOCD_CM))
        .isEqualTo(new HealthStatus("Unknown", ArgoCdLua.INVALID_HEALTH_STATUS));
    assertThat(ArgoCdLua.health("return {}", object, Libraries.ARGOCD_CM))
        .isEqualTo(new HealthStatus("", ""));
    assertThat(ArgoCdLua.health("return {status = 'Healthy'}", object, Libraries.ARGOCD_CM))
        .isEqualTo(new HealthStatus("Healthy", ""));
  }

  @Test
  void anArgocdCmCustomizationHasNoStringLibraryAsInArgoCd() {
    // So that the cases above prove the check needs none of the libraries argocd-cm leaves out.
    ObjectNode object = testdata("suspended.yaml");
    String withStringLibrary = "return {status = 'Healthy', message = string.upper(obj.kind)}";
    String withStringMethod = "return {status = 'Healthy', message = obj.kind:upper()}";

    assertThat(ArgoCdLua.health(withStringLibrary, object, Libraries.OPEN).message())
        .isEqualTo("ALLOWEDAMIPOLICY");
    assertThat(ArgoCdLua.health(withStringMethod, object, Libraries.OPEN).message())
        .isEqualTo("ALLOWEDAMIPOLICY");
    assertThatThrownBy(() -> ArgoCdLua.health(withStringLibrary, object, Libraries.ARGOCD_CM))
        .isInstanceOf(LuaError.class);
    assertThatThrownBy(() -> ArgoCdLua.health(withStringMethod, object, Libraries.ARGOCD_CM))
        .isInstanceOf(LuaError.class);
    assertThat(
            ArgoCdLua.health(
                    "return {status = 'Healthy', message = os.date('!%Y', 0)}",
                    object, Libraries.ARGOCD_CM)
                .message())
        .isEqualTo("1970");
  }

  private static ObjectNode testdata(String file) {
    return (ObjectNode) ArgoCdFiles.readYaml(ArgoCdFiles.healthCheck("testdata/" + file));
  }

  private static List<Case> cases() {
    JsonNode tests =
        ArgoCdFiles.readYaml(ArgoCdFiles.healthCheck("health_test.yaml")).path("tests");
    List<Case> cases = new ArrayList<>();
    for (JsonNode test : tests) {
      JsonNode health = test.path("healthStatus");
      cases.add(
          new Case(
              test.path("inputPath").asText(),
              new HealthStatus(health.path("status").asText(), health.path("message").asText())));
    }
    assertThat(cases).as("health_test.yaml has tests").isNotEmpty();
    return cases;
  }
}
