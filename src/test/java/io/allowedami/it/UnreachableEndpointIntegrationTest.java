package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.aws.AwsClientSettings;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.reconcile.Conditions;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** An AWS endpoint that cannot be reached is a recoverable error, shown in status and retried. */
class UnreachableEndpointIntegrationTest {

  @Test
  void whenTheEndpointRefusesConnections_thenStatusSaysRetryingWithTheCode() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (SdkGatewayFactory gateways =
            new SdkGatewayFactory(
                AwsClientSettings.defaults()
                    .withEndpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                    .withMaxAttempts(1),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")),
                new SimpleMeterRegistry());
        OperatorHarness harness = OperatorHarness.start(gateways, Duration.ofSeconds(1))) {
      harness.apply(Policies.providers("p", Mode.AUDIT_MODE, List.of("eu-west-1"), "amazon"));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                AllowedAmiPolicy p = harness.get("p");
                return p.getStatus() != null
                    && p.getStatus().getRegions() != null
                    && !p.getStatus().getRegions().isEmpty()
                    && p.getStatus().getRegions().get(0).getError() != null;
              });
      AllowedAmiPolicy policy = harness.get("p");
      var error = policy.getStatus().getRegions().get(0).getError();
      assertThat(error.getCode()).isEqualTo(AwsErrorClassifier.ENDPOINT_UNREACHABLE);
      assertThat(error.getErrorClass()).isEqualTo("Recoverable");
      assertThat(condition(policy, Conditions.RECONCILING).getStatus()).isEqualTo(Conditions.TRUE);
      assertThat(condition(policy, Conditions.STALLED).getStatus()).isEqualTo(Conditions.FALSE);
      assertThat(condition(policy, Conditions.READY).getReason()).isEqualTo("Retrying");
    }
  }
}
