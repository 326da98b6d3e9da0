package io.allowedami.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.reconcile.SpecValidator;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.CrdSchemaValidator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One set of rules: thousands of generated specs, valid ones and ones at and just past every bound,
 * each judged by the API server (the CRD's schema and CEL rules, as {@link CrdSchemaValidator}
 * imitates them) and by the operator ({@link PolicyJson#readSpec} then {@link
 * SpecValidator#validate(AllowedAmiPolicySpec)}). The verdicts must agree: what the API server
 * admits, the operator can act on; what reaches the operator around the schema (an old CRD, a
 * schema bypassed) is judged as the API server would have judged it.
 *
 * <p>The seed is printed; {@code -DspecRules.seed=N} explores another sequence. Unknown fields are
 * left out of the agreement on purpose: the two judge them differently by design (see {@link
 * #anUnknownFieldIsDroppedByTheApiServerButReportedByTheOperator}).
 */
class SpecRulesAgreeWithTheCrdTest {
  private static final CrdSchemaValidator CRD =
      CrdSchemaValidator.load(CrdFiles.generatedCrd(), AllowedAmiPolicy.VERSION);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final long SEED = Long.getLong("specRules.seed", 20261124L);
  private static final int SPECS_PER_CLASS = 300;
  private static final int EXAMPLES_PER_CLASS = 3;

  /** A field to leave out. */
  private static final Object ABSENT = new Object();

  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String ALNUM = LOWER + LOWER.toUpperCase() + "0123456789";
  private static final String IMAGE_NAME_CHARS = ALNUM + " ()[]./-'@_*?";
  private static final String EXTERNAL_ID_CHARS = ALNUM + "+=,.@:/-";
  private static final String ROLE_NAME_CHARS = ALNUM + "+=,.@_/-";
  private static final List<String> REAL_REGIONS =
      List.of(
          "us-east-1",
          "us-west-2",
          "eu-west-1",
          "eu-central-2",
          "ap-southeast-5",
          "ap-northeast-3",
          "us-gov-west-1",
          "cn-northwest-1",
          "il-central-1",
          "mx-central-1");

  /** What one side says of a spec, and why. */
  private record Verdict(boolean valid, List<?> reasons) {}

  /** What came of one class of specs. */
  private static final class Tally {
    int valid;
    int invalid;
    int disagreements;
  }

  /** A kind of generated spec: a valid spec, then a change at the edge of one rule. */
  private record SpecClass(String name, BiFunction<Random, ObjectNode, JsonNode> change) {}

  private static final List<SpecClass> ONE_CHANGE =
      List.of(
          new SpecClass("mode", SpecRulesAgreeWithTheCrdTest::mode),
          new SpecClass("providers xor imageCriteria", SpecRulesAgreeWithTheCrdTest::criteriaForm),
          new SpecClass("regions list", SpecRulesAgreeWithTheCrdTest::regionList),
          new SpecClass("region names", SpecRulesAgreeWithTheCrdTest::regionName),
          new SpecClass("'*' and excludeRegions", SpecRulesAgreeWithTheCrdTest::allRegions),
          new SpecClass("providers", SpecRulesAgreeWithTheCrdTest::providers),
          new SpecClass("imageCriteria list", SpecRulesAgreeWithTheCrdTest::criteriaList),
          new SpecClass("imageProviders", SpecRulesAgreeWithTheCrdTest::imageProviders),
          new SpecClass("imageNames", SpecRulesAgreeWithTheCrdTest::imageNames),
          new SpecClass("marketplaceProductCodes", SpecRulesAgreeWithTheCrdTest::productCodes),
          new SpecClass("day conditions", SpecRulesAgreeWithTheCrdTest::dayConditions),
          new SpecClass("imageWatermarks", SpecRulesAgreeWithTheCrdTest::watermarks),
          new SpecClass("resyncInterval", SpecRulesAgreeWithTheCrdTest::resyncInterval),
          new SpecClass("assumeRole", SpecRulesAgreeWithTheCrdTest::assumeRole),
          new SpecClass(
              "rollout and compliance", SpecRulesAgreeWithTheCrdTest::rolloutAndCompliance),
          new SpecClass("launch templates", SpecRulesAgreeWithTheCrdTest::launchTemplates),
          new SpecClass(
              "enforcement, suspend, deletionPolicy", SpecRulesAgreeWithTheCrdTest::lifecycle),
          new SpecClass("nulls", SpecRulesAgreeWithTheCrdTest::aNull),
          new SpecClass("JSON types", SpecRulesAgreeWithTheCrdTest::aWrongType));

  private static final List<SpecClass> CLASSES =
      Stream.concat(
              ONE_CHANGE.stream(),
              Stream.of(
                  new SpecClass("spec itself", SpecRulesAgreeWithTheCrdTest::specItself),
                  new SpecClass("several changes", SpecRulesAgreeWithTheCrdTest::severalChanges)))
          .toList();

  @Test
  void theApiServerAndTheOperatorGiveEveryGeneratedSpecTheSameVerdict() throws Exception {
    Random random = new Random(SEED);
    Map<String, Tally> tallies = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    int generated = 0;
    for (SpecClass specClass : CLASSES) {
      Tally tally = tallies.computeIfAbsent(specClass.name(), name -> new Tally());
      for (int i = 0; i < SPECS_PER_CLASS; i++) {
        // As the API server and the operator get it: JSON text, parsed.
        JsonNode spec = asParsedJson(specClass.change().apply(random, validSpec(random)));
        Verdict apiServer = apiServerVerdict(spec, "generated-" + generated++);
        Verdict operator = operatorVerdict(spec);
        if (apiServer.valid()) {
          tally.valid++;
        } else {
          tally.invalid++;
        }
        if (apiServer.valid() != operator.valid() && tally.disagreements++ < EXAMPLES_PER_CLASS) {
          examples.add(
              "%s #%d: %s%n  API server: %s %s%n  operator:   %s %s"
                  .formatted(
                      specClass.name(),
                      i,
                      cut(spec.toString()),
                      apiServer.valid() ? "valid" : "invalid",
                      apiServer.reasons(),
                      operator.valid() ? "valid" : "invalid",
                      operator.reasons()));
        }
      }
    }

    System.out.printf("SpecRulesAgreeWithTheCrdTest: seed %d, %d specs%n", SEED, generated);
    tallies.forEach(
        (name, tally) ->
            System.out.printf(
                "  %-28s %4d valid %4d invalid %4d disagreements%n",
                name, tally.valid, tally.invalid, tally.disagreements));
    assertThat(tallies.values().stream().mapToInt(tally -> tally.disagreements).sum())
        .as(
            "specs judged differently (seed %d); examples:%n%s",
            SEED, String.join(System.lineSeparator(), examples))
        .isZero();
    assertThat(tallies)
        .as("every class yields valid and invalid specs, or its agreement proves little")
        .allSatisfy(
            (name, tally) -> {
              assertThat(tally.valid).as("%s: valid", name).isPositive();
              assertThat(tally.invalid).as("%s: invalid", name).isPositive();
            });
  }

  @Test
  void anUnknownFieldIsDroppedByTheApiServerButReportedByTheOperator() throws Exception {
    // Deliberately different: the API server prunes what the schema does not declare, so it admits
    // the spec; the operator, reading a field it does not know (a CRD newer than the operator),
    // reports it rather than silently ignore what the user asked for.
    JsonNode spec =
        JSON.readTree(
            "{\"mode\": \"disabled\", \"regions\": [\"us-east-1\"], \"colour\": \"blue\"}");

    assertThat(apiServerVerdict(spec, "unknown-field").valid()).isTrue();
    assertThat(operatorVerdict(spec).reasons())
        .singleElement()
        .asString()
        .startsWith("spec.colour is not a field");
  }

  // ---- The two judges ----

  private static Verdict apiServerVerdict(JsonNode spec, String name) {
    ObjectNode policy =
        NODES
            .objectNode()
            .put("apiVersion", AllowedAmiPolicy.GROUP + "/" + AllowedAmiPolicy.VERSION)
            .put("kind", "AllowedAmiPolicy");
    policy.putObject("metadata").put("name", name);
    if (!spec.isMissingNode()) {
      policy.set("spec", spec);
    }
    List<CrdSchemaValidator.Violation> violations = CRD.validate(policy);
    return new Verdict(violations.isEmpty(), violations);
  }

  private static Verdict operatorVerdict(JsonNode spec) {
    // Jackson hands a null or absent spec to the model as null, without reading it.
    AllowedAmiPolicySpec read =
        spec.isMissingNode() || spec.isNull() ? null : PolicyJson.readSpec(spec);
    List<String> problems = SpecValidator.validate(read);
    return new Verdict(problems.isEmpty(), problems);
  }

  // ---- Valid specs ----

  private static ObjectNode validSpec(Random r) {
    ObjectNode spec = NODES.objectNode();
    String mode = pick(r, "enabled", "audit-mode", "disabled");
    spec.put("mode", mode);
    spec.set("regions", strings(distinctRegions(r, 1 + r.nextInt(4))));
    switch (r.nextInt(mode.equals("disabled") ? 3 : 2)) {
      case 0 ->
          spec.set(
              "providers", list(r, 1 + r.nextInt(3), SpecRulesAgreeWithTheCrdTest::validProvider));
      case 1 -> spec.set("imageCriteria", validCriteria(r));
      default -> {}
    }
    if (r.nextBoolean()) {
      spec.put("resyncInterval", validDuration(r));
    }
    if (r.nextInt(4) == 0) {
      spec.set("assumeRole", validAssumeRole(r));
    }
    if (r.nextInt(4) == 0) {
      spec.putObject("rollout").put("maxBlockedInstances", r.nextInt(1000));
    }
    if (r.nextInt(4) == 0) {
      spec.putObject("compliance").put("sampleSize", r.nextInt(Limits.MAX_SAMPLE_SIZE + 1));
    }
    if (r.nextInt(4) == 0) {
      spec.put("enforcement", pick(r, "Enforce", "ObserveOnly"));
    }
    if (r.nextInt(4) == 0) {
      spec.put("suspend", r.nextBoolean());
    }
    if (r.nextInt(4) == 0) {
      spec.put("deletionPolicy", pick(r, "Retain", "Disable"));
    }
    return spec;
  }

  private static ArrayNode validCriteria(Random r) {
    return list(r, 1 + r.nextInt(3), SpecRulesAgreeWithTheCrdTest::validCriterion);
  }

  private static ObjectNode validCriterion(Random r) {
    ObjectNode criterion = NODES.objectNode();
    while (criterion.isEmpty()) {
      if (r.nextInt(3) == 0) {
        criterion.set(
            "imageProviders",
            list(r, 1 + r.nextInt(3), SpecRulesAgreeWithTheCrdTest::validProvider));
      }
      if (r.nextInt(3) == 0) {
        criterion.set(
            "imageNames", list(r, 1 + r.nextInt(3), SpecRulesAgreeWithTheCrdTest::validImageName));
      }
      if (r.nextInt(4) == 0) {
        criterion.set(
            "marketplaceProductCodes",
            list(r, 1 + r.nextInt(2), SpecRulesAgreeWithTheCrdTest::validProductCode));
      }
      if (r.nextInt(4) == 0) {
        criterion.putObject("creationDateCondition").put("maximumDaysSinceCreated", validDays(r));
      }
      if (r.nextInt(4) == 0) {
        criterion
            .putObject("deprecationTimeCondition")
            .put("maximumDaysSinceDeprecated", validDays(r));
      }
      if (r.nextInt(4) == 0) {
        criterion.set(
            "imageWatermarks",
            list(r, 1 + r.nextInt(2), SpecRulesAgreeWithTheCrdTest::validWatermarkFilter));
      }
    }
    return criterion;
  }

  private static ObjectNode validWatermarkFilter(Random r) {
    ObjectNode filter = NODES.objectNode();
    while (filter.isEmpty()) {
      if (r.nextBoolean()) {
        filter.put("watermarkKey", validWatermarkKey(r));
      }
      if (r.nextInt(3) == 0) {
        filter.put("sourceImageRegion", validRegion(r));
      }
      if (r.nextInt(3) == 0) {
        filter.put("maximumDaysSinceSourceImageCreated", validDays(r));
      }
      if (r.nextInt(3) == 0) {
        filter.put("maximumDaysSinceWatermarkCreated", validDays(r));
      }
    }
    return filter;
  }

  private static ObjectNode validAssumeRole(Random r) {
    ObjectNode role = NODES.objectNode().put("roleArn", validRoleArn(r));
    if (r.nextBoolean()) {
      role.put("externalId", chars(r, EXTERNAL_ID_CHARS, 2 + r.nextInt(64)));
    }
    return role;
  }

  private static String validRegion(Random r) {
    return r.nextBoolean() ? pick(r, REAL_REGIONS) : syntheticRegion(r);
  }

  /** A name of Region shape; so many exist that 41 of them are distinct. */
  private static String syntheticRegion(Random r) {
    return chars(r, LOWER, 2) + "-" + chars(r, LOWER, 3 + r.nextInt(8)) + "-" + r.nextInt(100);
  }

  private static List<String> distinctRegions(Random r, int count) {
    Set<String> regions = new LinkedHashSet<>();
    while (regions.size() < count) {
      regions.add(regions.size() < 3 ? validRegion(r) : syntheticRegion(r));
    }
    return new ArrayList<>(regions);
  }

  private static String validProvider(Random r) {
    return pick(r, "amazon", "aws-marketplace", "aws-backup-vault", accountId(r));
  }

  private static String accountId(Random r) {
    return String.format("%012d", r.nextLong(1_000_000_000_000L));
  }

  private static String validImageName(Random r) {
    String name = chars(r, IMAGE_NAME_CHARS, 1 + r.nextInt(40));
    return name.contains("?") && name.length() < Limits.MIN_IMAGE_NAME_WITH_QUESTION_MARK
        ? "ab" + name
        : name;
  }

  private static String validProductCode(Random r) {
    return chars(r, ALNUM, 1 + r.nextInt(Limits.MAX_PRODUCT_CODE_LENGTH));
  }

  private static int validDays(Random r) {
    return pick(r, 0, r.nextInt(3650), r.nextInt(Limits.MAX_DAYS), Limits.MAX_DAYS);
  }

  private static String validWatermarkKey(Random r) {
    return chars(r, "0123456789*?", 1 + r.nextInt(12))
        + ":"
        + chars(r, IMAGE_NAME_CHARS, 1 + r.nextInt(40));
  }

  /** Between 10s and 24h, as the operator's users write durations. */
  private static String validDuration(Random r) {
    int seconds = 10 + r.nextInt(24 * 3600 - 9);
    return switch (r.nextInt(4)) {
      case 0 -> seconds + "s";
      case 1 -> Math.max(1, seconds / 60) + "m";
      case 2 -> Math.max(1, seconds / 3600) + "h";
      default -> seconds / 3600 + "h" + seconds / 60 % 60 + "m" + seconds % 60 + "s";
    };
  }

  private static String validRoleArn(Random r) {
    return "arn:"
        + pick(r, "aws", "aws-us-gov", "aws-cn")
        + ":iam::"
        + accountId(r)
        + ":role/"
        + chars(r, ROLE_NAME_CHARS, 1 + r.nextInt(30));
  }

  // ---- Changes at the edge of each rule ----

  private static JsonNode mode(Random r, ObjectNode spec) {
    set(
        spec,
        "mode",
        pick(
            r,
            "enabled",
            "audit-mode",
            "disabled",
            "",
            "Enabled",
            "on",
            "audit_mode",
            " disabled",
            1,
            true,
            List.of("enabled"),
            Map.of(),
            null,
            ABSENT));
    return spec;
  }

  private static JsonNode criteriaForm(Random r, ObjectNode spec) {
    spec.put("mode", pick(r, "enabled", "audit-mode", "disabled"));
    spec.remove(List.of("providers", "imageCriteria"));
    int form = r.nextInt(4);
    if (form == 1 || form == 3) {
      spec.set("providers", list(r, 1 + r.nextInt(3), SpecRulesAgreeWithTheCrdTest::validProvider));
    }
    if (form == 2 || form == 3) {
      spec.set("imageCriteria", validCriteria(r));
    }
    return spec;
  }

  private static JsonNode regionList(Random r, ObjectNode spec) {
    int max = Limits.MAX_REGIONS;
    int size = pick(r, 0, 1, 2, max - 1, max, max + 1, 1 + r.nextInt(60));
    ArrayNode regions = strings(distinctRegions(r, size));
    if (size > 1 && r.nextInt(4) == 0) {
      regions.set(r.nextInt(size), regions.get(r.nextInt(size))); // perhaps a repeat
    }
    set(spec, "regions", pick(r, regions, regions, regions, regions, null, ABSENT));
    return spec;
  }

  private static JsonNode regionName(Random r, ObjectNode spec) {
    if (!spec.path("regions").isArray()) { // after another change
      spec.set("regions", strings(distinctRegions(r, 1)));
    }
    ArrayNode regions = (ArrayNode) spec.get("regions");
    regions.add(validRegion(r));
    int at = r.nextInt(regions.size());
    regions.set(
        at, r.nextInt(5) == 0 ? regions.get((at + 1) % regions.size()) : node(regionBoundary(r)));
    return spec;
  }

  /** '*' alone or beside Regions, with or without an exclusion list at its edges. */
  private static JsonNode allRegions(Random r, ObjectNode spec) {
    String region = validRegion(r);
    set(
        spec,
        "regions",
        pick(
            r,
            List.of("*"),
            List.of("*"),
            List.of("*"),
            List.of("*", region),
            List.of(region, "*"),
            List.of("*", "*"),
            List.of(region)));
    if (r.nextInt(4) != 0) {
      int max = Limits.MAX_REGIONS;
      int size = pick(r, 0, 1, 2, max, max + 1, 1 + r.nextInt(5));
      ArrayNode excluded = strings(distinctRegions(r, size));
      if (size > 1 && r.nextInt(4) == 0) {
        excluded.set(r.nextInt(size), excluded.get(r.nextInt(size))); // perhaps a repeat
      }
      if (size > 0 && r.nextInt(4) == 0) {
        excluded.set(r.nextInt(size), node(pick(r, "*", "US-EAST-1", "", "eu-west-123")));
      }
      set(spec, "excludeRegions", pick(r, excluded, excluded, excluded, null, "us-east-1"));
    }
    return spec;
  }

  private static Object regionBoundary(Random r) {
    return pick(
        r,
        validRegion(r),
        "*",
        "ab-" + "c".repeat(Limits.MAX_REGION_LENGTH - 5) + "-1",
        "ab-" + "c".repeat(Limits.MAX_REGION_LENGTH - 4) + "-1",
        "eu-west-01",
        "eu-west-123",
        "US-EAST-1",
        "us-east",
        "useast1",
        "abc-east-1",
        "u-east-1",
        "us-east-1-1",
        "",
        " us-east-1",
        "us-east-1\n",
        "us-east-1 ",
        "us-\u00ebast-1",
        null,
        1,
        List.of("us-east-1"));
  }

  private static JsonNode providers(Random r, ObjectNode spec) {
    spec.remove("imageCriteria");
    set(spec, "providers", providerListBoundary(r));
    return spec;
  }

  private static JsonNode imageProviders(Random r, ObjectNode spec) {
    set(someCriterion(r, spec), "imageProviders", providerListBoundary(r));
    return spec;
  }

  private static Object providerListBoundary(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> List.of("none");
      case 1 ->
          pick(
              r,
              List.of("none", validProvider(r)),
              List.of(validProvider(r), "none"),
              List.of("none", "none"));
      default ->
          listBoundary(
              r,
              Limits.MAX_PROVIDERS,
              SpecRulesAgreeWithTheCrdTest::validProvider,
              SpecRulesAgreeWithTheCrdTest::providerBoundary);
    };
  }

  private static Object providerBoundary(Random r) {
    return pick(
        r,
        validProvider(r),
        "none",
        accountId(r),
        "12345678901",
        "1234567890123",
        "Amazon",
        "amazonn",
        "aws_marketplace",
        "aws-backup-vaults",
        "",
        " amazon",
        "123456789012 ",
        null,
        123456789012L,
        true);
  }

  private static JsonNode criteriaList(Random r, ObjectNode spec) {
    spec.remove("providers");
    set(
        spec,
        "imageCriteria",
        listBoundary(
            r,
            Limits.MAX_CRITERIA,
            SpecRulesAgreeWithTheCrdTest::validCriterion,
            SpecRulesAgreeWithTheCrdTest::criterionBoundary));
    return spec;
  }

  private static Object criterionBoundary(Random r) {
    ObjectNode criterion = validCriterion(r);
    // A null field is pruned: the criterion may be left with no field.
    List<String> fields = new ArrayList<>();
    criterion.fieldNames().forEachRemaining(fields::add);
    criterion.putNull(pick(r, fields));
    return pick(r, criterion, Map.of(), null, "amazon", List.of(), 5);
  }

  private static JsonNode imageNames(Random r, ObjectNode spec) {
    set(
        someCriterion(r, spec),
        "imageNames",
        listBoundary(
            r,
            Limits.MAX_VALUES,
            SpecRulesAgreeWithTheCrdTest::validImageName,
            SpecRulesAgreeWithTheCrdTest::imageNameBoundary));
    return spec;
  }

  private static Object imageNameBoundary(Random r) {
    int max = Limits.MAX_IMAGE_NAME_LENGTH;
    return pick(
        r,
        validImageName(r),
        "a",
        "a".repeat(max),
        "a".repeat(max + 1),
        "?".repeat(max),
        "?",
        "a?",
        "??",
        "ab?",
        "???",
        "a?b?",
        "*",
        "?*",
        "ubuntu/images/*",
        "name (1) [x] 'q' @_-.",
        "a#b",
        "a|b",
        "a\\b",
        "\u00e9",
        "a\nb",
        "a\tb",
        "<a>",
        "a,b",
        "",
        null,
        7);
  }

  private static JsonNode productCodes(Random r, ObjectNode spec) {
    int max = Limits.MAX_PRODUCT_CODE_LENGTH;
    set(
        someCriterion(r, spec),
        "marketplaceProductCodes",
        listBoundary(
            r,
            Limits.MAX_VALUES,
            SpecRulesAgreeWithTheCrdTest::validProductCode,
            random ->
                pick(
                    random,
                    validProductCode(random),
                    "a",
                    "a".repeat(max),
                    "a".repeat(max + 1),
                    "abc-1",
                    "a b",
                    "\u00e91",
                    "",
                    null,
                    5)));
    return spec;
  }

  private static JsonNode dayConditions(Random r, ObjectNode spec) {
    ObjectNode criterion = someCriterion(r, spec);
    boolean created = r.nextBoolean();
    String condition = created ? "creationDateCondition" : "deprecationTimeCondition";
    if (r.nextInt(6) == 0) {
      set(criterion, condition, pick(r, Map.of(), null, "x", List.of(), 5));
    } else {
      set(
          criterion.putObject(condition),
          created ? "maximumDaysSinceCreated" : "maximumDaysSinceDeprecated",
          integerBoundary(r, Limits.MAX_DAYS));
    }
    return spec;
  }

  private static JsonNode watermarks(Random r, ObjectNode spec) {
    set(
        someCriterion(r, spec),
        "imageWatermarks",
        listBoundary(
            r,
            Limits.MAX_VALUES,
            SpecRulesAgreeWithTheCrdTest::validWatermarkFilter,
            SpecRulesAgreeWithTheCrdTest::watermarkFilterBoundary));
    return spec;
  }

  private static Object watermarkFilterBoundary(Random r) {
    ObjectNode filter = validWatermarkFilter(r);
    switch (r.nextInt(6)) {
      case 0 -> {
        return pick(r, Map.of(), null, "x", 5, List.of());
      }
      case 1 -> set(filter, "watermarkKey", watermarkKeyBoundary(r));
      case 2 -> set(filter, "sourceImageRegion", regionBoundary(r));
      case 3 ->
          set(filter, "maximumDaysSinceSourceImageCreated", integerBoundary(r, Limits.MAX_DAYS));
      case 4 ->
          set(filter, "maximumDaysSinceWatermarkCreated", integerBoundary(r, Limits.MAX_DAYS));
      default -> filter.fieldNames().forEachRemaining(name -> filter.putNull(name));
    }
    return filter;
  }

  private static Object watermarkKeyBoundary(Random r) {
    return pick(
        r,
        validWatermarkKey(r),
        "1:a",
        "1:",
        ":a",
        "*:golden-*",
        "?:x",
        "123456789012:" + "a".repeat(Limits.MAX_IMAGE_NAME_LENGTH),
        "123456789012:" + "a".repeat(Limits.MAX_IMAGE_NAME_LENGTH + 1),
        "1234567890123:a",
        "abc",
        "a:b",
        "12:na#me",
        "",
        null,
        5,
        ABSENT);
  }

  private static JsonNode resyncInterval(Random r, ObjectNode spec) {
    set(
        spec,
        "resyncInterval",
        pick(
            r,
            validDuration(r),
            "9s",
            "10s",
            "24h",
            "24h1s",
            "86400s",
            "86401s",
            "1440m",
            "1441m",
            "1h1h",
            "0h0m10s",
            "23h59m60s",
            "24h0m0s",
            "000000000000010s",
            "0000000000000010s",
            "999999999999999h",
            "1".repeat(100) + "s",
            "9999999999999999",
            "",
            "1d",
            "5 minutes",
            "-10s",
            "1.5h",
            "10ms",
            "1h-1m",
            "s",
            "10",
            null,
            10,
            true,
            ABSENT));
    return spec;
  }

  private static JsonNode assumeRole(Random r, ObjectNode spec) {
    if (r.nextInt(8) == 0) {
      set(spec, "assumeRole", pick(r, Map.of(), null, "arn", 5, List.of()));
      return spec;
    }
    ObjectNode role = validAssumeRole(r);
    if (r.nextInt(3) == 0) {
      int max = Limits.MAX_SESSION_NAME_LENGTH;
      set(
          role,
          "sessionName",
          pick(
              r,
              chars(r, ALNUM + "_+=,.@-", 1),
              chars(r, ALNUM + "_+=,.@-", 2),
              chars(r, ALNUM + "_+=,.@-", 2 + r.nextInt(max - 1)),
              chars(r, ALNUM + "_+=,.@-", max),
              chars(r, ALNUM + "_+=,.@-", max + 1),
              "ab c",
              "a/b",
              "",
              null,
              5,
              ABSENT));
    } else if (r.nextBoolean()) {
      String account = accountId(r);
      set(
          role,
          "roleArn",
          pick(
              r,
              validRoleArn(r),
              "arn:aws:iam::" + account + ":role/" + "r".repeat(512),
              "arn:aws:iam::" + account + ":role/" + "r".repeat(513),
              "arn:aws:iam::12345678901:role/operator",
              "arn:aws:iam::" + account + ":user/operator",
              "arn:aws:sts::" + account + ":role/operator",
              "arn:aws:iam::" + account + ":role/",
              "operator",
              "",
              null,
              5,
              ABSENT));
    } else {
      int max = Limits.MAX_EXTERNAL_ID_LENGTH;
      set(
          role,
          "externalId",
          pick(
              r,
              chars(r, EXTERNAL_ID_CHARS, 1),
              chars(r, EXTERNAL_ID_CHARS, 2),
              chars(r, EXTERNAL_ID_CHARS, 2 + r.nextInt(max - 1)),
              chars(r, EXTERNAL_ID_CHARS, max),
              chars(r, EXTERNAL_ID_CHARS, max + 1),
              "ab#c",
              "ab c",
              "\u00e9t\u00e9",
              "",
              null,
              5,
              ABSENT));
    }
    spec.set("assumeRole", role);
    return spec;
  }

  private static JsonNode rolloutAndCompliance(Random r, ObjectNode spec) {
    boolean rollout = r.nextBoolean();
    String object = rollout ? "rollout" : "compliance";
    if (r.nextInt(6) == 0) {
      set(spec, object, pick(r, Map.of(), null, 5, "x", List.of()));
    } else {
      set(
          spec.putObject(object),
          rollout ? "maxBlockedInstances" : "sampleSize",
          integerBoundary(r, rollout ? Integer.MAX_VALUE : Limits.MAX_SAMPLE_SIZE));
    }
    return spec;
  }

  /** The scan switch, its interval, and the gate that needs the scan. */
  private static JsonNode launchTemplates(Random r, ObjectNode spec) {
    ObjectNode compliance =
        spec.has("compliance") && spec.get("compliance").isObject()
            ? (ObjectNode) spec.get("compliance")
            : spec.putObject("compliance");
    switch (r.nextInt(3)) {
      case 0 ->
          set(
              compliance,
              "launchTemplateScanInterval",
              pick(
                  r,
                  validDuration(r),
                  "59s",
                  "1m",
                  "60s",
                  "24h",
                  "24h1s",
                  "1441m",
                  "0s",
                  "1h30m",
                  "",
                  "1d",
                  "soon",
                  null,
                  60,
                  ABSENT));
      case 1 ->
          set(compliance, "scanLaunchTemplates", pick(r, true, false, "false", 0, null, ABSENT));
      default -> {
        set(
            spec.putObject("rollout"),
            "maxBlockedLaunchTemplates",
            integerBoundary(r, Integer.MAX_VALUE));
        set(compliance, "scanLaunchTemplates", pick(r, true, false, ABSENT));
      }
    }
    return spec;
  }

  private static JsonNode lifecycle(Random r, ObjectNode spec) {
    switch (r.nextInt(3)) {
      case 0 ->
          set(
              spec,
              "enforcement",
              pick(
                  r,
                  "Enforce",
                  "ObserveOnly",
                  "",
                  "enforce",
                  "observe-only",
                  "Audit",
                  1,
                  null,
                  ABSENT));
      case 1 -> set(spec, "suspend", pick(r, true, false, "true", 1, null, ABSENT));
      default ->
          set(
              spec,
              "deletionPolicy",
              pick(r, "Retain", "Disable", "", "Delete", "retain", "Orphan", true, null, ABSENT));
    }
    return spec;
  }

  /** A null in place of a field (pruned by the API server) or of a list item (a type error). */
  private static JsonNode aNull(Random r, ObjectNode spec) {
    pick(r, slots(spec)).set(NODES.nullNode());
    return spec;
  }

  /** A value of another JSON type in place of a field or a list item; sometimes no change. */
  private static JsonNode aWrongType(Random r, ObjectNode spec) {
    if (r.nextInt(6) > 0) {
      Slot slot = pick(r, slots(spec));
      slot.set(wrongType(r, goJsonType(slot.get())));
    }
    return spec;
  }

  private static JsonNode specItself(Random r, ObjectNode spec) {
    return node(
        pick(r, spec, spec, MissingNode.getInstance(), null, Map.of(), "enabled", List.of(), 5));
  }

  private static JsonNode severalChanges(Random r, ObjectNode spec) {
    for (int i = 0, changes = 2 + r.nextInt(2); i < changes; i++) {
      pick(r, ONE_CHANGE).change().apply(r, spec);
    }
    return spec;
  }

  // ---- Values ----

  /** An integer field's edges (0, -1, max, max + 1, beyond int64), floats and other types. */
  private static Object integerBoundary(Random r, int max) {
    BigInteger twoTo64 = BigInteger.TWO.pow(64);
    return pick(
        r,
        0,
        1,
        r.nextInt(max),
        max,
        max,
        -1,
        (long) max + 1,
        Integer.MIN_VALUE,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        twoTo64,
        twoTo64.negate(),
        1.0,
        (double) max,
        -0.0,
        new BigDecimal("1E+1"),
        3.0000000001,
        1_000_000_000.5,
        1.5,
        0.5,
        "5",
        "",
        true,
        List.of(),
        Map.of(),
        null,
        ABSENT);
  }

  /**
   * A list of valid items at a size bound (0, 1, max, max + 1...), often with one item at an edge;
   * sometimes not a list.
   */
  private static Object listBoundary(
      Random r, int max, Function<Random, Object> validItem, Function<Random, Object> edgeItem) {
    if (r.nextInt(10) == 0) {
      return wrongType(r, "array");
    }
    int size = pick(r, 0, 1, 1, 2, 3, max - 1, max, max + 1);
    ArrayNode list = list(r, size, validItem);
    if (size > 0 && r.nextInt(3) > 0) {
      list.set(r.nextInt(size), node(edgeItem.apply(r)));
    }
    return list;
  }

  /** A value whose JSON type is not {@code type}; never an object with fields (unknown fields). */
  private static JsonNode wrongType(Random r, String type) {
    List<JsonNode> values =
        Stream.of("text", "", 5, 1.5, true, List.of(), List.of("x"), List.of(1), Map.of())
            .map(SpecRulesAgreeWithTheCrdTest::node)
            .filter(value -> !goJsonType(value).equals(type))
            .toList();
    return pick(r, values);
  }

  /** The JSON type the API server sees (an int64 integer, or a float "number"). */
  private static String goJsonType(JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return "integer";
    }
    return value.isNumber() ? "number" : value.getNodeType().name().toLowerCase();
  }

  // ---- Places in a spec ----

  /** A field of an object or an item of a list, somewhere in a spec. */
  private record Slot(JsonNode parent, String field, int index) {
    JsonNode get() {
      return field == null ? parent.get(index) : parent.get(field);
    }

    void set(JsonNode value) {
      if (field == null) {
        ((ArrayNode) parent).set(index, value);
      } else {
        ((ObjectNode) parent).set(field, value);
      }
    }
  }

  private static List<Slot> slots(JsonNode node) {
    List<Slot> slots = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames()
          .forEachRemaining(
              field -> {
                slots.add(new Slot(node, field, -1));
                slots.addAll(slots(node.get(field)));
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        slots.add(new Slot(node, null, i));
        slots.addAll(slots(node.get(i)));
      }
    }
    return slots;
  }

  /** One of the spec's criteria, imageCriteria made the spec's form of criteria. */
  private static ObjectNode someCriterion(Random r, ObjectNode spec) {
    spec.remove("providers");
    if (!spec.path("imageCriteria").isArray() || spec.get("imageCriteria").isEmpty()) {
      spec.set("imageCriteria", validCriteria(r));
    }
    ArrayNode criteria = (ArrayNode) spec.get("imageCriteria");
    int at = r.nextInt(criteria.size());
    if (!criteria.get(at).isObject()) { // after another change
      criteria.set(at, validCriterion(r));
    }
    return (ObjectNode) criteria.get(at);
  }

  // ---- Helpers ----

  /** Writes the value as JSON text and parses it back, as it reaches either side. */
  private static JsonNode asParsedJson(JsonNode value) throws Exception {
    return value.isMissingNode() ? value : JSON.readTree(JSON.writeValueAsString(value));
  }

  /** A Java value as JSON: String, Integer, Long, BigInteger, Double, BigDecimal, List, Map... */
  private static JsonNode node(Object value) {
    return value instanceof JsonNode json ? json : JSON.valueToTree(value);
  }

  private static void set(ObjectNode object, String field, Object value) {
    if (value == ABSENT) {
      object.remove(field);
    } else {
      object.set(field, node(value));
    }
  }

  private static ArrayNode list(Random r, int size, Function<Random, ?> item) {
    ArrayNode list = NODES.arrayNode(size);
    for (int i = 0; i < size; i++) {
      list.add(node(item.apply(r)));
    }
    return list;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode list = NODES.arrayNode(values.size());
    values.forEach(list::add);
    return list;
  }

  private static String chars(Random r, String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static <T> T pick(Random r, List<T> choices) {
    return choices.get(r.nextInt(choices.size()));
  }

  private static String cut(String text) {
    return text.length() <= 1500 ? text : text.substring(0, 1500) + "…";
  }
}
