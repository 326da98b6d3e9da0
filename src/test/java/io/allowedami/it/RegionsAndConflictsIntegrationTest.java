package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.allowedami.testing.SimulatorCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies over every enabled Region, Regions not opted in, and two policies claiming the same
 * account and Region: the real operator against the simulator over HTTP, with several accounts
 * reached through AssumeRole.
 */
class RegionsAndConflictsIntegrationTest {
  private static final String MEMBER = SimulatorWorld.MEMBER_ACCOUNT_ID;
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private SimulatedAws aws;
  private Ec2Simulator sim;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    sim = aws.simulator();
    harness = OperatorHarness.start(aws.gateways(), RESYNC);
  }

  @AfterEach
  void stop() {
    harness.close();
    aws.close();
  }

  private static AllowedAmiPolicy inMemberAccount(AllowedAmiPolicy policy) {
    AssumeRoleSpec role = new AssumeRoleSpec();
    role.setRoleArn(SimulatorWorld.MEMBER_ROLE_ARN);
    role.setExternalId(SimulatorWorld.MEMBER_EXTERNAL_ID);
    role.setSessionName("allowed-ami-it");
    policy.getSpec().setAssumeRole(role);
    return policy;
  }

  private AllowedAmiPolicy awaitPolicy(String name, Predicate<AllowedAmiPolicy> until) {
    await().atMost(WAIT).until(() -> until.test(harness.get(name)));
    return harness.get(name);
  }

  private static List<String> statusRegions(AllowedAmiPolicy policy) {
    return policy.getStatus().getRegions().stream().map(RegionStatus::getRegion).toList();
  }

  private SettingsState memberState(String region) {
    return sim.outOfBand().settings(MEMBER, region).state();
  }

  @Test
  void theWildcardGovernsEveryEnabledRegionAndFollowsARegionEnabledLater() {
    AllowedAmiPolicy policy = Policies.providers("all", Mode.AUDIT_MODE, List.of("*"), "amazon");
    policy.getSpec().setExcludeRegions(List.of("sa-east-1"));
    harness.apply(inMemberAccount(policy));

    AllowedAmiPolicy ready = awaitPolicy("all", Policies::isReady);
    List<String> expected = new ArrayList<>(SimulatorWorld.DEFAULT_REGIONS);
    expected.remove("sa-east-1");
    assertThat(statusRegions(ready)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(ready.getStatus().getRegionsInSync()).isEqualTo("16/16");
    assertThat(ready.getStatus().getAccountId()).isEqualTo(MEMBER);
    expected.forEach(r -> assertThat(memberState(r)).as(r).isEqualTo(SettingsState.AUDIT_MODE));
    assertThat(memberState("sa-east-1")).as("excluded").isEqualTo(SettingsState.DISABLED);
    assertThat(sim.counters().count("GetAllowedImagesSettings", "af-south-1"))
        .as("a Region not opted in is never called")
        .isZero();

    // Steady state: at most one DescribeRegions per resync for the account.
    sim.counters().reset();
    long start = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(4)).atMost(WAIT).until(() -> true);
    double seconds = (System.nanoTime() - start) / 1e9;
    long describeRegions = sim.counters().count("DescribeRegions");
    assertThat(describeRegions).isBetween(1L, (long) Math.ceil(seconds / RESYNC.toSeconds()) + 1);
    assertThat(SimulatorCalls.successfulWrites(sim.counters(), null)).isZero();

    // The account opts in to af-south-1: the next resync picks it up.
    sim.outOfBand().optInRegion("af-south-1");
    AllowedAmiPolicy grown =
        awaitPolicy("all", p -> statusRegions(p).contains("af-south-1") && Policies.isReady(p));
    assertThat(grown.getStatus().getRegionsInSync()).isEqualTo("17/17");
    assertThat(memberState("af-south-1")).isEqualTo(SettingsState.AUDIT_MODE);
  }

  @Test
  void aListedRegionNotOptedInIsReportedOnceAndNeverCalled() {
    harness.apply(
        Policies.providers(
            "listed", Mode.AUDIT_MODE, List.of("us-east-1", "me-south-1"), "amazon"));

    AllowedAmiPolicy stalled =
        awaitPolicy(
            "listed",
            p ->
                condition(p, Conditions.STALLED) != null
                    && Conditions.TRUE.equals(condition(p, Conditions.STALLED).getStatus()));
    RegionStatus meSouth =
        stalled.getStatus().getRegions().stream()
            .filter(r -> r.getRegion().equals("me-south-1"))
            .findFirst()
            .orElseThrow();
    assertThat(meSouth.getError().getCode()).isEqualTo("RegionNotEnabled");
    assertThat(stalled.getStatus().getRegionsInSync()).isEqualTo("1/2");
    assertThat(sim.counters().log().stream().filter(c -> c.region().equals("me-south-1")))
        .as("no EC2 call to a Region the account has not opted in to")
        .isEmpty();
  }

  @Test
  void theConflictLoserMakesZeroWritesInTheOverlapAndTakesOverWhenTheOwnerIsDeleted() {
    harness.apply(
        Policies.providers("zulu", Mode.AUDIT_MODE, List.of("us-east-1", "eu-west-1"), "amazon"));
    awaitPolicy("zulu", Policies::isReady);
    // A later creationTimestamp (whole seconds): the older policy owns, though last by name.
    await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
    sim.counters().reset();

    harness.apply(
        Policies.providers(
            "alpha", Mode.ENABLED, List.of("eu-west-1", "us-west-2"), "aws-marketplace"));
    AllowedAmiPolicy loser =
        awaitPolicy(
            "alpha",
            p ->
                condition(p, "Conflict") != null
                    && Conditions.TRUE.equals(condition(p, "Conflict").getStatus())
                    && p.getStatus().getRegions().stream()
                        .anyMatch(r -> r.getRegion().equals("us-west-2") && r.getInSync()));

    PolicyCondition conflict = condition(loser, "Conflict");
    assertThat(conflict.getMessage()).contains("zulu").contains("eu-west-1");
    assertThat(conflict.getMessage()).doesNotContain("us-west-2");
    assertThat(SimulatorCalls.successfulWrites(sim.counters(), "eu-west-1"))
        .as("the loser writes nothing in the Region the owner governs")
        .isZero();
    assertThat(
            sim.counters().log().stream().filter(c -> c.region().equals("eu-west-1") && c.dryRun()))
        .as("not even a DryRun")
        .isEmpty();
    assertThat(sim.outOfBand().settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-west-1").state())
        .isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(sim.outOfBand().settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "us-west-2").state())
        .isEqualTo(SettingsState.ENABLED);
    assertThat(Policies.isReady(harness.get("zulu"))).as("the owner is untouched").isTrue();
    assertThat(condition(harness.get("zulu"), "Conflict")).isNull();

    // The owner goes: the loser takes over eu-west-1 at its next reconcile (resync 1s).
    harness.client().resource(harness.get("zulu")).delete();
    AllowedAmiPolicy owner = awaitPolicy("alpha", Policies::isReady);
    assertThat(condition(owner, "Conflict").getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(sim.outOfBand().settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "eu-west-1").state())
        .isEqualTo(SettingsState.ENABLED);
  }
}
