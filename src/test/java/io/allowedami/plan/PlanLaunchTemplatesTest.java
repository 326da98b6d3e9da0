package io.allowedami.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.ComplianceSpec;
import io.allowedami.api.v1alpha1.RolloutSpec;
import io.allowedami.plan.PlanReport.LaunchTemplateReport;
import io.allowedami.plan.PlanReport.RegionReport;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.testing.SimulatedAws;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code plan} judges launch templates as the operator does, and its gate holds on them: against
 * the simulator's default world (templates in us-east-1, none in us-west-2).
 */
class PlanLaunchTemplatesTest {
  private final SimulatedAws aws = new SimulatedAws(SimulatorWorld.defaultWorld());

  @AfterEach
  void close() {
    aws.close();
  }

  private List<RegionReport> plan(AllowedAmiPolicySpec spec) {
    return new Planner(aws.gateways(), 4, Clock.systemUTC())
        .plan(List.of(new PolicyDocument("t.yaml#1", "t", spec, List.of())))
        .policies()
        .get(0)
        .regions();
  }

  private static AllowedAmiPolicySpec enabledAmazon() {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode("enabled");
    spec.setRegions(List.of("us-east-1", "us-west-2"));
    spec.setProviders(List.of("amazon"));
    return spec;
  }

  @Test
  void theLaunchTemplateGateHoldsWhereTemplatesWouldFailAndNowhereElse() {
    AllowedAmiPolicySpec spec = enabledAmazon();
    RolloutSpec rollout = new RolloutSpec();
    rollout.setMaxBlockedLaunchTemplates(0);
    spec.setRollout(rollout);

    List<RegionReport> regions = plan(spec);

    RegionReport east = regions.get(0);
    assertThat(east.outcome()).isEqualTo(RegionReport.HELD);
    assertThat(east.gate().maxBlockedLaunchTemplates()).isZero();
    assertThat(east.gate().maxBlockedInstances()).isNull();
    assertThat(east.gate().message()).contains("launch template versions would fail");
    assertThat(east.launchTemplates().wouldFail()).isPositive();
    assertThat(east.launchTemplates().failing())
        .extracting(LaunchTemplateReport::verdict)
        .contains(RegionPreview.NOT_ALLOWED, "image-not-found", RegionPreview.UNKNOWN);
    assertThat(east.launchTemplates().failing())
        .filteredOn(t -> t.verdict().equals(RegionPreview.NOT_ALLOWED))
        .allSatisfy(t -> assertThat(t.reason()).startsWith("criterion 1 closest:"));

    RegionReport west = regions.get(1);
    assertThat(west.launchTemplates().versions()).isZero();
    assertThat(west.outcome()).isEqualTo(RegionReport.APPLY);
  }

  @Test
  void aPolicyThatDoesNotScanLaunchTemplatesShowsNone() {
    AllowedAmiPolicySpec spec = enabledAmazon();
    ComplianceSpec compliance = new ComplianceSpec();
    compliance.setScanLaunchTemplates(false);
    spec.setCompliance(compliance);

    assertThat(plan(spec)).extracting(RegionReport::launchTemplates).containsOnlyNulls();
  }
}
