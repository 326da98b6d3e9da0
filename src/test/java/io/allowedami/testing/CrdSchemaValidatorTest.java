package io.allowedami.testing;

import static io.allowedami.testing.CrdSchemaValidator.INVALID;
import static io.allowedami.testing.CrdSchemaValidator.RULES_NOT_CHECKED;
import static io.allowedami.testing.CrdSchemaValidator.TYPE_INVALID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.allowedami.testing.CrdSchemaValidator.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the API server judges JSON differently from a JSON Schema library, the validator follows
 * the API server (the sources are named in {@link CrdSchemaValidator}'s comment).
 */
class CrdSchemaValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final CrdSchemaValidator GADGETS =
      CrdSchemaValidator.fromYaml(
          """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata:
            name: gadgets.example.com
          spec:
            group: example.com
            names: {kind: Gadget, plural: gadgets}
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
                          count: {type: integer, minimum: 0, maximum: 10}
                          checked:
                            type: integer
                            x-kubernetes-validations:
                              - {rule: self >= 0, message: must not be negative}
                          tags:
                            type: array
                            maxItems: 5
                            items: {type: string, maxLength: 8}
                          label: {type: string}
          """,
          "v1");

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "5e0", "-0.0", "3.0000000001"})
  void aFloatWithin1e9OfAnIntegerPassesForAnInteger(String count) throws Exception {
    assertThat(validate("{\"count\": " + count + "}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "0.5", "9.999"})
  void aFloatFurtherFromAnIntegerIsNotAnInteger(String count) throws Exception {
    assertThat(validate("{\"count\": " + count + "}"))
        .contains(
            new Violation(
                "spec.count",
                TYPE_INVALID,
                "spec.count in body must be of type integer: \"number\""));
  }

  @Test
  void anIntegerBeyondInt64IsDecodedAsAFloatAndIsNotAnInteger() throws Exception {
    assertThat(validate("{\"count\": 9223372036854775807}"))
        .singleElement()
        .satisfies(v -> assertThat(v.reason()).isEqualTo(INVALID));
    assertThat(validate("{\"count\": 9223372036854775808}"))
        .contains(
            new Violation(
                "spec.count",
                TYPE_INVALID,
                "spec.count in body must be of type integer: \"number\""),
            RULES_NOT_CHECKED);
  }

  @Test
  void aFloatThatPassedForAnIntegerIsAnErrorForTheRulesOnIt() throws Exception {
    assertThat(validate("{\"checked\": 1}")).isEmpty();
    assertThat(validate("{\"checked\": 1.0}"))
        .containsExactly(
            new Violation(
                "spec.checked",
                INVALID,
                "invalid data, expected int, got float64 evaluating rule: must not be negative"));
  }

  @Test
  void aNullInAnObjectFieldIsDroppedButANullListItemIsATypeError() throws Exception {
    assertThat(validate("{\"label\": null, \"count\": null}")).isEmpty();
    assertThat(validate("{\"tags\": [\"a\", null]}"))
        .contains(
            new Violation(
                "spec.tags[1]",
                TYPE_INVALID,
                "spec.tags[1] in body must be of type string: \"null\""));
  }

  @Test
  void isFloat64AJsonIntegerAgreesWithGoOpenApiSwag() {
    // conv/convert_format_test.go of go-openapi/swag v0.27.1
    double max = 9007199254740991.0;
    assertThat(List.of(0.0, 1.0, max, -max, 1 / 0.01 * 67.15000001, 3.0, Double.MIN_VALUE / 2))
        .allSatisfy(
            f -> assertThat(CrdSchemaValidator.isFloat64AJsonInteger(f)).as("%s", f).isTrue());
    assertThat(
            List.of(
                Double.POSITIVE_INFINITY,
                max + 1,
                -max - 1,
                Double.MIN_VALUE,
                0.5,
                0.25,
                1e-9,
                Double.NaN))
        .allSatisfy(
            f -> assertThat(CrdSchemaValidator.isFloat64AJsonInteger(f)).as("%s", f).isFalse());
  }

  private static List<Violation> validate(String specJson) throws Exception {
    return GADGETS.validate(
        JSON.readTree(
            "{\"apiVersion\": \"example.com/v1\", \"kind\": \"Gadget\","
                + " \"metadata\": {\"name\": \"g\"}, \"spec\": "
                + specJson
                + "}"));
  }
}
