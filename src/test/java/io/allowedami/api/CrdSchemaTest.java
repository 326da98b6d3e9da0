package io.allowedami.api;

import static io.allowedami.testing.CrdSchemaValidator.FORBIDDEN;
import static io.allowedami.testing.CrdSchemaValidator.INVALID;
import static io.allowedami.testing.CrdSchemaValidator.NOT_SUPPORTED;
import static io.allowedami.testing.CrdSchemaValidator.REQUIRED;
import static io.allowedami.testing.CrdSchemaValidator.RULES_NOT_CHECKED;
import static io.allowedami.testing.CrdSchemaValidator.TOO_LONG;
import static io.allowedami.testing.CrdSchemaValidator.TOO_MANY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.api.v1alpha1.Patterns;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.CrdSchemaValidator;
import io.allowedami.testing.CrdSchemaValidator.Violation;
import io.allowedami.testing.SchemaNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the API server admits and refuses under the generated CRD (schema and CEL rules), and why.
 */
class CrdSchemaTest {
  private static final CrdSchemaValidator CRD =
      CrdSchemaValidator.load(CrdFiles.generatedCrd(), AllowedAmiPolicy.VERSION);

  // The rules' messages are what users read from kubectl: changing one is a visible change.
  private static final String NONE_ALONE = "'none' cannot be combined with other providers";
  private static final String EITHER_PROVIDERS_OR_CRITERIA =
      "set either providers or imageCriteria, not both";
  private static final String NEEDS_CRITERIA =
      "mode enabled or audit-mode needs providers or imageCriteria";
  private static final String EMPTY_CRITERION = "a criterion must set at least one field";
  private static final String EMPTY_WATERMARK_FILTER =
      "a watermark filter must set at least one field";
  private static final String SHORT_WILDCARD_NAME =
      "an image name that uses '?' must be at least 3 characters long";
  private static final String REPEATED_REGIONS = "regions must not repeat";
  private static final String WILDCARD_ALONE =
      "'*' (every Region enabled for the account) must stand alone";
  private static final String EXCLUDE_NEEDS_WILDCARD = "excludeRegions needs regions: ['*']";

  // ---- What is accepted ----

