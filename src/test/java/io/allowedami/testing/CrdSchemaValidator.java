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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
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
 * cluster: prune unknown fields and non-nullable nulls, check metadata.name, check the OpenAPI
 * schema, then evaluate every {@code x-kubernetes-validations} rule with CEL where it is declared
 * (skipped where the value is absent, and altogether when a check found a type, required, enum or
 * size violation, as the API server does).
 *
 * <p>Types are judged as the API server judges them (k8s.io/kube-openapi validate/type.go), not as
 * JSON Schema does: a JSON number is decoded as an int64 when it has no '.' and fits, as a float64
 * otherwise (sigs.k8s.io/json), and a float64 within 1e-9 (relative) of an integer of at most 2^53
 * passes as an {@code integer} (go-openapi/swag conv.IsFloat64AJSONInteger), so {@code 1.0}, {@code
 * 1e3} and even {@code 1000000000.5} pass the type check, while {@code 1.5} and integers beyond
 * int64 do not. CEL sees such a float as an error value where the schema says integer
 * (k8s.io/apiserver pkg/cel/common/valuesunstructured.go): a rule declared on that integer fails
 * with "invalid data, expected int, got float64". A rule declared higher up that reads the integer
 * gets a double here instead of the error (no rule of this project's CRD does that).
 *
 * <p>Nulls: the API server drops a null in an object field whose schema is not nullable
 * (apiextensions-apiserver schema/defaulting/prunenulls.go); a null list item stays and is a type
 * error.
 *
 * <p>Metadata: metadata.name (or, failing it, the name generated from metadata.generateName) must
 * be a DNS-1123 subdomain, as for every custom resource (apiextensions-apiserver
 * registry/customresource/validator.go: ValidateObjectMetaAccessor with NameIsDNSSubdomain). A
 * metadata.namespace on a cluster-scoped resource is not an error: the API server clears it before
 * validating (apiserver registry/rest/meta.go: EnsureObjectNamespaceMatchesRequestNamespace).
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

  /** Largest float64 the API server takes for an integer: 2^53 - 1 (go-openapi/swag). */
  private static final double MAX_JSON_FLOAT = 9007199254740991.0;

  /** DNS-1123 subdomain, as k8s.io/apimachinery's validation.IsDNS1123Subdomain checks names. */
  private static final String DNS1123_SUBDOMAIN_FMT =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("^" + DNS1123_SUBDOMAIN_FMT + "$");
  private static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

  /** The API server's wording (validation.RegexError with dns1123SubdomainErrorMsg). */
  public static final String DNS1123_SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is '"
          + DNS1123_SUBDOMAIN_FMT
          + "')";

  /**
   * generateName: the API server keeps at most 58 characters of it and appends 5 random characters
   * from this alphabet (apiserver storage/names/generate.go, apimachinery util/rand).
   */
  private static final int MAX_GENERATED_NAME_PREFIX = 58;

  private static final String GENERATED_NAME_SUFFIX = "bcdfg";

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
                forJsonSchemaLibrary(openApiSchema),
                SchemaValidatorsConfig.builder()
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
    List<Violation> violations = new ArrayList<>(metadataViolations(pruned.path("metadata")));
    checkTypes(pruned, openApiSchema, "", violations);
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
   * The schema as plain JSON Schema for the library: without the x-kubernetes-* keys, which mean
   * nothing to it, and without type and nullable, which {@link #checkTypes} judges as the API
   * server does.
   */
  private static JsonNode forJsonSchemaLibrary(JsonNode schema) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      String key = keyword.getKey();
      JsonNode value = keyword.getValue();
      if (key.startsWith("x-kubernetes-") || key.equals("type") || key.equals("nullable")) {
        continue;
      }
      switch (key) {
        case "properties" -> {
          // Keys here are field names (a field may be called "type"), never keywords.
          ObjectNode properties = copy.putObject(key);
          value
              .properties()
              .forEach(p -> properties.set(p.getKey(), forJsonSchemaLibrary(p.getValue())));
        }
        case "items", "additionalProperties" ->
            copy.set(key, value.isObject() ? forJsonSchemaLibrary(value) : value);
        default -> copy.set(key, value);
      }
    }
    return copy;
  }

  /**
   * The API server's type check (kube-openapi's typeValidator) of every value that has a schema;
   * the values under a value of the wrong type are not looked at.
   */
  private static void checkTypes(
      JsonNode value, JsonNode schema, String field, List<Violation> violations) {
    String expected = schema.path("type").asText("");
    if (!expected.isEmpty()) {
      String actual = goJsonType(value);
      boolean fits =
          expected.equals(actual)
              || (expected.equals("number") && actual.equals("integer"))
              || (expected.equals("integer")
                  && actual.equals("number")
                  && isFloat64AJsonInteger(value.asDouble()))
              || (actual.equals("null") && schema.path("nullable").asBoolean());
      if (!fits) {
        violations.add(
            new Violation(
                field,
                TYPE_INVALID,
                field + " in body must be of type " + expected + ": \"" + actual + "\""));
        return;
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> child : value.properties()) {
        JsonNode childSchema = childSchema(schema, child.getKey());
        if (childSchema != null) {
          checkTypes(
              child.getValue(), childSchema, childField(schema, field, child.getKey()), violations);
        }
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        checkTypes(value.get(i), schema.get("items"), field + "[" + i + "]", violations);
      }
    }
  }

  /**
   * The JSON type of a value as Go decodes it into an unstructured object (sigs.k8s.io/json): a
   * number is an integer only when it has no fraction or exponent and fits an int64.
   */
  private static String goJsonType(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isObject()) {
      return "object";
    }
    return isInt64(value) ? "integer" : "number";
  }

  private static boolean isInt64(JsonNode value) {
    return value.isIntegralNumber() && value.canConvertToLong();
  }

  /**
   * go-openapi/swag conv.IsFloat64AJSONInteger (v0.27.1, used by kube-openapi's type check): within
   * 2^53 and within a relative 1e-9 of the nearest integer.
   */
  static boolean isFloat64AJsonInteger(double f) {
    if (Double.isNaN(f) || Double.isInfinite(f) || f < -MAX_JSON_FLOAT || f > MAX_JSON_FLOAT) {
      return false;
    }
    // Go's math.Round: half away from zero, exact.
    double rounded = new BigDecimal(f).setScale(0, RoundingMode.HALF_UP).doubleValue();
    if (f == rounded) {
      return true;
    }
    if (rounded == 0) {
      return false;
    }
    return Math.abs(f - rounded) < 1e-9 * Math.abs(rounded);
  }

  /**
   * The API server's checks of metadata.name for a custom resource: required (or generated from
   * generateName), a DNS-1123 subdomain. A name or generateName that is not a string is dropped as
   * malformed (apiextensions-apiserver schema/objectmeta/coerce.go, DropMalformedFields).
   */
  private static List<Violation> metadataViolations(JsonNode metadata) {
    List<Violation> violations = new ArrayList<>();
    String name = metadata.path("name").isTextual() ? metadata.get("name").asText() : "";
    String generateName =
        metadata.path("generateName").isTextual() ? metadata.get("generateName").asText() : "";
    if (!generateName.isEmpty()) {
      for (String message : dns1123Subdomain(maskTrailingDash(generateName))) {
        violations.add(new Violation("metadata.generateName", INVALID, message));
      }
      if (name.isEmpty()) {
        name =
            generateName.substring(0, Math.min(generateName.length(), MAX_GENERATED_NAME_PREFIX))
                + GENERATED_NAME_SUFFIX;
      }
    }
    if (name.isEmpty()) {
      violations.add(new Violation("metadata.name", REQUIRED, "name or generateName is required"));
    } else {
      for (String message : dns1123Subdomain(name)) {
        violations.add(new Violation("metadata.name", INVALID, message));
      }
    }
    // The namespace of a cluster-scoped object is cleared, not refused (see the class comment);
    // that of a namespaced one comes from the request path, which is not modelled here.
    return violations;
  }

  /** validation.IsDNS1123Subdomain's messages; empty when the value is a subdomain. */
  private static List<String> dns1123Subdomain(String value) {
    List<String> messages = new ArrayList<>();
    if (value.getBytes(StandardCharsets.UTF_8).length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      messages.add("must be no more than " + DNS1123_SUBDOMAIN_MAX_LENGTH + " characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).find()) {
      messages.add(DNS1123_SUBDOMAIN_MESSAGE);
    }
    return messages;
  }

  /** A prefix may end with '-': what is appended makes the name valid (NameIsDNSSubdomain). */
  private static String maskTrailingDash(String name) {
    return name.length() > 1 && name.endsWith("-")
        ? name.substring(0, name.length() - 2) + "a"
        : name;
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
      JsonNode fieldSchema = childSchema(schema, field.getKey());
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
      if (schema.path("type").asText().equals("integer") && !isInt64(value)) {
        // A float that passed the type check is an error value for CEL (see the class comment).
        violations.add(
            new Violation(
                field,
                INVALID,
                "invalid data, expected int, got float64 evaluating rule: " + ruleText(rule)));
        continue;
      }
      try {
        if (!Boolean.TRUE.equals(compiled.program().eval(Map.of("self", celValue(value))))) {
          violations.add(new Violation(field, rule.reason(), rule.message()));
        }
      } catch (CelEvaluationException e) {
        violations.add(
            new Violation(field, INVALID, e.getMessage() + " evaluating rule: " + ruleText(rule)));
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> child : value.properties()) {
        JsonNode childSchema = childSchema(schema, child.getKey());
        if (childSchema != null) {
          evaluateRules(
              child.getValue(), childSchema, childField(schema, field, child.getKey()), violations);
        }
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(value.get(i), schema.get("items"), field + "[" + i + "]", violations);
      }
    }
  }

  /** How the API server names a rule in an evaluation error: its message, or its expression. */
  private static String ruleText(Rule rule) {
    return rule.message().equals("failed rule: " + rule.expression())
        ? rule.expression()
        : rule.message();
  }

  /** The schema of an object's field: a declared property, or additionalProperties; else null. */
  private static JsonNode childSchema(JsonNode schema, String name) {
    if (schema.path("properties").has(name)) {
      return schema.get("properties").get(name);
    }
    return schema.path("additionalProperties").isObject()
        ? schema.get("additionalProperties")
        : null;
  }

  /** A field's path as Kubernetes writes it: spec.regions, or metadata.labels[app] in a map. */
  private static String childField(JsonNode schema, String parent, String name) {
    if (schema.path("properties").has(name)) {
      return parent.isEmpty() ? name : parent + "." + name;
    }
    return parent + "[" + name + "]";
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
    if (isInt64(value)) {
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
