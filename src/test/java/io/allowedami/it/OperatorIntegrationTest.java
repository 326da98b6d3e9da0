package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static io.allowedami.testing.Policies.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.RegionError;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.CallCounters.LoggedCall;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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

  /**
   * Far longer than any backoff a test waits for (the harness starts backoff at 200 ms), so that a
   * retry seen within a few seconds can only come from the backoff, never from the resync.
   */
  private static final Duration SLOW_RESYNC = Duration.ofSeconds(30);

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String GET_SETTINGS = "GetAllowedImagesSettings";
  private static final String INSTANCE_PAGES = "DescribeInstanceImageMetadata";

  private SimulatedAws aws;
  private Ec2Simulator sim;
  private SimpleMeterRegistry metrics;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    sim = aws.simulator();
    metrics = new SimpleMeterRegistry();
    harness = OperatorHarness.start(aws.gateways(), RESYNC, metrics);
  }

  /** Replaces the operator by one with another resync interval, against the same simulator. */
  private void restartOperator(Duration resync) {
    harness.close();
    metrics = new SimpleMeterRegistry();
    harness = OperatorHarness.start(aws.gateways(), resync, metrics);
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

  /** Reconciles the operator has finished, from its own reconcile-duration timer. */
  private long reconciles() {
    var timer = metrics.find("allowedami.reconcile.duration").timer();
    return timer == null ? 0 : timer.count();
  }

  /** Where a quiet moment fell: reconciles finished so far and the last call AWS had answered. */
  private record Mark(long reconciles, long lastSequence) {}

  /**
   * Waits for at least {@code reconciles} finished reconciles and then for a moment with no call
   * for 300 ms. A resync here takes a few tens of milliseconds and comes every second, so the
   * moment falls between two resyncs: no reconcile has a call in the log without being counted, and
   * the counts taken at two marks describe whole resyncs.
   */
  private Mark awaitQuietAfter(long reconciles) {
    AtomicReference<Mark> mark = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              long finished = reconciles();
              List<LoggedCall> log = sim.counters().log();
              LoggedCall last = log.isEmpty() ? null : log.get(log.size() - 1);
              boolean quiet =
                  last == null
                      || System.nanoTime() - last.nanoTime() >= Duration.ofMillis(300).toNanos();
              if (finished < reconciles || !quiet || reconciles() != finished) {
                return false;
              }
              mark.set(new Mark(finished, last == null ? -1 : last.sequence()));
              return true;
            });
    return mark.get();
  }

  /** Settings reads in a Region: one per attempt at converging it while its reads all fail. */
  private List<LoggedCall> settingsReads(String region) {
    return sim.counters().log().stream()
        .filter(c -> c.region().equals(region) && c.action().equals(GET_SETTINGS))
        .toList();
  }

  /**
   * Asserts that a Region whose every call fails is retried with a growing backoff: not hot (the
   * harness's backoff starts at 200 ms and doubles: attempts at 0, 0.2, 0.6, 1.4, 3.0 s and later),
   * and not only at the resync, which is {@link #SLOW_RESYNC} here. A backoff is the least time
   * between two attempts, so a slow machine only lowers the count; the growth bound leaves 400 ms
   * for a reconcile's own time.
   */
  private void assertRetriedWithGrowingBackoff(String region) {
    Duration window = Duration.ofMillis(2_500);
    await("five attempts at " + region + " within 15 s: retried by the backoff, not the resync")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<LoggedCall> reads = settingsReads(region);
              return reads.size() >= 5
                  && System.nanoTime() - reads.get(0).nanoTime() > window.toNanos();
            });
    List<LoggedCall> attempts = settingsReads(region);
    long first = attempts.get(0).nanoTime();
    assertThat(attempts).allSatisfy(a -> assertThat(a.outcome()).isNotEqualTo(CallCounters.OK));
    assertThat(attempts.stream().filter(a -> a.nanoTime() - first <= window.toNanos()).count())
        .as(
            "attempts within %s of the first: 4 with a doubling backoff, not one every 200 ms",
            window)
        .isBetween(2L, 5L);
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < 5; i++) {
      gaps.add(Duration.ofNanos(attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()));
    }
    assertThat(gaps.get(3))
        .as("retries grow apart: gaps between the first five attempts %s", gaps)
        .isGreaterThanOrEqualTo(gaps.get(1).multipliedBy(2));
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
    for (String region : REGIONS) {
      assertThat(SimulatorCalls.writesInOrder(sim.counters(), region))
          .as("writes AWS received in %s, in order", region)
          .extracting(LoggedCall::action, LoggedCall::outcome)
          .containsExactly(
              tuple("ReplaceImageCriteriaInAllowedImagesSettings", CallCounters.OK),
              tuple("EnableAllowedImagesSettings", CallCounters.OK));
    }
  }

  @Test
  void inSteadyState_eachResyncReadsEachRegionOnceWithItsInstancePagesAndWritesNothing() {
    harness.apply(Policies.providers("steady", Mode.ENABLED, REGIONS, "amazon"));
    awaitPolicy("steady", Policies::isReady);

    // The reconcile after the writes (soon after them) reads AWS's new verdicts into status; from
    // the one after it on, nothing changes.
    await().atMost(WAIT).until(() -> reconciles() >= 1);
    Mark from = awaitQuietAfter(reconciles() + 2);
    String resourceVersion = harness.get("steady").getMetadata().getResourceVersion();
    Mark to = awaitQuietAfter(from.reconciles() + 3);

    long resyncs = to.reconciles() - from.reconciles();
    List<LoggedCall> calls =
        sim.counters().log().stream()
            .filter(c -> c.sequence() > from.lastSequence() && c.sequence() <= to.lastSequence())
            .toList();
    assertThat(calls)
        .as("no write, not even a DryRun")
        .noneMatch(c -> SimulatorCalls.WRITE_ACTIONS.contains(c.action()));
    // Regions enabled by default in every account need no DescribeRegions.
    assertThat(calls).noneMatch(c -> c.action().equals("DescribeRegions"));
    long callsPerResync = 0;
    for (String region : REGIONS) {
      // The gateway reads 1,000 instances a page; the default world has a few dozen a Region.
      // The settings read and the instance pages are issued together, so their order varies.
      int instances = sim.instances().list(ACCOUNT, region).size();
      int pages = Math.max(1, (instances + 999) / 1000);
      List<String> oneResync = new ArrayList<>();
      oneResync.add(GET_SETTINGS);
      oneResync.addAll(Collections.nCopies(pages, INSTANCE_PAGES));
      assertThat(calls)
          .filteredOn(c -> c.region().equals(region))
          .as("%s over %d resyncs: one settings read beside its instance pages", region, resyncs)
          .extracting(LoggedCall::action)
          .containsExactlyInAnyOrderElementsOf(
              Collections.nCopies((int) resyncs, oneResync).stream()
                  .flatMap(List::stream)
                  .toList());
      callsPerResync += oneResync.size();
    }
    assertThat(calls).as("no other call").hasSize((int) (resyncs * callsPerResync));
    assertThat(calls).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(CallCounters.OK));
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
  void whenOneRegionIsThrottled_thenItIsRetriedWithGrowingBackoffAndRecovers() {
    restartOperator(SLOW_RESYNC);
    sim.faults().throttle("us-west-2", null, 0, 0.0);
    harness.apply(Policies.providers("throttled", Mode.AUDIT_MODE, REGIONS, "amazon"));

    AllowedAmiPolicy policy =
        awaitPolicy(
            "throttled",
            p -> p.getStatus() != null && "4/5".equals(p.getStatus().getRegionsInSync()));
    assertThat(region(policy, "us-west-2").getError().getCode()).isEqualTo("RequestLimitExceeded");
    assertThat(condition(policy, Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertRetriedWithGrowingBackoff("us-west-2");

    sim.faults().clear();
    awaitPolicy("throttled", Policies::isReady);
    assertThat(settings("us-west-2").state()).isEqualTo(SettingsState.AUDIT_MODE);
  }

  @Test
  void whenAwsAnswersAnErrorCodeNobodyKnows_thenTheRegionShowsItAndIsRetriedWithBackoff() {
    restartOperator(SLOW_RESYNC);
    sim.faults()
        .injectError(
            "eu-central-1",
            GET_SETTINGS,
            400,
            "SomeFutureError",
            "an error code AWS added after this operator was released");
    harness.apply(Policies.providers("unknown-code", Mode.AUDIT_MODE, REGIONS, "amazon"));

    AllowedAmiPolicy policy =
        awaitPolicy(
            "unknown-code",
            p -> p.getStatus() != null && "4/5".equals(p.getStatus().getRegionsInSync()));
    RegionError error = region(policy, "eu-central-1").getError();
    assertThat(error.getErrorClass()).isEqualTo("Recoverable");
    assertThat(error.getCode()).isEqualTo("SomeFutureError");
    assertThat(error.getMessage()).contains("added after this operator was released");
    assertThat(condition(policy, Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(policy, Conditions.STALLED).getStatus()).isEqualTo("False");
    assertRetriedWithGrowingBackoff("eu-central-1");
    assertThat(settingsReads("eu-central-1"))
        .allSatisfy(a -> assertThat(a.outcome()).isEqualTo("SomeFutureError"));
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
    // The first reconcile sends the DryRuns beside the read, before it knows who manages the
    // Region; once the status says so, none is sent again.
    long from = reconciles();
    await().atMost(WAIT).until(() -> reconciles() >= from + 3);
    List<LoggedCall> toDeclarative =
        sim.counters().log().stream()
            .filter(
                c ->
                    c.region().equals("eu-central-1")
                        && SimulatorCalls.WRITE_ACTIONS.contains(c.action()))
            .toList();
    assertThat(toDeclarative).as("no write").allMatch(LoggedCall::dryRun);
    assertThat(toDeclarative).as("the first reconcile's DryRuns only").hasSizeLessThanOrEqualTo(2);

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
  void whenARegionIsNotOptedIn_thenItIsStalledWithRegionNotEnabledAndTheOthersConverge() {
    harness.apply(
        Policies.providers("optin", Mode.AUDIT_MODE, List.of("us-east-1", "af-south-1"), "amazon"));

    AllowedAmiPolicy policy =
        awaitPolicy("optin", p -> stalled(p) && "1/2".equals(p.getStatus().getRegionsInSync()));
    assertThat(region(policy, "af-south-1").getError().getCode()).isEqualTo("RegionNotEnabled");
    assertThat(settings("us-east-1").state()).isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(sim.counters().log())
        .as("DescribeRegions says it is not opted in: no call is made to it")
        .noneMatch(c -> c.region().equals("af-south-1"));
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
