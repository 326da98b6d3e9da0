package io.allowedami.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.testing.CapturedLogs;
import io.allowedami.testing.CapturedLogs.Line;
import io.allowedami.testing.FakeGateway;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log lines written by the Region tasks, on the Region pool, name the policy they serve. */
class RegionLogContextIntegrationTest {

  @Test
  void aLineLoggedByARegionTask_carriesThePolicyName() {
    FakeGateway aws = new FakeGateway("111122223333");
    try (CapturedLogs logs = new CapturedLogs();
        OperatorHarness harness = OperatorHarness.start(aws, Duration.ofSeconds(30))) {
      harness.apply(
          Policies.providers(
              "logged-policy", Mode.AUDIT_MODE, List.of("us-east-1", "eu-west-1"), "amazon"));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Policies.isReady(harness.get("logged-policy")));

      List<Line> regionLines =
          logs.lines().stream()
              .filter(l -> l.thread().startsWith("region-"))
              .filter(l -> l.message().startsWith("region us-east-1: "))
              .toList();
      assertThat(regionLines).as("lines about us-east-1 written on the Region pool").isNotEmpty();
      assertThat(regionLines)
          .allSatisfy(l -> assertThat(l.context()).containsEntry("resource.name", "logged-policy"));
    }
  }
}
