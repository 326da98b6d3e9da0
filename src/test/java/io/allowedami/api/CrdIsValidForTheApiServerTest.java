package io.allowedami.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.CrdSchemaValidator;
import io.allowedami.testing.CrdSchemaValidator.Rule;
import io.allowedami.testing.SchemaNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the API server checks when the CRD is applied, caught at build time instead: CEL rules
 * compile against the schema, patterns compile with Go's regexp, and rules have a bounded estimated
 * cost.
 */
class CrdIsValidForTheApiServerTest {
  private static final JsonNode SCHEMA =
      CrdFiles.openApiSchema(CrdFiles.readYaml(CrdFiles.generatedCrd()), AllowedAmiPolicy.VERSION);
  private static final CrdSchemaValidator CRD =
      CrdSchemaValidator.load(CrdFiles.generatedCrd(), AllowedAmiPolicy.VERSION);

  /** A minimal CRD with one rule over a list of objects, to show what the checks below catch. */
  private static final String WIDGET_CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        names: {kind: Widget, plural: widgets}
        scope: Cluster
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      providers:
                        type: array
                        maxItems: 10
                        items:
                          type: object
                          properties:
                            name: {type: string, maxLength: 16, pattern: '%s'}
                        x-kubernetes-validations:
                          - rule: '%s'
      """;

  private static final String VALID_PATTERN = "^[a-z]+$";

  @Test
  void everyCelRuleCompilesAgainstTheSchema() {
    int declared =
        SchemaNodes.byPath(SCHEMA).values().stream()
            .mapToInt(n -> n.path("x-kubernetes-validations").size())
            .sum();

    assertThat(declared).as("x-kubernetes-validations rules in the CRD").isPositive();
    assertThat(CRD.rules()).hasSize(declared);
    assertThat(CRD.rules())
        .filteredOn(rule -> rule.compileError().isPresent())
        .as("rules that do not compile")
        .isEmpty();
  }

  @Test
  void aRuleNamingAFieldTheSchemaLacksDoesNotCompile() {
    assertThat(widgetRule(VALID_PATTERN, "self.all(p, p.name.size() > 1)").compileError())
        .as("spelt right")
        .isEmpty();
    assertThat(widgetRule(VALID_PATTERN, "self.all(p, p.nmae.size() > 1)").compileError())
        .hasValueSatisfying(error -> assertThat(error).contains("undefined field 'nmae'"));
  }

  @Test
  void aRuleThatIsNotABooleanDoesNotCompile() {
    assertThat(widgetRule(VALID_PATTERN, "self.size()").compileError())
        .hasValueSatisfying(error -> assertThat(error).contains("expected type 'bool'"));
  }

  @Test
  void everyPatternCompilesWithGoRegexp() {
    assertThat(CRD.patternErrors())
        .as("patterns the API server refuses (Go's regexp: RE2, repeat counts at most 1000)")
        .isEmpty();
  }

  @Test
  void aPatternGoCannotCompileIsReported() {
    CrdSchemaValidator widgets =
        CrdSchemaValidator.fromYaml(
            WIDGET_CRD.formatted("^[a-z]{1,1001}$", "self.size() > 0"), "v1");
    CrdSchemaValidator valid =
        CrdSchemaValidator.fromYaml(
            WIDGET_CRD.formatted("^[a-z]{1,1000}$", "self.size() > 0"), "v1");

    assertThat(valid.patternErrors()).isEmpty();
    assertThat(widgets.patternErrors())
        .singleElement()
        .asString()
        .startsWith("spec.providers[].name.pattern: Invalid value:")
        .contains("invalid repeat count");
  }

  @Test
  void everyStringAndListReachedByARuleOverAListIsBounded() {
    assertThat(unboundedUnderListRules(SCHEMA))
        .as("unbounded values under rules over lists (unbounded estimated cost)")
        .isEmpty();
  }

  @Test
  void anUnboundedStringOrListUnderARuleOverAListIsReported() throws Exception {
    JsonNode schema =
        new YAMLMapper()
            .readTree(
                """
                type: object
                properties:
                  tags:
                    type: array
                    maxItems: 10
                    items: {type: string}
                    x-kubernetes-validations:
                      - rule: self.all(t, t.size() > 1)
                  owners:
                    type: array
                    items:
                      type: object
                      properties:
                        name: {type: string, maxLength: 10}
                        email: {type: string}
                      x-kubernetes-validations:
                        - rule: has(self.name)
                  title:
                    type: string
                    x-kubernetes-validations:
                      - rule: self.size() > 1
                """);

    assertThat(unboundedUnderListRules(schema))
        .containsExactly(
            "owners: list without maxItems",
            "owners[].email: string without maxLength",
            "tags[]: string without maxLength");
  }

  /**
   * Strings without maxLength and lists or maps without a maximum size that a rule evaluated over a
   * list or map can reach (the rule is declared on one, or inside one). The API server estimates a
   * rule's cost from these bounds and refuses the CRD when the estimate has none.
   */
  private static List<String> unboundedUnderListRules(JsonNode schema) {
    Map<String, JsonNode> nodes = SchemaNodes.byPath(schema);
    Set<String> findings = new TreeSet<>();
    nodes.forEach(
        (rulePath, ruleNode) -> {
          if (!ruleNode.has("x-kubernetes-validations")) {
            return;
          }
          List<String> enclosing = enclosingCollections(rulePath);
          if (!isCollection(ruleNode) && enclosing.isEmpty()) {
            return;
          }
          enclosing.forEach(path -> unbounded(path, nodes.get(path)).ifPresent(findings::add));
          nodes.forEach(
              (path, node) -> {
                if (isWithin(path, rulePath)) {
                  unbounded(path, node).ifPresent(findings::add);
                }
              });
        });
    return new ArrayList<>(findings);
  }

  private static Optional<String> unbounded(String path, JsonNode node) {
    String type = node.path("type").asText();
    if (type.equals("string") && !node.has("maxLength")) {
      return Optional.of(path + ": string without maxLength");
    }
    if (type.equals("array") && !node.has("maxItems")) {
      return Optional.of(path + ": list without maxItems");
    }
    if (type.equals("object") && node.has("additionalProperties") && !node.has("maxProperties")) {
      return Optional.of(path + ": map without maxProperties");
    }
    return Optional.empty();
  }

  /** The lists and maps a schema path lies inside: "a[].b{}.c" lies inside "a" and "a[].b". */
  private static List<String> enclosingCollections(String path) {
    List<String> enclosing = new ArrayList<>();
    for (int i = 0; i < path.length() - 1; i++) {
      if (path.startsWith("[]", i) || path.startsWith("{}", i)) {
        enclosing.add(path.substring(0, i));
      }
    }
    return enclosing;
  }

  private static boolean isCollection(JsonNode node) {
    return node.path("type").asText().equals("array") || node.has("additionalProperties");
  }

  private static boolean isWithin(String path, String ancestor) {
    return ancestor.isEmpty()
        || path.equals(ancestor)
        || path.startsWith(ancestor + ".")
        || path.startsWith(ancestor + "[]")
        || path.startsWith(ancestor + "{}");
  }

  private static Rule widgetRule(String pattern, String rule) {
    return onlyRule(CrdSchemaValidator.fromYaml(WIDGET_CRD.formatted(pattern, rule), "v1"));
  }

  private static Rule onlyRule(CrdSchemaValidator validator) {
    assertThat(validator.rules()).hasSize(1);
    return validator.rules().get(0);
  }
}
