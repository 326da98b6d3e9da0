package io.allowedami.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a custom resource against a CRD the way the API server does, so CRD tests need no
 * cluster: prune unknown fields, check the OpenAPI schema, then evaluate every {@code
 * x-kubernetes-validations} rule with CEL where it is declared (skipped where the value is absent,
 * and altogether when the schema check found a type, required, enum or size violation, as the API
 * server does).
 *
 * <p>Patterns are matched as Go's regexp does (RE2, unanchored). A pattern Go cannot compile makes
 * the API server refuse the whole CRD; such patterns are listed by {@link #patternErrors()} and
 * matched with java.util.regex meanwhile, so that one bad pattern does not hide every other
 * finding.
 *
 * <p>It models the schema keywords this project's CRD uses and fails loudly on any other keyword
 * (defaults, list types, int-or-string, formats, messageExpression...) instead of silently
 * accepting what the API server would judge differently. CEL rules are compiled against types
 * derived from the schema, with the standard CEL library (not Kubernetes' extension libraries): a
 * misspelt field is a compile error here as it is for the API server.
 */
public final class CrdSchemaValidator {

  /**
   * Kubernetes' field error types ({@code metav1.CauseType}), which are also the rules' {@code
   * reason}s.
   */
  public static final String REQUIRED = "FieldValueRequired";

  public static final String INVALID = "FieldValueInvalid";
  public static final String NOT_SUPPORTED = "FieldValueNotSupported";
  public static final String TOO_LONG = "FieldValueTooLong";
  public static final String TOO_MANY = "FieldValueTooMany";
  public static final String TYPE_INVALID = "FieldValueTypeInvalid";
  public static final String FORBIDDEN = "FieldValueForbidden";

  /** Schema violations after which the API server does not evaluate CEL rules. */
  private static final Set<String> BLOCKING =
      Set.of(REQUIRED, NOT_SUPPORTED, TOO_LONG, TOO_MANY, TYPE_INVALID);

  /** What the API server adds when it skipped the CEL rules because of a blocking violation. */
  public static final Violation RULES_NOT_CHECKED =
      new Violation(
          "",
          INVALID,
          "some validation rules were not checked because the object was invalid;"
              + " correct the existing errors to complete validation");

  private static final Set<String> SUPPORTED_KEYWORDS =
      Set.of(
          "type",
          "description",
          "properties",
          "required",
          "items",
          "additionalProperties",
          "enum",
          "pattern",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "minProperties",
          "maxProperties",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "nullable",
          "x-kubernetes-validations",
          "x-kubernetes-preserve-unknown-fields");
  private static final Set<String> SUPPORTED_RULE_KEYS = Set.of("rule", "message", "reason");
  private static final Set<String> ROOT_FIELDS_OUTSIDE_SCHEMA =
      Set.of("apiVersion", "kind", "metadata");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** One rejection, in the API server's terms: the field, the cause type and what is wrong. */
  public record Violation(String field, String reason, String message) {
    @Override
    public String toString() {
      return (field.isEmpty() ? "<object>" : field) + ": " + message + " [" + reason + "]";
    }
  }

  /**
   * An {@code x-kubernetes-validations} rule, the schema path it is declared at, and its compile
   * error if any.
   */
  public record Rule(
      String schemaPath,
      String expression,
      String message,
      String reason,
      Optional<String> compileError) {}

  /** A rule and its program; the program is null when the rule does not compile. */
  private record CompiledRule(Rule rule, CelRuntime.Program program) {}

  private final String apiVersion;
  private final String kind;
  private final JsonNode openApiSchema;
  private final JsonSchema structuralSchema;
  private final List<Rule> rules = new ArrayList<>();
  private final List<String> patternErrors = new ArrayList<>();

  /**
   * Rules by the schema node that declares them (identity: two equal subschemas are distinct
   * nodes).
   */
  private final Map<JsonNode, List<CompiledRule>> rulesBySchemaNode = new IdentityHashMap<>();

  private CrdSchemaValidator(JsonNode crd, String version) {
    this.apiVersion = crd.path("spec").path("group").asText() + "/" + version;
    this.kind = crd.path("spec").path("names").path("kind").asText();
    this.openApiSchema = CrdFiles.openApiSchema(crd, version);
    Map<String, JsonNode> schemaNodes = SchemaNodes.byPath(openApiSchema);
    schemaNodes.forEach(CrdSchemaValidator::requireSupportedKeywords);
    schemaNodes.forEach(this::checkPattern);
    this.structuralSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(
                withoutKubernetesExtensions(openApiSchema),
                SchemaValidatorsConfig.builder()
                    .nullableKeywordEnabled(true)
                    .regularExpressionFactory(CrdSchemaValidator::goRegexp)
                    .build());
    schemaNodes.forEach(this::compileRules);
  }

  /** The validator for one version of the CRD in this file. */
  public static CrdSchemaValidator load(Path crdFile, String version) {
    return new CrdSchemaValidator(CrdFiles.readYaml(crdFile), version);
  }

  /** The validator for one version of the CRD in this YAML text. */
  public static CrdSchemaValidator fromYaml(String crdYaml, String version) {
    return new CrdSchemaValidator(parse(crdYaml), version);
  }

  /** Every CEL rule of the schema, in document order. */
  public List<Rule> rules() {
    return List.copyOf(rules);
  }

  /**
   * The patterns Go's regexp cannot compile, as the API server words its refusal of the CRD; empty
   * when every pattern is valid.
   */
  public List<String> patternErrors() {
    return List.copyOf(patternErrors);
  }

  /** Validates a YAML or JSON document. */
  public List<Violation> validate(String yamlOrJson) {
    return validate(parse(yamlOrJson));
  }

  /**
   * The violations the API server would report for this object (empty when it would accept it),
   * sorted by field.
   */
  public List<Violation> validate(JsonNode object) {
    if (!apiVersion.equals(object.path("apiVersion").asText())
        || !kind.equals(object.path("kind").asText())) {
      return List.of(
          new Violation(
              "",
              INVALID,
              "not a "
                  + apiVersion
                  + " "
                  + kind
                  + ": the API server would not route it to this CRD"));
    }
    JsonNode pruned = prune(object, openApiSchema, true);
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage message : structuralSchema.validate(pruned)) {
      violations.add(toViolation(message));
    }
    if (violations.stream().anyMatch(v -> BLOCKING.contains(v.reason()))) {
      violations.add(RULES_NOT_CHECKED);
    } else {
      evaluateRules(pruned, openApiSchema, "", violations);
    }
    violations.sort(
        Comparator.comparing(Violation::field)
            .thenComparing(Violation::reason)
            .thenComparing(Violation::message));
    return List.copyOf(violations);
  }

  private static JsonNode parse(String yamlOrJson) {
    try {
      return YAML.readTree(yamlOrJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not YAML: " + e.getOriginalMessage(), e);
    }
  }

  private static void requireSupportedKeywords(String path, JsonNode schema) {
    for (String keyword : (Iterable<String>) schema::fieldNames) {
      if (!SUPPORTED_KEYWORDS.contains(keyword)) {
        throw new UnsupportedOperationException(
            "schema keyword '"
                + keyword
                + "' at '"
                + path
                + "' is not modelled by CrdSchemaValidator; extend it first");
      }
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      for (String key : (Iterable<String>) rule::fieldNames) {
        if (!SUPPORTED_RULE_KEYS.contains(key)) {
          throw new UnsupportedOperationException(
              "rule key '"
                  + key
                  + "' at '"
                  + path
                  + "' is not modelled by CrdSchemaValidator; extend it first");
        }
      }
    }
  }

  private void checkPattern(String path, JsonNode schema) {
    if (schema.has("pattern")) {
      try {
        Pattern.compile(schema.get("pattern").asText());
      } catch (PatternSyntaxException e) {
        patternErrors.add(
            (path.isEmpty() ? "" : path + ".")
                + "pattern: Invalid value: \""
                + schema.get("pattern").asText()
                + "\": must be a valid regular expression, but isn't: "
                + e.getMessage());
      }
    }
  }

  /**
   * Go's regexp semantics (RE2, unanchored search); java.util.regex for what RE2 refuses (see
   * patternErrors).
   */
  private static RegularExpression goRegexp(String regex) {
    try {
      Pattern pattern = Pattern.compile(regex);
      return value -> pattern.matcher(value).find();
    } catch (PatternSyntaxException e) {
      java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
      return value -> pattern.matcher(value).find();
    }
  }

  /**
   * The schema as plain JSON Schema: the x-kubernetes-* keys mean nothing to a JSON Schema
   * validator.
   */
  private static JsonNode withoutKubernetesExtensions(JsonNode schema) {
    if (schema.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : schema.properties()) {
        if (!field.getKey().startsWith("x-kubernetes-")) {
          // Inside "properties" the keys are field names, which are never filtered.
          copy.set(field.getKey(), withoutKubernetesExtensions(field.getValue()));
        }
      }
      return copy;
    }
    if (schema.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      schema.forEach(element -> copy.add(withoutKubernetesExtensions(element)));
      return copy;
    }
    return schema;
  }

  /**
   * What the API server stores: fields the schema does not declare are dropped (unless it preserves
   * unknown fields), and so are nulls where the schema is not nullable.
   */
  private static JsonNode prune(JsonNode value, JsonNode schema, boolean root) {
    if (value.isArray() && schema.path("items").isObject()) {
      ArrayNode pruned = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> pruned.add(prune(item, schema.get("items"), false)));
      return pruned;
    }
    if (!value.isObject() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return value;
    }
    ObjectNode pruned = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      JsonNode fieldSchema =
          schema.path("properties").has(field.getKey())
              ? schema.get("properties").get(field.getKey())
              : schema.path("additionalProperties").isObject()
                  ? schema.get("additionalProperties")
                  : null;
      if (fieldSchema != null) {
        if (!field.getValue().isNull() || fieldSchema.path("nullable").asBoolean()) {
          pruned.set(field.getKey(), prune(field.getValue(), fieldSchema, false));
        }
      } else if ((root && ROOT_FIELDS_OUTSIDE_SCHEMA.contains(field.getKey()))
          || schema.path("additionalProperties").asBoolean(false)) {
        pruned.set(field.getKey(), field.getValue());
      }
    }
    return pruned;
  }

  private static Violation toViolation(ValidationMessage message) {
    String field = fieldPath(message.getInstanceLocation());
    String text = message.getError();
    return switch (message.getType()) {
      case "required" ->
          new Violation(
              field.isEmpty() ? message.getProperty() : field + "." + message.getProperty(),
              REQUIRED,
              "Required value");
      case "enum" -> new Violation(field, NOT_SUPPORTED, text);
      case "maxLength" -> new Violation(field, TOO_LONG, text);
      case "maxItems", "maxProperties" -> new Violation(field, TOO_MANY, text);
      case "type" -> new Violation(field, TYPE_INVALID, text);
      default -> new Violation(field, INVALID, text);
    };
  }

  /** A JSON node path as Kubernetes writes field paths: spec.imageCriteria[0].imageNames[2]. */
  private static String fieldPath(JsonNodePath path) {
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index) {
        field.append('[').append(index).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(element);
      }
    }
    return field.toString();
  }

  private void compileRules(String path, JsonNode schema) {
    if (!schema.has("x-kubernetes-validations")) {
      return;
    }
    Map<String, CelType> structs = new LinkedHashMap<>();
    CelType selfType = celType(schema, path.isEmpty() ? "object" : path, structs);
    CelTypeProvider types =
        new CelTypeProvider() {
          @Override
          public ImmutableCollection<CelType> types() {
            return ImmutableList.copyOf(structs.values());
          }

          @Override
          public Optional<CelType> findType(String typeName) {
            return Optional.ofNullable(structs.get(typeName));
          }
        };
    Cel cel =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(types)
            .addVar("self", selfType)
            .setResultType(SimpleType.BOOL)
            .build();
    List<CompiledRule> compiled = new ArrayList<>();
    for (JsonNode node : schema.get("x-kubernetes-validations")) {
      String expression = node.path("rule").asText();
      String message =
          node.has("message") ? node.get("message").asText() : "failed rule: " + expression;
      String reason = node.path("reason").asText(INVALID);
      Rule rule;
      CelRuntime.Program program;
      try {
        program = cel.createProgram(cel.compile(expression).getAst());
        rule = new Rule(path, expression, message, reason, Optional.empty());
      } catch (CelValidationException | CelEvaluationException e) {
        program = null;
        rule = new Rule(path, expression, message, reason, Optional.of(e.getMessage()));
      }
      rules.add(rule);
      compiled.add(new CompiledRule(rule, program));
    }
    rulesBySchemaNode.put(schema, compiled);
  }

  /** The CEL type Kubernetes gives a schema node: objects are structs with the declared fields. */
  private static CelType celType(JsonNode schema, String name, Map<String, CelType> structs) {
    switch (schema.path("type").asText()) {
      case "string":
        return SimpleType.STRING;
      case "integer":
        return SimpleType.INT;
      case "number":
        return SimpleType.DOUBLE;
      case "boolean":
        return SimpleType.BOOL;
      case "array":
        return ListType.create(celType(schema.path("items"), name + "[]", structs));
      case "object":
        if (schema.path("additionalProperties").isObject()) {
          return MapType.create(
              SimpleType.STRING, celType(schema.get("additionalProperties"), name + "{}", structs));
        }
        if (schema.has("properties")) {
          Map<String, CelType> fields = new LinkedHashMap<>();
          for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
            fields.put(
                property.getKey(),
                celType(property.getValue(), name + "." + property.getKey(), structs));
          }
          StructType struct =
              StructType.create(
                  name,
                  ImmutableSet.copyOf(fields.keySet()),
                  f -> Optional.ofNullable(fields.get(f)));
          structs.put(name, struct);
          return struct;
        }
        return MapType.create(SimpleType.STRING, SimpleType.DYN);
      default:
        return SimpleType.DYN;
    }
  }

  private void evaluateRules(
      JsonNode value, JsonNode schema, String field, List<Violation> violations) {
    for (CompiledRule compiled : rulesBySchemaNode.getOrDefault(schema, List.of())) {
      Rule rule = compiled.rule();
      if (compiled.program() == null) {
        // The API server would have refused the CRD itself.
        throw new IllegalStateException(
            "rule at '"
                + rule.schemaPath()
                + "' does not compile: "
                + rule.compileError().orElseThrow());
      }
      try {
        if (!Boolean.TRUE.equals(compiled.program().eval(Map.of("self", celValue(value))))) {
          violations.add(new Violation(field, rule.reason(), rule.message()));
        }
      } catch (CelEvaluationException e) {
        violations.add(
            new Violation(
                field,
                INVALID,
                "error evaluating rule `" + rule.expression() + "`: " + e.getMessage()));
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> child : value.properties()) {
        JsonNode childSchema =
            schema.path("properties").has(child.getKey())
                ? schema.get("properties").get(child.getKey())
                : schema.path("additionalProperties").isObject()
                    ? schema.get("additionalProperties")
                    : null;
        if (childSchema != null) {
          String childField =
              schema.path("properties").has(child.getKey())
                  ? (field.isEmpty() ? child.getKey() : field + "." + child.getKey())
                  : field + "[" + child.getKey() + "]";
          evaluateRules(child.getValue(), childSchema, childField, violations);
        }
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(value.get(i), schema.get("items"), field + "[" + i + "]", violations);
      }
    }
  }

  /**
   * A JSON value as Kubernetes hands it to CEL: maps, lists, int (64-bit), double, string, bool.
   */
  private static Object celValue(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new HashMap<>();
      value.properties().forEach(e -> map.put(e.getKey(), celValue(e.getValue())));
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(celValue(item)));
      return list;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isNull()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    return value.asText();
  }
}
