package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.reconcile.Conditions;
import io.allowedami.reconcile.Messages;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Policies that a real cluster can deliver around the schema (an older or newer CRD, a schema
 * bypassed, an edit by hand), present before the operator starts: each is reported on its own
 * object, none reaches AWS, none stops the operator or delays another policy.
 */
class MalformedPolicyIntegrationTest {
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ResourceDefinitionContext POLICIES =
      new ResourceDefinitionContext.Builder()
          .withGroup(AllowedAmiPolicy.GROUP)
          .withVersion(AllowedAmiPolicy.VERSION)
          .withKind("AllowedAmiPolicy")
          .withPlural("allowedamipolicies")
          .withNamespaced(false)
          .build();

  /** Name, raw spec, and what the InvalidSpec message must say. */
  private record Malformed(String name, String spec, String expected) {}

  private static final String HUGE = "x".repeat(10_000);

  private static final List<Malformed> MALFORMED =
      List.of(
          new Malformed(
              "unknown-field",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\"],\"providers\":[\"amazon\"],"
                  + "\"paused\":true}",
              "spec.paused is not a field"),
          new Malformed(
              "list-for-object",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\"],\"providers\":[\"amazon\"],"
                  + "\"rollout\":[1,2]}",
              "spec.rollout must be an object"),
          new Malformed(
              "object-for-list",
              "{\"mode\":\"enabled\",\"regions\":{\"us-east-1\":true},\"providers\":[\"amazon\"]}",
              "spec.regions must be a list"),
          new Malformed(
              "int32-overflow",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\"],\"providers\":[\"amazon\"],"
                  + "\"rollout\":{\"maxBlockedInstances\":3000000000}}",
              "spec.rollout.maxBlockedInstances must be an integer"),
          new Malformed(
              "resync-huge",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\"],\"providers\":[\"amazon\"],"
                  + "\"resyncInterval\":\"999999999999999h\"}",
              "must be between 10s and 24h"),
          new Malformed(
              "resync-not-a-number",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\"],\"providers\":[\"amazon\"],"
                  + "\"resyncInterval\":\"soon\"}",
              "is not a duration"),
          new Malformed(
              "unknown-mode",
              "{\"mode\":\"on\",\"regions\":[\"us-east-1\"],\"providers\":[\"amazon\"]}",
              "spec.mode 'on' is not one of"),
          new Malformed(
              "unknown-region",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\",\"us-east-9\"],"
                  + "\"providers\":[\"amazon\"]}",
              "'us-east-9' is not a Region AWS has"),
          new Malformed(
              "huge-value",
              "{\"mode\":\"enabled\",\"regions\":[\"us-east-1\"],\"providers\":[\""
                  + HUGE
                  + "\"],\"resyncInterval\":\""
                  + HUGE
                  + "\"}",
              "characters cut"),
          new Malformed("no-spec", null, "spec is required"));

