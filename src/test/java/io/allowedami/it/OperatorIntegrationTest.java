package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.allowedami.testing.SimulatorCalls;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real operator against an in-process Kubernetes API and the EC2 simulator over HTTP, through
 * the production AWS SDK gateway: what a user would see, end to end.
 */
class OperatorIntegrationTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final List<String> REGIONS =
      List.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2");
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

  private AllowedAmiPolicy awaitPolicy(String name, Predicate<AllowedAmiPolicy> condition) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.test(harness.get(name)));
    return harness.get(name);
  }

  private AllowedImagesSettings settings(String region) {
    return sim.outOfBand().settings(ACCOUNT, region);
  }

  private long writes(String region) {
    return SimulatorCalls.successfulWrites(sim.counters(), region);
  }

  private long writeCalls(String action) {
    return sim.counters().countOutcome(action, CallCounters.OK);
  }

  private static boolean stalled(AllowedAmiPolicy p) {
    var c = condition(p, Conditions.STALLED);
    return c != null && "True".equals(c.getStatus());
  }

  private static RegionStatus region(AllowedAmiPolicy p, String region) {
    return p.getStatus().getRegions().stream()
        .filter(r -> r.getRegion().equals(region))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void whenAPolicyIsCreated_thenEveryRegionReachesTheSpecAndReadyIsTrue() {
    harness.apply(
        Policies.providers(
            "rollout", Mode.AUDIT_MODE, REGIONS, "amazon", "aws-marketplace", "123456789012"));

    AllowedAmiPolicy policy = awaitPolicy("rollout", Policies::isReady);

    for (String region : REGIONS) {
      AllowedImagesSettings actual = settings(region);
      assertThat(actual.state()).isEqualTo(SettingsState.AUDIT_MODE);
      assertThat(actual.imageCriteria())
          .singleElement()
          .satisfies(
              c ->
                  assertThat(c.imageProviders())
                      .containsExactlyInAnyOrder("amazon", "aws-marketplace", "123456789012"));
    }
    assertThat(policy.getStatus().getObservedGeneration())
        .isEqualTo(policy.getMetadata().getGeneration());
    assertThat(policy.getStatus().getAccountId()).isEqualTo(ACCOUNT);
    assertThat(policy.getStatus().getRegionsInSync()).isEqualTo("5/5");
    assertThat(policy.getStatus().getRegions())
        .extracting(RegionStatus::getRegion)
        .containsExactlyElementsOf(REGIONS);
    assertThat(policy.getStatus().getRegions())
        .allSatisfy(
            r -> {
              assertThat(r.getInSync()).isTrue();
              assertThat(r.getCriteriaInSync()).isTrue();
              assertThat(r.getState()).isEqualTo("audit-mode");
              assertThat(r.getManagedBy()).isEqualTo("account");
              assertThat(r.getLastChange())
                  .isEqualTo("replaced image criteria (1 criterion), then set state audit-mode");
              assertThat(r.getError()).isNull();
            });
    // Criteria before state, in every Region: never enforce with stale criteria.
    assertThat(writes(null)).isEqualTo(2L * REGIONS.size());
  }

  @Test
  void inSteadyState_theOperatorMakesNoWriteAndReadsEachRegionOncePerResync() throws Exception {
    harness.apply(Policies.providers("steady", Mode.ENABLED, REGIONS, "amazon"));
    AllowedAmiPolicy ready = awaitPolicy("steady", Policies::isReady);
    String resourceVersion = ready.getMetadata().getResourceVersion();
    sim.counters().reset();

    Thread.sleep(RESYNC.multipliedBy(4).toMillis());

    assertThat(writes(null)).isZero();
    long reads = sim.counters().count("GetAllowedImagesSettings");
    long resyncs = reads / REGIONS.size();
    for (String region : REGIONS) {
      assertThat(sim.counters().count("GetAllowedImagesSettings", region))
          .as("every Region is read once per resync: %s", region)
          .isBetween(resyncs - 1, resyncs + 1);
    }
    assertThat(resyncs).isBetween(2L, 6L);
    long instancePages = sim.counters().count("DescribeInstanceImageMetadata");
    assertThat(Math.abs(instancePages - reads))
        .as("one instance page per settings read (fewer than 1,000 instances a Region)")
        .isLessThanOrEqualTo(REGIONS.size());
    assertThat(sim.counters().total() - reads - instancePages).as("no other call").isZero();
    assertThat(harness.get("steady").getMetadata().getResourceVersion())
        .as("status is not patched when nothing changed")
        .isEqualTo(resourceVersion);
  }

  @Test
  void whenCriteriaChange_thenOnlyTheCriteriaAreWritten() {
    AllowedAmiPolicy policy =
        harness.apply(Policies.providers("change", Mode.ENABLED, REGIONS, "amazon"));
    awaitPolicy("change", Policies::isReady);
    sim.counters().reset();

    policy = harness.get("change");
    policy.getSpec().setProviders(List.of("amazon", "aws-marketplace"));
    harness.apply(policy);
    awaitPolicy("change", p -> Policies.isReady(p) && p.getMetadata().getGeneration() == 2);

    assertThat(writeCalls("ReplaceImageCriteriaInAllowedImagesSettings")).isEqualTo(REGIONS.size());
    assertThat(writeCalls("EnableAllowedImagesSettings")).isZero();
    assertThat(writeCalls("DisableAllowedImagesSettings")).isZero();
    assertThat(settings("eu-west-1").imageCriteria().get(0).imageProviders())
        .containsExactlyInAnyOrder("amazon", "aws-marketplace");
  }

  @Test
  void whenOnlyTheModeChanges_thenOnlyTheStateIsWritten() {
    AllowedAmiPolicy policy =
        harness.apply(Policies.providers("mode", Mode.AUDIT_MODE, REGIONS, "amazon"));
    awaitPolicy("mode", Policies::isReady);
    sim.counters().reset();

    policy = harness.get("mode");
    policy.getSpec().setMode(Mode.ENABLED);
    harness.apply(policy);
    awaitPolicy("mode", p -> Policies.isReady(p) && p.getMetadata().getGeneration() == 2);

    assertThat(writeCalls("EnableAllowedImagesSettings")).isEqualTo(REGIONS.size());
    assertThat(writeCalls("ReplaceImageCriteriaInAllowedImagesSettings")).isZero();
    assertThat(settings("us-east-1").state()).isEqualTo(SettingsState.ENABLED);
  }

  @Test
  void whenSettingsAreChangedOutsideTheOperator_thenTheNextResyncRestoresThemAndRecordsIt() {
    harness.apply(Policies.providers("drift", Mode.ENABLED, REGIONS, "amazon"));
    awaitPolicy("drift", Policies::isReady);

    sim.outOfBand()
        .setSettings(
            ACCOUNT,
            "eu-west-1",
            SettingsState.DISABLED,
            List.of(Criterion.ofProviders("aws-marketplace")));

    AllowedAmiPolicy policy =
        awaitPolicy(
            "drift", p -> Integer.valueOf(1).equals(region(p, "eu-west-1").getDriftCorrections()));
    assertThat(settings("eu-west-1").state()).isEqualTo(SettingsState.ENABLED);
    assertThat(settings("eu-west-1").imageCriteria().get(0).imageProviders())
        .containsExactly("amazon");
    assertThat(region(policy, "eu-west-1").getLastDriftCorrectionTime()).isNotNull();
    assertThat(region(policy, "us-east-1").getDriftCorrections()).isNull();
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.client().v1().events().inNamespace("default").list().getItems().stream()
                    .map(Event::getReason)
                    .anyMatch("DriftCorrected"::equals));
  }

  @Test
  void whenOneRegionIsDown_thenTheOthersConvergeStatusNamesItAndItRecovers() {
    sim.faults().regionDown("eu-west-1", true);
    harness.apply(Policies.providers("down", Mode.AUDIT_MODE, REGIONS, "amazon"));

    AllowedAmiPolicy policy =
        awaitPolicy(
            "down", p -> p.getStatus() != null && "4/5".equals(p.getStatus().getRegionsInSync()));
    assertThat(condition(policy, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(policy, Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(policy, Conditions.RECONCILING).getMessage()).contains("eu-west-1");
    assertThat(condition(policy, Conditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(region(policy, "eu-west-1").getError().getErrorClass()).isEqualTo("Recoverable");
    assertThat(settings("us-east-1").state()).isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(settings("eu-west-1").state()).isEqualTo(SettingsState.DISABLED);

    sim.faults().regionDown("eu-west-1", false);
    policy = awaitPolicy("down", Policies::isReady);
    assertThat(settings("eu-west-1").state()).isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(region(policy, "eu-west-1").getError()).isNull();
  }

  @Test
  void whenOneRegionIsThrottled_thenItIsRetriedWithBackoffAndRecovers() {
    sim.faults().throttle("us-west-2", null, 0, 0.0);
    harness.apply(Policies.providers("throttled", Mode.AUDIT_MODE, REGIONS, "amazon"));

    AllowedAmiPolicy policy =
        awaitPolicy(
            "throttled",
            p -> p.getStatus() != null && "4/5".equals(p.getStatus().getRegionsInSync()));
    assertThat(region(policy, "us-west-2").getError().getCode()).isEqualTo("RequestLimitExceeded");
    assertThat(condition(policy, Conditions.RECONCILING).getStatus()).isEqualTo("True");

    sim.faults().clear();
    awaitPolicy("throttled", Policies::isReady);
    assertThat(settings("us-west-2").state()).isEqualTo(SettingsState.AUDIT_MODE);
  }

  @Test
  void whenARegionIsManagedByADeclarativePolicy_thenItIsReportedAndNeverWritten() {
    sim.faults()
        .managedByDeclarativePolicy(
            ACCOUNT,
            "eu-central-1",
            SettingsState.AUDIT_MODE,
            List.of(Criterion.ofProviders("amazon")));
    harness.apply(Policies.providers("declarative", Mode.ENABLED, REGIONS, "amazon"));

    AllowedAmiPolicy policy = awaitPolicy("declarative", OperatorIntegrationTest::stalled);
    awaitPolicy("declarative", p -> "4/5".equals(p.getStatus().getRegionsInSync()));
    assertThat(condition(policy, Conditions.STALLED).getReason())
        .isEqualTo("ManagedByDeclarativePolicy");
    assertThat(region(policy, "eu-central-1").getManagedBy()).isEqualTo("declarative-policy");
    assertThat(region(policy, "eu-central-1").getError().getErrorClass()).isEqualTo("Terminal");
    assertThat(
            sim.counters().snapshot().keySet().stream()
                .filter(
                    k ->
                        k.region().equals("eu-central-1")
                            && SimulatorCalls.WRITE_ACTIONS.contains(k.action())))
        .as("no write, not even a DryRun")
        .isEmpty();

    sim.faults().liftDeclarativePolicy(ACCOUNT, "eu-central-1");
    awaitPolicy("declarative", Policies::isReady);
    assertThat(settings("eu-central-1").state()).isEqualTo(SettingsState.ENABLED);
  }

  @Test
  void whenAWritePermissionIsMissing_thenNothingIsHalfAppliedAndTheRegionIsStalled() {
    sim.faults().restrictPermissions(ACCOUNT, Set.of("EnableAllowedImagesSettings"));
    harness.apply(Policies.providers("denied", Mode.ENABLED, List.of("us-east-1"), "amazon"));

    AllowedAmiPolicy policy = awaitPolicy("denied", OperatorIntegrationTest::stalled);
    assertThat(condition(policy, Conditions.STALLED).getReason())
        .isEqualTo("UnauthorizedOperation");
    assertThat(settings("us-east-1").imageCriteria())
        .as("criteria not written when the enable would fail")
        .isEmpty();
    assertThat(writes("us-east-1")).isZero();
  }

  @Test
  void whenARegionIsNotOptedIn_thenItIsStalledWithAuthFailureAndTheOthersConverge() {
    harness.apply(
        Policies.providers("optin", Mode.AUDIT_MODE, List.of("us-east-1", "af-south-1"), "amazon"));

    AllowedAmiPolicy policy =
        awaitPolicy("optin", p -> stalled(p) && "1/2".equals(p.getStatus().getRegionsInSync()));
    assertThat(region(policy, "af-south-1").getError().getCode()).isEqualTo("AuthFailure");
    assertThat(settings("us-east-1").state()).isEqualTo(SettingsState.AUDIT_MODE);
  }

  @Test
  void whenTheSpecIsInvalid_thenAConditionSaysWhyAndNoAwsCallIsMade() {
    // The in-process API server does not enforce the schema: exactly the case of a bypassed schema.
    AllowedAmiPolicy bad =
        Policies.providers(
            "bad", Mode.ENABLED, List.of("us-east-1", "mars-north-9x"), "amazon", "none");
    harness.apply(bad);

    AllowedAmiPolicy policy = awaitPolicy("bad", OperatorIntegrationTest::stalled);
    assertThat(condition(policy, Conditions.STALLED).getReason()).isEqualTo("InvalidSpec");
    assertThat(condition(policy, Conditions.READY).getMessage())
        .contains("'mars-north-9x' is not an AWS Region name")
        .contains("'none' cannot be combined");
    assertThat(sim.counters().total()).isZero();
  }

  @Test
  void whenTheModeIsUnknown_thenAConditionSaysWhyAndNoAwsCallIsMade() {
    AllowedAmiPolicy bad =
        Policies.providers("unknown-mode", Mode.ENABLED, List.of("us-east-1"), "amazon");
    bad.getSpec().setMode("on");
    harness.apply(bad);

    AllowedAmiPolicy policy = awaitPolicy("unknown-mode", OperatorIntegrationTest::stalled);
    assertThat(condition(policy, Conditions.READY).getMessage())
        .contains("spec.mode 'on' is not one of");
    assertThat(sim.counters().total()).isZero();
  }

  @Test
  void whenAPolicyAssumesARole_thenTheRolesAccountIsGovernedAndNotTheOperators() {
    AllowedAmiPolicy policy =
        Policies.providers("member", Mode.AUDIT_MODE, List.of("us-east-1"), "amazon");
    AssumeRoleSpec role = new AssumeRoleSpec();
    role.setRoleArn(SimulatorWorld.MEMBER_ROLE_ARN);
    role.setExternalId(SimulatorWorld.MEMBER_EXTERNAL_ID);
    policy.getSpec().setAssumeRole(role);
    harness.apply(policy);

    AllowedAmiPolicy ready = awaitPolicy("member", Policies::isReady);
    assertThat(ready.getStatus().getAccountId()).isEqualTo(SimulatorWorld.MEMBER_ACCOUNT_ID);
    assertThat(sim.outOfBand().settings(SimulatorWorld.MEMBER_ACCOUNT_ID, "us-east-1").state())
        .isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(settings("us-east-1").state()).isEqualTo(SettingsState.DISABLED);
  }

  @Test
  void whenTheExternalIdIsWrong_thenThePolicyIsStalledWithoutTouchingAnyAccount() {
    AllowedAmiPolicy policy =
        Policies.providers("wrong-id", Mode.AUDIT_MODE, List.of("us-east-1"), "amazon");
    AssumeRoleSpec role = new AssumeRoleSpec();
    role.setRoleArn(SimulatorWorld.MEMBER_ROLE_ARN);
    role.setExternalId("not-the-right-one");
    policy.getSpec().setAssumeRole(role);
    harness.apply(policy);

    AllowedAmiPolicy stalled = awaitPolicy("wrong-id", OperatorIntegrationTest::stalled);
    assertThat(condition(stalled, Conditions.STALLED).getReason()).isEqualTo("AccessDenied");
    assertThat(condition(stalled, Conditions.STALLED).getMessage())
        .doesNotContain("not-the-right-one");
    assertThat(writes(null)).isZero();
  }
}