  static Stream<Named<Path>> examples() {
    return CrdFiles.examples().stream().map(p -> Named.of(p.getFileName().toString(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExamplePolicyIsAccepted(Path example) {
    assertThat(CRD.validate(CrdFiles.readYaml(example))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExamplePolicyReadsIntoTheJavaModel(Path example) throws Exception {
    AllowedAmiPolicy policy = new YAMLMapper().readValue(example.toFile(), AllowedAmiPolicy.class);

    assertThat(policy.getSpec().getMode()).isNotNull();
    assertThat(policy.getSpec().getRegions()).isNotEmpty();
  }

  @Test
  void disabledModeNeedsNoCriteria() {
    assertAccepted(
        """
        mode: disabled
        regions: [us-east-1]
        """);
  }

  @Test
  void tenCriteriaAreAccepted() {
    assertAccepted(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria: %s
        """
            .formatted(criteria(10)));
  }

  @Test
  void twoHundredDistinctAccountIdsAreAccepted() {
    assertAccepted(
        """
        mode: enabled
        regions: [us-east-1]
        providers: %s
        """
            .formatted(flowList(accountIds(200))));
  }

  @Test
  void noneAloneIsAcceptedAsProviders() {
    assertAccepted(
        """
        mode: enabled
        regions: [us-east-1]
        providers: [none]
        """);
  }

  @Test
  void noneAloneIsAcceptedAsImageProvidersOfACriterion() {
    assertAccepted(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageProviders: [none]
        """);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab?", "???", "a?*"})
  void anImageNameWithAQuestionMarkOfThreeCharactersIsAccepted(String name) {
    assertAccepted(imageName(name));
  }

  @Test
  void anImageNameOf128CharactersIsAccepted() {
    assertAccepted(imageName("a".repeat(128)));
  }

  @Test
  void aProductCodeOf25CharactersIsAccepted() {
    assertAccepted(productCode("a".repeat(25)));
  }

  @Test
  void unknownFieldsArePrunedNotRejected() {
    assertAccepted(
        """
        mode: audit-mode
        regions: [us-east-1]
        providers: [amazon]
        notAField: 1
        """);
  }

  // ---- Schema rejections ----

  @ParameterizedTest
  @ValueSource(strings = {"US-EAST-1", "useast1", "us-east", "us-east-123"})
  void rejectsARegionThatIsNotARegionCode(String region) {
    assertRejected(
        """
        mode: audit-mode
        regions: [us-west-2, %s]
        providers: [amazon]
        """
            .formatted(region),
        "spec.regions[1]",
        INVALID,
        Patterns.REGION_OR_ALL);
  }

  @Test
  void acceptsEveryEnabledRegionWithExclusionsAndASessionName() {
    assertAccepted(
        """
        mode: audit-mode
        regions: ["*"]
        excludeRegions: [us-west-1, ap-south-1]
        providers: [amazon]
        assumeRole:
          roleArn: arn:aws:iam::444455556666:role/AllowedAmiOperatorRole
          sessionName: allowed-ami@cluster-1
        """);
  }

  @ParameterizedTest
  @ValueSource(strings = {"amazonn", "12345678901", "1234567890123", "Amazon"})
  void rejectsAProviderThatIsNeitherAnAliasNorATwelveDigitAccountId(String provider) {
    assertRejected(
        """
        mode: audit-mode
        regions: [us-east-1]
        providers: [amazon, "%s"]
        """
            .formatted(provider),
        "spec.providers[1]",
        INVALID,
        Patterns.PROVIDER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"amazonn", "12345678901"})
  void rejectsAnImageProviderThatIsNeitherAnAliasNorATwelveDigitAccountId(String provider) {
    assertRejected(
        """
        mode: audit-mode
        regions: [us-east-1]
        imageCriteria:
          - imageProviders: ["%s"]
        """
            .formatted(provider),
        "spec.imageCriteria[0].imageProviders[0]",
        INVALID,
        Patterns.PROVIDER);
  }

  @Test
  void rejectsAnUnknownMode() {
    assertRejected(
        """
        mode: "on"
        regions: [us-east-1]
        providers: [amazon]
        """,
        "spec.mode",
        NOT_SUPPORTED,
        "[\"audit-mode\", \"disabled\", \"enabled\"]");
  }

  @Test
  void rejectsMoreThanTenCriteria() {
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria: %s
        """
            .formatted(criteria(11)),
        "spec.imageCriteria",
        TOO_MANY,
        "at most 10");
  }

  @Test
  void rejectsMoreThanTwoHundredProviders() {
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        providers: %s
        """
            .formatted(flowList(accountIds(201))),
        "spec.providers",
        TOO_MANY,
        "at most 200");
  }

  @Test
  void rejectsMoreThanTwoHundredImageProvidersInACriterion() {
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageProviders: %s
        """
            .formatted(flowList(accountIds(201))),
        "spec.imageCriteria[0].imageProviders",
        TOO_MANY,
        "at most 200");
  }

  @Test
  void rejectsMoreThanFiftyImageNames() {
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageNames: %s
        """
            .formatted(flowList(IntStream.range(0, 51).mapToObj(i -> "image-" + i))),
        "spec.imageCriteria[0].imageNames",
        TOO_MANY,
        "at most 50");
  }

  @Test
  void rejectsAnImageNameLongerThan128Characters() {
    assertRejected(
        imageName("a".repeat(129)), "spec.imageCriteria[0].imageNames[0]", TOO_LONG, "at most 128");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ubuntu#22", "al2023|ami", "name\\\\x"})
  void rejectsAnImageNameWithAForbiddenCharacter(String name) {
    assertRejected(
        imageName(name), "spec.imageCriteria[0].imageNames[0]", INVALID, Patterns.IMAGE_NAME);
  }

  @Test
  void rejectsAProductCodeLongerThan25Characters() {
    assertRejected(
        productCode("a".repeat(26)),
        "spec.imageCriteria[0].marketplaceProductCodes[0]",
        TOO_LONG,
        "at most 25");
  }

  @Test
  void rejectsANegativeMaximumDaysSinceCreated() {
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - creationDateCondition:
              maximumDaysSinceCreated: -1
        """,
        "spec.imageCriteria[0].creationDateCondition.maximumDaysSinceCreated",
        INVALID,
        "minimum value of 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "5", "1d", "m5"})
  void rejectsAResyncIntervalThatIsNotAGoDuration(String interval) {
    assertRejected(
        """
        mode: audit-mode
        regions: [us-east-1]
        providers: [amazon]
        resyncInterval: "%s"
        """
            .formatted(interval),
        "spec.resyncInterval",
        INVALID,
        Patterns.DURATION);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:iam::12345678901:role/operator", // 11-digit account
        "arn:aws:iam::123456789012:user/operator", // not a role
        "arn:aws:sts::123456789012:role/operator", // not IAM
        "operator"
      })
  void rejectsARoleArnThatIsNotAnIamRoleArn(String arn) {
    assertRejected(
        """
        mode: audit-mode
        regions: [us-east-1]
        providers: [amazon]
        assumeRole:
          roleArn: "%s"
        """
            .formatted(arn),
        "spec.assumeRole.roleArn",
        INVALID,
        Patterns.ROLE_ARN);
  }

  @Test
  void rejectsAPolicyWithoutRegions() {
    assertRejected(
        """
        mode: audit-mode
        providers: [amazon]
        """,
        "spec.regions",
        REQUIRED,
        "Required value");
  }

  @Test
  void rejectsAPolicyWithoutMode() {
    assertRejected(
        """
        regions: [us-east-1]
        providers: [amazon]
        """,
        "spec.mode",
        REQUIRED,
        "Required value");
  }

  @Test
  void rejectsADayCountBeyondTheJavaModelsIntRange() {
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - deprecationTimeCondition:
              maximumDaysSinceDeprecated: 2147483648
        """,
        "spec.imageCriteria[0].deprecationTimeCondition.maximumDaysSinceDeprecated",
        INVALID,
        "maximum value");
  }

  @Test
  void rejectsAMaxBlockedInstancesBeyondTheJavaModelsIntRange() {
    // RolloutSpec.maxBlockedInstances is an Integer: a larger value would be stored and then fail
    // to
    // deserialize in the operator, so the API server must refuse it like the other Integer fields.
    assertRejected(
        """
        mode: enabled
        regions: [us-east-1]
        providers: [amazon]
        rollout:
          maxBlockedInstances: 2147483648
        """,
        "spec.rollout.maxBlockedInstances",
        INVALID,
        "maximum value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "spec: null"})
  void rejectsAPolicyWithoutSpec(String spec) {
    // A null is dropped as if absent (the schema does not make spec nullable).
    String policy = withMetadata("{name: test-policy}").replaceAll("(?s)spec:.*", spec);

    assertThat(CRD.validate(policy))
        .containsExactly(RULES_NOT_CHECKED, new Violation("spec", REQUIRED, "Required value"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "1000000000.5"})
  void rejectsANumberWithAFractionForAnIntegerEvenWhereTheTypeCheckLetsItPass(String number) {
    // The type check takes a float within a relative 1e-9 of an integer for an integer; the CEL
    // rule on every integer field refuses it (see Limits.INTEGER_RULE).
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        providers: [amazon]
        rollout:
          maxBlockedInstances: %s
        """
            .formatted(number),
        "spec.rollout.maxBlockedInstances",
        INVALID,
        "invalid data, expected int, got float64 evaluating rule: " + Limits.INTEGER_RULE_MESSAGE);
  }

  @Test
  void everyIntegerFieldOfTheSpecCarriesTheIntegerRule() {
    JsonNode spec =
        CrdFiles.openApiSchema(CrdFiles.readYaml(CrdFiles.generatedCrd()), AllowedAmiPolicy.VERSION)
            .path("properties")
            .path("spec");
    assertThat(SchemaNodes.byPath(spec).entrySet())
        .filteredOn(node -> node.getValue().path("type").asText().equals("integer"))
        .isNotEmpty()
        .allSatisfy(
            node ->
                assertThat(
                        node.getValue().path("x-kubernetes-validations").findValuesAsText("rule"))
                    .as(node.getKey())
                    .contains(Limits.INTEGER_RULE));
  }

  @Test
  void doesNotEvaluateRulesOnceTheSchemaFoundABlockingViolation() {
    // Both CEL rules of spec would fail; the API server does not get to them after an enum
    // violation.
    List<Violation> violations =
        CRD.validate(
            policy(
                """
                mode: "on"
                regions: [us-east-1]
                providers: [amazon]
                imageCriteria:
                  - imageProviders: [amazon]
                """));

    assertThat(violations)
        .hasSize(2)
        .contains(RULES_NOT_CHECKED)
        .anySatisfy(
            v -> {
              assertThat(v.field()).isEqualTo("spec.mode");
              assertThat(v.reason()).isEqualTo(NOT_SUPPORTED);
            });
  }

  @Test
  void rejectsAPolicyOfAnotherApiVersion() {
    String policy =
        policy(
                """
                mode: disabled
                regions: [us-east-1]
                """)
            .replace("/" + AllowedAmiPolicy.VERSION, "/v1");

    assertThat(CRD.validate(policy))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("not a ec2.allowedami.io/v1alpha1"));
  }

  // ---- CEL rule rejections ----

  @Test
  void rejectsNoneCombinedWithOtherProviders() {
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        providers: [amazon, none]
        """,
        "spec.providers",
        INVALID,
        NONE_ALONE);
  }

  @Test
  void rejectsNoneCombinedWithOtherImageProvidersInACriterion() {
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageProviders: [amazon]
          - imageProviders: [none, "123456789012"]
        """,
        "spec.imageCriteria[1].imageProviders",
        INVALID,
        NONE_ALONE);
  }

  @Test
  void rejectsProvidersAndImageCriteriaTogether() {
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        providers: [amazon]
        imageCriteria:
          - imageProviders: [amazon]
        """,
        "spec",
        FORBIDDEN,
        EITHER_PROVIDERS_OR_CRITERIA);
  }

  @ParameterizedTest
  @ValueSource(strings = {"enabled", "audit-mode"})
  void rejectsAnEnforcingModeWithoutProvidersOrImageCriteria(String mode) {
    assertRejectedByRule(
        """
        mode: %s
        regions: [us-east-1]
        """
            .formatted(mode),
        "spec",
        REQUIRED,
        NEEDS_CRITERIA);
  }

  @Test
  void rejectsAnEmptyCriterion() {
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageProviders: [amazon]
          - {}
        """,
        "spec.imageCriteria[1]",
        REQUIRED,
        EMPTY_CRITERION);
  }

  @Test
  void rejectsACriterionWhoseOnlyFieldIsUnknown() {
    // Pruning happens before the rules run: an unknown field does not count as setting the
    // criterion.
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageProvider: [amazon]
        """,
        "spec.imageCriteria[0]",
        REQUIRED,
        EMPTY_CRITERION);
  }

  @Test
  void rejectsAnEmptyWatermarkFilter() {
    assertRejectedByRule(
        """
        mode: enabled
        regions: [us-east-1]
        imageCriteria:
          - imageWatermarks:
              - watermarkKey: "123456789012:golden-*"
              - {}
        """,
        "spec.imageCriteria[0].imageWatermarks[1]",
        REQUIRED,
        EMPTY_WATERMARK_FILTER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"?", "a?", "??"})
  void rejectsAnImageNameWithAQuestionMarkShorterThanThreeCharacters(String name) {
    assertRejectedByRule(
        imageName(name), "spec.imageCriteria[0].imageNames", INVALID, SHORT_WILDCARD_NAME);
  }

  @Test
  void rejectsRepeatedRegions() {
    assertRejectedByRule(
        """
        mode: audit-mode
        regions: [us-east-1, eu-west-1, us-east-1]
        providers: [amazon]
        """,
        "spec.regions",
        INVALID,
        REPEATED_REGIONS);
  }

  @Test
  void rejectsTheWildcardBesideARegion() {
    assertRejectedByRule(
        """
        mode: audit-mode
        regions: ["*", us-east-1]
        providers: [amazon]
        """,
        "spec.regions",
        INVALID,
        WILDCARD_ALONE);
  }

  @Test
  void rejectsExcludeRegionsWithoutTheWildcard() {
    assertRejectedByRule(
        """
        mode: audit-mode
        regions: [us-east-1]
        excludeRegions: [us-west-1]
        providers: [amazon]
        """,
        "spec",
        FORBIDDEN,
        EXCLUDE_NEEDS_WILDCARD);
  }

  @Test
  void rejectsASessionNameWithASpace() {
    assertRejected(
        """
        mode: audit-mode
        regions: [us-east-1]
        providers: [amazon]
        assumeRole:
          roleArn: arn:aws:iam::444455556666:role/AllowedAmiOperatorRole
          sessionName: "two words"
        """,
        "spec.assumeRole.sessionName",
        INVALID,
        Patterns.SESSION_NAME);
  }

  // ---- Metadata, which the API server checks for every custom resource ----

  @Test
  void aNameOf253CharactersIsAccepted() {
    assertThat(CRD.validate(withMetadata("{name: " + "a".repeat(253) + "}"))).isEmpty();
    assertThat(CRD.validate(withMetadata("{name: " + "abcdefgh.".repeat(28) + "a}"))).isEmpty();
  }

  @Test
  void aNameOf254CharactersIsRejected() {
    assertThat(CRD.validate(withMetadata("{name: " + "a".repeat(254) + "}")))
        .containsExactly(
            new Violation("metadata.name", INVALID, "must be no more than 253 characters"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"audit-rollout", "prod.eu.audit-rollout", "a", "0", "1.2.3", "a-b--c"})
  void aLowercaseDnsSubdomainIsAcceptedAsName(String name) {
    assertThat(CRD.validate(withMetadata("{name: \"" + name + "\"}"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Audit-Rollout",
        "-audit",
        "audit-",
        ".audit",
        "audit.",
        "audit..rollout",
        "audit.-rollout",
        "audit_rollout",
        "audit rollout",
        "audit/rollout"
      })
  void aNameThatIsNotALowercaseDnsSubdomainIsRejected(String name) {
    assertThat(CRD.validate(withMetadata("{name: \"" + name + "\"}")))
        .containsExactly(
            new Violation("metadata.name", INVALID, CrdSchemaValidator.DNS1123_SUBDOMAIN_MESSAGE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{name: \"\"}", "{}", "{name: 5}"})
  void aPolicyWithoutNameIsRejectedAndItsRulesAreNotChecked(String metadata) {
    // A name that is not a string is dropped as malformed, as if absent.
    String policy =
        withMetadata(metadata).replace("mode: disabled", "mode: enabled"); // breaks a CEL rule

    assertThat(CRD.validate(policy))
        .containsExactly(
            RULES_NOT_CHECKED,
            new Violation("metadata.name", REQUIRED, "name or generateName is required"));
  }

  @Test
  void aGenerateNameIsCheckedAsAPrefixAndTheGeneratedNameAsAName() {
    assertThat(CRD.validate(withMetadata("{generateName: audit-}"))).isEmpty();
    assertThat(CRD.validate(withMetadata("{generateName: " + "a".repeat(253) + "}")))
        .as("the API server keeps 58 characters and appends 5")
        .isEmpty();
    assertThat(CRD.validate(withMetadata("{generateName: Audit-}")))
        .containsExactly(
            new Violation(
                "metadata.generateName", INVALID, CrdSchemaValidator.DNS1123_SUBDOMAIN_MESSAGE),
            new Violation("metadata.name", INVALID, CrdSchemaValidator.DNS1123_SUBDOMAIN_MESSAGE));
  }

  @Test
  void aNamespaceIsClearedNotRejectedOnThisClusterScopedKind() {
    // The API server does not refuse metadata.namespace on a cluster-scoped resource: before
    // validating, the create, update and patch handlers set the namespace to the request's, empty
    // for a cluster-scoped resource (k8s.io/apiserver registry/rest/meta.go,
    // EnsureObjectNamespaceMatchesRequestNamespace). So ValidateObjectMetaAccessor's "not allowed
    // on this type" is never reached through the REST API: the namespace is dropped.
    assertThat(CRD.validate(withMetadata("{name: audit-rollout, namespace: default}"))).isEmpty();
  }

  // ---- Helpers ----

  /** A valid disabled policy with this metadata (a YAML flow mapping). */
  private static String withMetadata(String metadata) {
    return """
    apiVersion: %s/%s
    kind: AllowedAmiPolicy
    metadata: %s
    spec:
      mode: disabled
      regions: [us-east-1]
    """
        .formatted(AllowedAmiPolicy.GROUP, AllowedAmiPolicy.VERSION, metadata);
  }

  private static String policy(String spec) {
    return """
    apiVersion: %s/%s
    kind: AllowedAmiPolicy
    metadata:
      name: test-policy
    spec:
    %s\
    """
        .formatted(AllowedAmiPolicy.GROUP, AllowedAmiPolicy.VERSION, spec.indent(2));
  }

  private static void assertAccepted(String spec) {
    assertThat(CRD.validate(policy(spec))).as("violations").isEmpty();
  }

  /**
   * The API server refuses the policy at exactly {@code field}, among others for {@code reason}
   * with a message containing {@code messageFragment}. It may say that the CEL rules were not
   * checked.
   */
  private static void assertRejected(
      String spec, String field, String reason, String messageFragment) {
    List<Violation> violations = CRD.validate(policy(spec));
    List<Violation> causes = violations.stream().filter(v -> !v.equals(RULES_NOT_CHECKED)).toList();

    assertThat(causes)
        .as("violations")
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.field()).isEqualTo(field));
    assertThat(causes)
        .as("violations")
        .anySatisfy(
            v -> {
              assertThat(v.reason()).isEqualTo(reason);
              assertThat(v.message()).contains(messageFragment);
            });
  }

  /** The API server refuses the policy for this one CEL rule and nothing else. */
  private static void assertRejectedByRule(
      String spec, String field, String reason, String message) {
    assertThat(CRD.validate(policy(spec))).containsExactly(new Violation(field, reason, message));
  }

  private static String imageName(String name) {
    return """
    mode: enabled
    regions: [us-east-1]
    imageCriteria:
      - imageNames: ["%s"]
    """
        .formatted(name);
  }

  private static String productCode(String code) {
    return """
    mode: enabled
    regions: [us-east-1]
    imageCriteria:
      - marketplaceProductCodes: ["%s"]
    """
        .formatted(code);
  }

  /** {@code count} distinct criteria, each valid on its own. */
  private static String criteria(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "{imageNames: [image-" + i + "-*]}")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** {@code count} distinct 12-digit account IDs. */
  private static Stream<String> accountIds(int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("%012d", 100_000_000_000L + i));
  }

  /** A YAML flow sequence of quoted strings. */
  private static String flowList(Stream<String> values) {
    return values.map(v -> '"' + v + '"').collect(Collectors.joining(", ", "[", "]"));
  }
}
