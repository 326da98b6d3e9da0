package io.allowedami.reconcile;

import static io.allowedami.testing.Policies.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.testing.FakeGateway;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real operator and Kubernetes API with an in-memory AWS boundary: fast checks of the control
 * loop.
 */
class ReconcilerWithFakeAwsTest {
  private final FakeGateway aws = new FakeGateway("111122223333");
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start(aws, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void whenPolicyIsCreated_thenEveryRegionConvergesAndReadyIsTrue() {
    harness.apply(
        Policies.providers(
            "p", Mode.AUDIT_MODE, List.of("us-east-1", "eu-west-1"), "amazon", "aws-marketplace"));

    await().atMost(Duration.ofSeconds(20)).until(() -> Policies.isReady(harness.get("p")));

    ImageCriteria expected =
        ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("aws-marketplace", "amazon"))));
    for (String region : List.of("us-east-1", "eu-west-1")) {
      assertThat(aws.settings(region).state()).isEqualTo(AllowedImagesState.AUDIT_MODE);
      assertThat(aws.settings(region).criteria()).isEqualTo(expected);
    }
    AllowedAmiPolicy policy = harness.get("p");
    assertThat(policy.getStatus().getAccountId()).isEqualTo("111122223333");
    assertThat(policy.getStatus().getRegionsInSync()).isEqualTo("2/2");
    assertThat(condition(policy, Conditions.STALLED).getStatus()).isEqualTo("False");
  }

  @Test
  void whenOneRegionFailsTerminally_thenOthersConvergeAndStatusNamesIt() {
    aws.denyWrites("eu-west-1", Failure.terminal("UnauthorizedOperation", "not allowed"));
    harness.apply(
        Policies.providers("p", Mode.ENABLED, List.of("us-east-1", "eu-west-1"), "amazon"));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              AllowedAmiPolicy p = harness.get("p");
              return condition(p, Conditions.STALLED) != null
                  && "True".equals(condition(p, Conditions.STALLED).getStatus());
            });
    AllowedAmiPolicy policy = harness.get("p");
    assertThat(aws.settings("us-east-1").state()).isEqualTo(AllowedImagesState.ENABLED);
    assertThat(aws.settings("eu-west-1").state()).isEqualTo(AllowedImagesState.DISABLED);
    assertThat(aws.writes("eu-west-1"))
        .as("the denied DryRun stops the plan before any write")
        .isZero();
    assertThat(aws.writes("us-east-1")).isEqualTo(2);
    assertThat(condition(policy, Conditions.STALLED).getMessage())
        .contains("eu-west-1")
        .contains("UnauthorizedOperation");
    assertThat(condition(policy, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(policy.getStatus().getRegions())
        .filteredOn(r -> r.getRegion().equals("eu-west-1"))
        .singleElement()
        .satisfies(r -> assertThat(r.getError().getErrorClass()).isEqualTo("Terminal"));

    aws.heal("eu-west-1");
    await().atMost(Duration.ofSeconds(20)).until(() -> Policies.isReady(harness.get("p")));
    assertThat(aws.settings("eu-west-1").state()).isEqualTo(AllowedImagesState.ENABLED);
  }
}
