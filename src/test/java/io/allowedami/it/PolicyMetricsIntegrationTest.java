package io.allowedami.it;

import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compliance gauges follow the policies, end to end: deleting a policy (seen without a
 * finalizer) or dropping a Region from it removes their gauges from the MeterRegistry.
 */
class PolicyMetricsIntegrationTest {
  private static final String INSTANCES = "allowedami.instances";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private SimulatedAws aws;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld(), metrics);
    aws.simulator().faults().throttlingEnabled(false);
    harness = OperatorHarness.start(aws.gateways(), Duration.ofSeconds(1), metrics);
  }

  @AfterEach
  void stop() {
    harness.close();
    aws.close();
  }

  /** The Regions that have instance gauges, each with its three verdicts. */
  private Set<String> regionsWithGauges() {
    List<Gauge> gauges = metrics.find(INSTANCES).gauges().stream().toList();
    return gauges.stream()
        .map(g -> g.getId().getTag("region"))
        .filter(
            region ->
                gauges.stream().filter(g -> region.equals(g.getId().getTag("region"))).count() == 3)
        .collect(Collectors.toSet());
  }

  private void awaitRegionsWithGauges(String... regions) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> regionsWithGauges().equals(Set.of(regions)));
  }

  @Test
  void whenAPolicyIsDeleted_thenItsGaugesLeaveTheRegistryAndOtherPoliciesKeepTheirs() {
    harness.apply(Policies.providers("kept", Mode.AUDIT_MODE, List.of("ap-southeast-2"), "amazon"));
    AllowedAmiPolicy deleted =
        harness.apply(
            Policies.providers(
                "deleted", Mode.AUDIT_MODE, List.of("us-east-1", "eu-west-1"), "amazon"));
    awaitRegionsWithGauges("ap-southeast-2", "us-east-1", "eu-west-1");

    harness.client().resource(deleted).delete();

    awaitRegionsWithGauges("ap-southeast-2");
  }

  @Test
  void whenAPolicyDropsARegion_thenThatRegionsGaugesLeaveTheRegistry() {
    harness.apply(
        Policies.providers(
            "shrinking", Mode.AUDIT_MODE, List.of("us-east-1", "eu-west-1"), "amazon"));
    awaitRegionsWithGauges("us-east-1", "eu-west-1");

    AllowedAmiPolicy policy = harness.get("shrinking");
    policy.getSpec().setRegions(List.of("us-east-1"));
    harness.apply(policy);

    awaitRegionsWithGauges("us-east-1");
  }
}
