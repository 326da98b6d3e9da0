package io.allowedami.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.PolicyJson;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyJsonTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization SERIALIZATION = PolicyJson.serialization();

  private static JsonNode yaml(String text) throws Exception {
    return YAML.readTree(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {mode: enabled, regions: [us-east-1], providers: [amazon], colour: blue} | spec.colour is not a field
          {mode: enabled, regions: {a: 1}, providers: [amazon]}                  | spec.regions must be a list
          {mode: enabled, regions: us-east-1, providers: [amazon]}               | spec.regions must be a list
          {mode: 5, regions: [us-east-1], providers: [amazon]}                   | spec.mode must be a string
          {mode: true, regions: [us-east-1], providers: [amazon]}                | spec.mode must be a string
          {mode: [enabled], regions: [us-east-1], providers: [amazon]}           | spec.mode
          {mode: enabled, regions: [1], providers: [amazon]}                     | spec.regions[0] must be a string
          {mode: enabled, regions: [us-east-1], rollout: {maxBlockedInstances: 3000000000}} | spec.rollout.maxBlockedInstances must be an integer
          {mode: enabled, regions: [us-east-1], rollout: {maxBlockedInstances: 1.5}} | spec.rollout.maxBlockedInstances must be an integer
          {mode: enabled, regions: [us-east-1], rollout: {maxBlockedInstances: 1.0}} | spec.rollout.maxBlockedInstances must be an integer
          {mode: enabled, regions: [us-east-1], rollout: {maxBlockedInstances: '5'}} | spec.rollout.maxBlockedInstances must be an integer
          {mode: enabled, regions: [us-east-1], rollout: []}                     | spec.rollout must be an object
          {mode: enabled, regions: [us-east-1], imageCriteria: [{creationDateCondition: {maximumDaysSinceCreated: 99999999999999999999}}]} | spec.imageCriteria[0].creationDateCondition.maximumDaysSinceCreated must be an integer
          {mode: enabled, regions: [us-east-1], imageCriteria: [{imageNames: [a], bogus: 1}]} | spec.imageCriteria[0].bogus is not a field
          {mode: enabled, regions: [us-east-1], assumeRole: {roleArn: 5}}        | spec.assumeRole.roleArn must be a string
          "enabled"                                                             | spec
          [1, 2]                                                                | spec
          """)
  void aSpecThatDoesNotFitTheModelIsReadAsUnreadableNamingTheField(String spec, String expected)
      throws Exception {
    AllowedAmiPolicySpec read = PolicyJson.readSpec(yaml(spec));
    assertThat(read.getUnreadable()).isPresent();
    assertThat(read.getUnreadable().get().problem()).startsWith(expected);
  }

  @Test
  void aValidSpecIsReadWithItsValues() throws Exception {
    AllowedAmiPolicySpec read =
        PolicyJson.readSpec(
            yaml("{mode: audit-mode, regions: [us-east-1, eu-west-1], providers: [amazon]}"));
    assertThat(read.getUnreadable()).isEmpty();
    assertThat(read.getMode()).isEqualTo("audit-mode");
    assertThat(read.getRegions()).containsExactly("us-east-1", "eu-west-1");
  }

  @Test
  void anUnreadableSpecSurvivesACopyThroughTheClientsSerialization() throws Exception {
    String json =
        """
        {"apiVersion":"ec2.allowedami.io/v1alpha1","kind":"AllowedAmiPolicy",
         "metadata":{"name":"p"},
         "spec":{"mode":"enabled","regions":{"a":1},"extra":[1,2]},
         "status":{"observedGeneration":"not a number","bogus":1}}
        """;
    AllowedAmiPolicy policy = SERIALIZATION.unmarshal(json, AllowedAmiPolicy.class);
    assertThat(policy.getSpec().getUnreadable()).isPresent();
    assertThat(policy.getStatus()).isNull();
    AllowedAmiPolicy copy = SERIALIZATION.clone(policy);
    assertThat(copy.getSpec().getUnreadable()).isPresent();
    assertThat(SERIALIZATION.asJson(copy)).contains("\"extra\":[1,2]").contains("\"a\":1");
  }

  @Test
  void aClientBuiltWithoutThisReadingIsRefusedAtStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PolicyJson.requireLenientReading(new KubernetesSerialization()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PolicyJson.serialization()");
    PolicyJson.requireLenientReading(SERIALIZATION);
  }
}
