package io.allowedami.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.app.PolicySelector;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A deployment with a policy selector reconciles the policies it selects and no other. */
class PolicySelectorIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GET_SETTINGS = "GetAllowedImagesSettings";

  private SimulatedAws aws;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    harness =
        OperatorHarness.start(
            aws.gateways(),
            OperatorHarness.config(Duration.ofSeconds(1))
                .withPolicySelector(PolicySelector.parse("shard=a")),
            new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    harness.close();
    aws.close();
  }

  private static AllowedAmiPolicy labelled(String name, String region, String shard) {
    AllowedAmiPolicy policy = Policies.providers(name, Mode.AUDIT_MODE, List.of(region), "amazon");
    policy.getMetadata().setLabels(Map.of("shard", shard));
    return policy;
  }

  private long reads(String region) {
    return aws.simulator().counters().count(GET_SETTINGS, region);
  }

  @Test
  void onlyTheSelectedPolicyIsReconciled_andTheOtherGetsNoStatusAndNoAwsCall() {
    harness.apply(labelled("shard-b", "eu-west-1", "b"));
    harness.apply(labelled("shard-a", "us-east-1", "a"));

    await().atMost(WAIT).until(() -> Policies.isReady(harness.get("shard-a")));
    // Resyncs come every second: two more of the selected policy, and still nothing for the other.
    await().atMost(WAIT).until(() -> reads("us-east-1") >= 3);

    assertThat(harness.get("shard-b").getStatus()).isNull();
    assertThat(reads("eu-west-1")).as("reads of the unselected policy's Region").isZero();
    assertThat(aws.simulator().counters().count("EnableAllowedImagesSettings", "eu-west-1"))
        .isZero();

    // Relabelled into the shard, it is picked up at once.
    AllowedAmiPolicy b = harness.get("shard-b");
    b.getMetadata().getLabels().put("shard", "a");
    harness.client().resource(b).update();
    await().atMost(WAIT).until(() -> Policies.isReady(harness.get("shard-b")));
  }
}
