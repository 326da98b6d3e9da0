package io.allowedami.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.reconcile.RolloutWarnings;
import io.allowedami.reconcile.StatusBuilder;
import io.allowedami.reconcile.WritesWithheld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The health check's testdata are objects the operator writes: each file is what its StatusBuilder
 * builds for one shape ({@link HealthShapes}), and together they carry every reason it sets. After
 * a change to the status, regenerate them with {@code mvn test -Dtest=ArgoCdHealthTestdataTest
 * -Dargocd.testdata.write=true} and review health_test.yaml.
 */
class ArgoCdHealthTestdataTest {
  private static final String WRITE = "argocd.testdata.write";
  private static final String HEADER =
      "# An AllowedAmiPolicy as allowed-ami-operator writes it (generated from its"
          + " StatusBuilder).\n";

  @TestFactory
  Stream<DynamicTest> eachTestdataFileIsAnObjectTheOperatorWrites() {
    return HealthShapes.all().stream()
        .map(
            shape ->
                dynamicTest(
                    shape.file(),
                    () -> {
                      Path file = testdata().resolve(shape.file());
                      String expected = HEADER + ArgoCdFiles.yaml(shape.object());
                      if (Boolean.getBoolean(WRITE)) {
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, expected);
                      }
                      assertThat(file)
                          .as("%s is missing; write it with -D%s=true", file, WRITE)
                          .isRegularFile();
                      assertThat(ArgoCdFiles.read(file))
                          .as(
                              "%s is not what the operator writes; rewrite it with -D%s=true",
                              file, WRITE)
                          .isEqualTo(expected);
                    }));
  }

  @Test
  void testdataHoldsOnlyTheShapes() throws IOException {
    try (Stream<Path> files = Files.list(testdata())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              HealthShapes.all().stream().map(HealthShapes.Shape::file).toList());
    }
  }

  @Test
  void theShapesCarryEveryReasonTheOperatorSets() {
    Set<String> reasons = new TreeSet<>();
    for (HealthShapes.Shape shape : HealthShapes.all()) {
      shape.object().path("status").path("conditions").forEach(c -> reasons.add(reason(c)));
    }

    assertThat(reasons)
        .containsAll(constants(StatusBuilder.class, "REASON_"))
        .containsAll(constants(complianceStatus(), "REASON_"))
        .containsAll(constants(WritesWithheld.class, "REASON_"))
        .containsAll(constants(RolloutWarnings.class, "REASON_"));
  }

  @Test
  void theShapesCoverEveryCombinationOfReadyReconcilingAndStalled() {
    Set<String> combinations = new TreeSet<>();
    for (HealthShapes.Shape shape : HealthShapes.all()) {
      JsonNode conditions = shape.object().path("status").path("conditions");
      if (!conditions.isMissingNode()) {
        combinations.add(
            "Ready=%s Reconciling=%s Stalled=%s"
                .formatted(
                    status(conditions, "Ready"),
                    status(conditions, "Reconciling"),
                    status(conditions, "Stalled")));
      }
    }

    assertThat(combinations)
        .containsExactlyInAnyOrder(
            "Ready=True Reconciling=False Stalled=False",
            "Ready=False Reconciling=True Stalled=False",
            "Ready=False Reconciling=False Stalled=True",
            "Ready=False Reconciling=True Stalled=True",
            // Writes withheld (spec.suspend, spec.enforcement ObserveOnly): not converging, by
            // request, and not stuck.
            "Ready=False Reconciling=False Stalled=False");
  }

  private static Path testdata() {
    return ArgoCdFiles.healthCheck("testdata");
  }

  private static String reason(JsonNode condition) {
    return condition.path("reason").asText();
  }

  private static String status(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return "absent";
  }

  private static Class<?> complianceStatus() {
    try {
      return Class.forName("io.allowedami.reconcile.ComplianceStatus");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The values of a class's static String constants whose names start with {@code prefix}. */
  private static List<String> constants(Class<?> type, String prefix) {
    return Stream.of(type.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .filter(f -> f.getName().startsWith(prefix))
        .map(ArgoCdHealthTestdataTest::value)
        .toList();
  }

  private static String value(Field field) {
    try {
      field.setAccessible(true);
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
