package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static AllowedAmiPolicySpec spec(String yaml) {
    try {
      return YAML.readValue(yaml, AllowedAmiPolicySpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Stream<Path> examples() throws Exception {
    return Files.list(Path.of("deploy", "examples"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExamplePolicyIsValid(Path example) throws Exception {
    AllowedAmiPolicy policy =
        Serialization.unmarshal(Files.readString(example), AllowedAmiPolicy.class);
    assertThat(SpecValidator.validate(policy.getSpec())).isEmpty();
  }

  static Stream<Arguments> invalidSpecs() {
    String providers201 =
        IntStream.range(0, 201)
            .mapToObj(i -> "\"%012d\"".formatted(i))
            .reduce((a, b) -> a + "," + b)
            .orElseThrow();
    String criteria11 =
        "["
            + String.join(",", java.util.Collections.nCopies(11, "{imageProviders: [amazon]}"))
            + "]";
    String names51 =
        IntStream.range(0, 51).mapToObj(i -> "n" + i).reduce((a, b) -> a + "," + b).orElseThrow();
    return Stream.of(
        Arguments.of(
            "{mode: enabled, regions: [US-EAST-1], providers: [amazon]}",
            "is not an AWS Region name"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1, us-east-1], providers: [amazon]}",
            "listed more than once"),
        Arguments.of("{mode: enabled, regions: [], providers: [amazon]}", "at least one Region"),
        Arguments.of("{mode: enabled, providers: [amazon]}", "at least one Region"),
        Arguments.of("{regions: [us-east-1], providers: [amazon]}", "spec.mode is required"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazonn]}",
            "'amazonn' is not a provider"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [\"12345678901\"]}",
            "is not a provider"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [none, amazon]}",
            "'none' cannot be combined"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [" + providers201 + "]}",
            "at most 200"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1]}", "needs spec.providers or spec.imageCriteria"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], imageCriteria:"
                + " [{imageProviders: [amazon]}]}",
            "not both"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: " + criteria11 + "}",
            "at most 10"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{}]}",
            "must set at least one field"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{imageProviders: [none,"
                + " amazon]}]}",
            "'none' cannot be combined"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{imageNames: [\"a?\"]}]}",
            "at least 3 characters"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{imageNames: [\"bad#name\"]}]}",
            "is not an image name"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{imageNames: ["
                + names51
                + "]}]}",
            "1 to 50 values"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{marketplaceProductCodes:"
                + " [abcdefghijklmnopqrstuvwxyz]}]}",
            "is not a product code"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{creationDateCondition:"
                + " {maximumDaysSinceCreated: -1}}]}",
            "must be between 0 and 2147483647, was -1"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{creationDateCondition: {}}]}",
            "maximumDaysSinceCreated is required"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], imageCriteria: [{imageWatermarks:"
                + " [{watermarkKey: nocolon}]}]}",
            "is not accountId:name"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], resyncInterval: 5 minutes}",
            "is not a duration"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], assumeRole: {roleArn:"
                + " arn:aws:iam::123:role/x}}",
            "is not an IAM role ARN"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], compliance: {sampleSize:"
                + " 51}}",
            "between 0 and 50"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], resyncInterval: 9s}",
            "must be between 10s and 24h"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], resyncInterval: 24h1s}",
            "must be between 10s and 24h"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], resyncInterval:"
                + " 999999999999999h}",
            "must be between 10s and 24h"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1], providers: [amazon], resyncInterval:"
                + " 1234567890123456h}",
            "is not a duration"),
        Arguments.of(
            "{mode: enabled, regions: [us-east-1, abcdefghijklmnopqrstuvwxyzabcdef-1],"
                + " providers: [amazon]}",
            "is not an AWS Region name"));
  }

  @Test
  void whenARegionHasTheRightShapeButDoesNotExist_thenItIsNamed() {
    List<String> problems =
        SpecValidator.validate(
            spec("{mode: enabled, regions: [us-east-1, us-east-9], providers: [amazon]}"),
            io.allowedami.aws.KnownRegions::isKnown);
    assertThat(problems)
        .containsExactly(
            "spec.regions: 'us-east-9' is not a Region AWS has (not in this operator's AWS SDK)");
  }

  @Test
  void everyRegionOfTheSimulatorsWorldIsKnown() {
    assertThat(io.allowedami.simulator.SimulatorWorld.DEFAULT_REGIONS)
        .allSatisfy(r -> assertThat(io.allowedami.aws.KnownRegions.isKnown(r)).as(r).isTrue());
  }

  @Test
  void whenAValueIsHuge_thenTheProblemQuotesABoundedPart() {
    String huge = "x".repeat(10_000);
    List<String> problems =
        SpecValidator.validate(
            spec("{mode: " + huge + ", regions: [" + huge + "], providers: [" + huge + "]}"));
    assertThat(problems).hasSize(3).allSatisfy(p -> assertThat(p).hasSizeLessThan(200));
    assertThat(String.join("; ", problems)).contains("characters cut");
  }

  @Test
  void whenTheSpecCouldNotBeRead_thenItsProblemIsTheOnlyOne() {
    AllowedAmiPolicySpec unreadable =
        io.allowedami.api.v1alpha1.PolicyJson.readSpec(
            YAML.valueToTree(java.util.Map.of("mode", "enabled", "regions", 5)));
    assertThat(SpecValidator.validate(unreadable)).containsExactly("spec.regions must be a list");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidSpecs")
  void invalidSpecIsRejectedWithAMessageNamingTheProblem(String yaml, String expected) {
    List<String> problems = SpecValidator.validate(spec(yaml));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void whenModeIsUnknown_thenTheSpecStillDeserialisesAndIsReported() {
    assertThat(
            SpecValidator.validate(
                spec("{mode: \"on\", regions: [us-east-1], providers: [amazon]}")))
        .containsExactly("spec.mode 'on' is not one of enabled, audit-mode, disabled");
  }

  @Test
  void whenDisabledWithoutCriteria_thenValid() {
    assertThat(SpecValidator.validate(spec("{mode: disabled, regions: [us-east-1]}"))).isEmpty();
  }

  @Test
  void whenNoneStandsAloneAndNameWithQuestionMarkIsThreeLong_thenValid() {
    assertThat(
            SpecValidator.validate(
                spec(
                    "{mode: audit-mode, regions: [us-east-1, us-gov-west-1], imageCriteria:"
                        + " [{imageProviders: [none]}, {imageNames: [\"ab?\"]}]}")))
        .isEmpty();
  }

  @Test
  void whenExternalIdIsInvalid_thenTheMessageDoesNotEchoIt() {
    List<String> problems =
        SpecValidator.validate(
            spec(
                "{mode: enabled, regions: [us-east-1], providers: [amazon], assumeRole: {roleArn:"
                    + " \"arn:aws:iam::123456789012:role/r\", externalId: \"s3cr3t value!\"}}"));
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).doesNotContain("s3cr3t");
  }
}
