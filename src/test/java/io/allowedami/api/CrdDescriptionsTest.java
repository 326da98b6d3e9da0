package io.allowedami.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.SchemaNodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What users see of the CRD without reading code: kubectl explain, short names, kubectl get
 * columns.
 */
class CrdDescriptionsTest {
  private static final JsonNode CRD = CrdFiles.readYaml(CrdFiles.generatedCrd());
  private static final JsonNode VERSION = CrdFiles.version(CRD, AllowedAmiPolicy.VERSION);
  private static final Map<String, JsonNode> SCHEMA =
      SchemaNodes.byPath(CrdFiles.openApiSchema(CRD, AllowedAmiPolicy.VERSION));

  @Test
  void everyPropertyHasADescriptionForKubectlExplain() {
    List<String> properties = SCHEMA.keySet().stream().filter(SchemaNodes::isProperty).toList();
    List<String> undescribed =
        properties.stream()
            .filter(path -> SCHEMA.get(path).path("description").asText().isBlank())
            .toList();

    // The walk reaches the deepest properties of spec and status, through lists and nested objects.
    assertThat(properties)
        .contains(
            "spec.imageCriteria[].imageWatermarks[].watermarkKey",
            "spec.imageCriteria[].creationDateCondition.maximumDaysSinceCreated",
            "status.regions[].error.code",
            "status.conditions[].observedGeneration");
    assertThat(undescribed)
        .as("properties without a description (add @JsonPropertyDescription)")
        .isEmpty();
  }

  @Test
  void kubectlExplainDescribesTheResourceItself() {
    // `kubectl explain allowedamipolicy` prints the root schema's description.
    assertThat(CrdFiles.openApiSchema(CRD, AllowedAmiPolicy.VERSION).path("description").asText())
        .isEqualTo(AllowedAmiPolicy.DESCRIPTION)
        .startsWith("AllowedAmiPolicy declares the EC2 Allowed AMIs setting");
  }

  @Test
  void isClusterScopedWithShortNamesAndACategory() {
    JsonNode names = CRD.path("spec").path("names");
    assertThat(CRD.path("spec").path("scope").asText()).isEqualTo("Cluster");
    assertThat(texts(names.path("shortNames"))).containsExactlyInAnyOrder("aap", "amipolicy");
    // `kubectl get allowedami` lists the operator's resources.
    assertThat(texts(names.path("categories"))).containsExactly("allowedami");
  }

  @Test
  void hasTheStatusSubresource() {
    assertThat(VERSION.path("subresources").path("status").isObject())
        .as("subresources.status")
        .isTrue();
  }

  @Test
  void kubectlGetShowsTheColumnsInTheirDeliberateOrder() {
    // What a policy asks, how far it got, what it finds, whether it is done, how old it is; the
    // priority-1 columns (-o wide) sit next to the column they explain.
    assertThat(texts(VERSION.path("additionalPrinterColumns"), "name"))
        .containsExactly("Mode", "Regions", "Not-Allowed", "Would-Block", "Ready", "Reason", "Age");
    List<String> shownWithoutWide =
        StreamSupport.stream(VERSION.path("additionalPrinterColumns").spliterator(), false)
            .filter(column -> column.path("priority").asInt(0) == 0)
            .map(column -> column.path("name").asText())
            .toList();
    assertThat(shownWithoutWide).containsExactly("Mode", "Regions", "Not-Allowed", "Ready", "Age");
  }

  @Test
  void kubectlGetShowsModeReadyRegionsAndAge() {
    Map<String, JsonNode> columns = new LinkedHashMap<>();
    VERSION.path("additionalPrinterColumns").forEach(c -> columns.put(c.path("name").asText(), c));

    assertThat(columns).containsKeys("Mode", "Ready", "Regions", "Age");
    assertColumn(columns.get("Mode"), ".spec.mode", "string");
    assertColumn(columns.get("Ready"), ".status.conditions[?(@.type==\"Ready\")].status", "string");
    assertColumn(columns.get("Regions"), ".status.regionsInSync", "string");
    assertColumn(columns.get("Age"), ".metadata.creationTimestamp", "date");
  }

  @Test
  void everyPrinterColumnShowsAFieldOfTheSchema() {
    // A column whose field was renamed shows nothing, silently.
    VERSION
        .path("additionalPrinterColumns")
        .forEach(
            column -> {
              String jsonPath = column.path("jsonPath").asText();
              if (!jsonPath.startsWith(".metadata.")) {
                String schemaPath = jsonPath.substring(1).replaceAll("\\[\\?\\(.*?\\)\\]", "[]");
                assertThat(SCHEMA)
                    .as("column %s: %s", column.path("name").asText(), jsonPath)
                    .containsKey(schemaPath);
              }
            });
  }

  private static void assertColumn(JsonNode column, String jsonPath, String type) {
    String name = column.path("name").asText();
    assertThat(column.path("jsonPath").asText()).as("%s jsonPath", name).isEqualTo(jsonPath);
    assertThat(column.path("type").asText()).as("%s type", name).isEqualTo(type);
    assertThat(column.path("priority").asInt(0))
        .as("%s priority (0: shown without -o wide)", name)
        .isZero();
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(item -> item.path(field).asText())
        .toList();
  }
}