  private SimulatedAws aws;
  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    aws.close();
  }

  private static GenericKubernetesResource raw(String name, String spec) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", AllowedAmiPolicy.GROUP + "/" + AllowedAmiPolicy.VERSION);
    object.put("kind", "AllowedAmiPolicy");
    object.put("metadata", Map.of("name", name));
    if (spec != null) {
      object.put("spec", Serialization.unmarshal(spec, Object.class));
    }
    return Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
  }

  private static void createRaw(KubernetesClient client, String name, String spec) {
    client.genericKubernetesResources(POLICIES).resource(raw(name, spec)).create();
  }

  private static boolean stalledInvalid(AllowedAmiPolicy p) {
    PolicyCondition stalled = condition(p, Conditions.STALLED);
    return stalled != null
        && Conditions.TRUE.equals(stalled.getStatus())
        && "InvalidSpec".equals(stalled.getReason())
        && p.getStatus().getObservedGeneration() != null
        && p.getStatus().getObservedGeneration().equals(p.getMetadata().getGeneration());
  }

  @Test
  void
      whenMalformedPoliciesArePresentAtStart_thenEachIsReportedAndNoneReachesAwsOrStopsTheOperator() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    harness =
        OperatorHarness.startWith(
            aws.gateways(),
            RESYNC,
            client -> MALFORMED.forEach(m -> createRaw(client, m.name(), m.spec())));

    for (Malformed m : MALFORMED) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .alias(m.name())
          .until(() -> stalledInvalid(harness.get(m.name())));
      AllowedAmiPolicy policy = harness.get(m.name());
      for (String type : List.of(Conditions.READY, Conditions.STALLED)) {
        PolicyCondition c = condition(policy, type);
        assertThat(c.getMessage()).as(m.name()).contains(m.expected());
        assertThat(c.getMessage().length()).as(m.name()).isLessThanOrEqualTo(Messages.MAX_MESSAGE);
      }
      assertThat(condition(policy, Conditions.READY).getStatus()).isEqualTo(Conditions.FALSE);
      await()
          .atMost(WAIT)
          .alias("an InvalidSpec Event for " + m.name())
          .until(
              () -> events(m.name()).stream().anyMatch(e -> "InvalidSpec".equals(e.getReason())));
      assertThat(events(m.name()))
          .allSatisfy(e -> assertThat(e.getMessage().length()).isLessThanOrEqualTo(1024));
    }
    assertThat(aws.simulator().counters().total()).as("AWS calls for invalid specs").isZero();
    // The finalizer went on with a patch of metadata that left each spec as it came.
    for (Malformed m : MALFORMED) {
      GenericKubernetesResource stored =
          harness.client().genericKubernetesResources(POLICIES).withName(m.name()).get();
      assertThat(stored.getMetadata().getFinalizers()).as(m.name()).hasSize(1);
      Object storedSpec = stored.getAdditionalProperties().get("spec");
      Object createdSpec =
          m.spec() == null ? null : Serialization.unmarshal(m.spec(), Object.class);
      assertThat(storedSpec).as(m.name()).isEqualTo(createdSpec);
    }
    assertThat(harness.runtimeInfo().isStarted()).isTrue();
    assertThat(harness.runtimeInfo().allEventSourcesAreHealthy()).isTrue();

    // A valid policy, and a valid one whose status is garbage, still converge beside them.
    harness.apply(Policies.providers("good", Mode.AUDIT_MODE, List.of("eu-west-1"), "amazon"));
    createRaw(
        harness.client(),
        "garbage-status",
        "{\"mode\":\"audit-mode\",\"regions\":[\"eu-north-1\"],\"providers\":[\"amazon\"]}");
    GenericKubernetesResource withStatus =
        harness.client().genericKubernetesResources(POLICIES).withName("garbage-status").get();
    withStatus.setAdditionalProperty(
        "status", Map.of("observedGeneration", "not a number", "conditions", "nor a list"));
    harness.client().genericKubernetesResources(POLICIES).resource(withStatus).updateStatus();

    for (String name : List.of("good", "garbage-status")) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .alias(name)
          .until(() -> Policies.isReady(harness.get(name)));
    }
    assertThat(
            aws.simulator()
                .outOfBand()
                .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-west-1")
                .state())
        .isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(
            aws.simulator()
                .outOfBand()
                .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-north-1")
                .state())
        .isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(aws.simulator().counters().snapshot().keySet())
        .as("calls only for the valid policies' Regions")
        .allSatisfy(k -> assertThat(k.region()).isIn("eu-west-1", "eu-north-1", "-", "us-east-1"));
    for (Malformed m : MALFORMED) {
      assertThat(stalledInvalid(harness.get(m.name()))).as(m.name()).isTrue();
    }
  }

  @Test
  void whenAGoodPolicyIsEditedIntoABadOne_thenItStopsWritingAndRecoversWhenFixed() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    harness = OperatorHarness.start(aws.gateways(), RESYNC);
    String good =
        "{\"mode\":\"audit-mode\",\"regions\":[\"eu-west-3\"],\"providers\":[\"amazon\"]}";
    createRaw(harness.client(), "edited", good);
    harness.apply(Policies.providers("witness", Mode.AUDIT_MODE, List.of("eu-west-2"), "amazon"));
    await().atMost(WAIT).until(() -> Policies.isReady(harness.get("edited")));

    GenericKubernetesResource current =
        harness.client().genericKubernetesResources(POLICIES).withName("edited").get();
    current.setAdditionalProperty(
        "spec",
        Serialization.unmarshal(
            "{\"mode\":\"enabled\",\"regions\":[\"eu-west-3\"],\"providers\":\"amazon\"}",
            Object.class));
    harness.client().genericKubernetesResources(POLICIES).resource(current).update();
    await().atMost(WAIT).until(() -> stalledInvalid(harness.get("edited")));
    assertThat(condition(harness.get("edited"), Conditions.STALLED).getMessage())
        .contains("spec.providers must be a list");

    // While it is invalid, its Region sees no call at all, however many resyncs the witness makes.
    var counters = aws.simulator().counters();
    long editedRegionCalls = regionCalls("eu-west-3");
    long witnessReads = counters.count("GetAllowedImagesSettings", "eu-west-2");
    await()
        .atMost(WAIT)
        .until(() -> counters.count("GetAllowedImagesSettings", "eu-west-2") >= witnessReads + 3);
    assertThat(regionCalls("eu-west-3")).isEqualTo(editedRegionCalls);
    assertThat(
            aws.simulator()
                .outOfBand()
                .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-west-3")
                .state())
        .isEqualTo(SettingsState.AUDIT_MODE);

    current = harness.client().genericKubernetesResources(POLICIES).withName("edited").get();
    current.setAdditionalProperty(
        "spec",
        Serialization.unmarshal(
            "{\"mode\":\"enabled\",\"regions\":[\"eu-west-3\"],\"providers\":[\"amazon\"]}",
            Object.class));
    harness.client().genericKubernetesResources(POLICIES).resource(current).update();
    await().atMost(WAIT).until(() -> Policies.isReady(harness.get("edited")));
    assertThat(
            aws.simulator()
                .outOfBand()
                .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-west-3")
                .state())
        .isEqualTo(SettingsState.ENABLED);
  }

  private long regionCalls(String region) {
    return aws.simulator().counters().snapshot().entrySet().stream()
        .filter(e -> e.getKey().region().equals(region))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private List<Event> events(String name) {
    return harness.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
