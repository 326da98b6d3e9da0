package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static io.allowedami.testing.Policies.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.CallCounters.LoggedCall;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.allowedami.testing.SimulatorCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Watching before acting (suspend, observe-only), Regions an organization enforces, and deletion
 * (Retain, Disable, AWS unreachable, the release annotation): the real operator against the
 * in-process Kubernetes API and the EC2 simulator, counting every write call AWS receives, DryRun
 * included.
 */
class LifecycleIntegrationTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String RELEASE = "allowedami.io/release";

  private SimulatedAws aws;
  private Ec2Simulator sim;
  private SimpleMeterRegistry metrics;
  private OperatorHarness harness;

  private void start(Duration resync) {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    sim = aws.simulator();
    metrics = new SimpleMeterRegistry();
    harness = OperatorHarness.start(aws.gateways(), resync, metrics);
  }

  @AfterEach
  void stop() {
    harness.close();
    aws.close();
  }

  /** Every write call of any outcome, DryRun included. */
  private List<LoggedCall> writeCalls() {
    return sim.counters().log().stream()
        .filter(c -> SimulatorCalls.WRITE_ACTIONS.contains(c.action()))
        .toList();
  }

  private long reconciles() {
    var timer = metrics.find("allowedami.reconcile.duration").timer();
    return timer == null ? 0 : timer.count();
  }

  private void awaitMoreReconciles(int n) {
    long from = reconciles();
    await().atMost(WAIT).until(() -> reconciles() >= from + n);
  }

  private AllowedAmiPolicy awaitPolicy(String name, Predicate<AllowedAmiPolicy> condition) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.test(harness.get(name)));
    return harness.get(name);
  }

  private static boolean hasReason(AllowedAmiPolicy p, String type, String status, String reason) {
    PolicyCondition c = condition(p, type);
    return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
  }

  private SettingsState state(String region) {
    return sim.outOfBand().settings(ACCOUNT, region).state();
  }

  private void awaitGone(String name) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> harness.get(name) == null);
  }

  private AllowedAmiPolicy auditRollout(String name) {
    return Policies.providers(name, Mode.AUDIT_MODE, REGIONS, "amazon");
  }

  private AllowedAmiPolicy converged(AllowedAmiPolicy policy) {
    harness.apply(policy);
    return awaitPolicy(policy.getMetadata().getName(), Policies::isReady);
  }

  @Test
  void whenSuspended_thenNothingIsWrittenAndEachRegionSaysWhatWouldChange() {
    start(Duration.ofSeconds(1));
    AllowedAmiPolicy policy = auditRollout("suspended");
    policy.getSpec().setSuspend(true);
    harness.apply(policy);

    AllowedAmiPolicy seen =
        awaitPolicy(
            "suspended", p -> hasReason(p, Conditions.READY, Conditions.FALSE, "Suspended"));
    awaitMoreReconciles(3);

    assertThat(writeCalls()).isEmpty();
    assertThat(REGIONS).allSatisfy(r -> assertThat(state(r)).isEqualTo(SettingsState.DISABLED));
    assertThat(seen.getStatus().getRegionsInSync()).isEqualTo("0/3");
    assertThat(region(seen, "us-east-1").getPendingChanges())
        .isEqualTo(
            "would replace image criteria (1 criterion), then set state disabled -> audit-mode"
                + " (suspended)");
    assertThat(condition(seen, Conditions.READY).getMessage())
        .startsWith("suspended: nothing is written to AWS; 0 of 3 Regions match the spec");
    assertThat(condition(seen, Conditions.RECONCILING).getStatus()).isEqualTo("False");

    // Resumed: the pending changes are made, and only then.
    seen.getSpec().setSuspend(false);
    seen.setStatus(null);
    harness.client().resource(seen).update();
    AllowedAmiPolicy resumed = awaitPolicy("suspended", Policies::isReady);
    assertThat(region(resumed, "us-east-1").getPendingChanges()).isNull();
    assertThat(SimulatorCalls.successfulWrites(sim.counters(), null)).isEqualTo(6);
  }

  @Test
  void whenObserveOnly_thenNothingIsWrittenDriftIsReportedAndAMatchIsReady() {
    start(Duration.ofSeconds(1));
    sim.outOfBand()
        .setSettings(
            ACCOUNT,
            "eu-west-1",
            SettingsState.AUDIT_MODE,
            List.of(Criterion.ofProviders("amazon")));
    AllowedAmiPolicy policy = auditRollout("observer");
    policy.getSpec().setEnforcement("ObserveOnly");
    harness.apply(policy);

    AllowedAmiPolicy seen =
        awaitPolicy(
            "observer", p -> hasReason(p, Conditions.READY, Conditions.FALSE, "ObserveOnly"));
    awaitMoreReconciles(3);

    assertThat(writeCalls()).isEmpty();
    assertThat(seen.getStatus().getRegionsInSync()).isEqualTo("1/3");
    assertThat(region(seen, "eu-west-1").getPendingChanges()).isNull();
    assertThat(region(seen, "eu-west-1").getInSync()).isTrue();
    assertThat(region(seen, "us-west-2").getPendingChanges())
        .isEqualTo(
            "would replace image criteria (1 criterion), then set state disabled -> audit-mode"
                + " (observe-only)");
    assertThat(region(seen, "us-west-2").getCompliance()).isNotNull();

    // Once AWS matches the spec (changed by someone else), observe-only is Ready.
    for (String r : List.of("us-east-1", "us-west-2")) {
      sim.outOfBand()
          .setSettings(
              ACCOUNT, r, SettingsState.AUDIT_MODE, List.of(Criterion.ofProviders("amazon")));
    }
    AllowedAmiPolicy matching = awaitPolicy("observer", Policies::isReady);
    assertThat(condition(matching, Conditions.READY).getMessage())
        .isEqualTo("observe-only: nothing is written to AWS; all 3 Regions match the spec");
    assertThat(writeCalls()).isEmpty();
  }

  @Test
  void whenADeclarativePolicyEnforcesARegion_thenItIsNeverWrittenAndStatusSaysWhetherItMatches() {
    start(Duration.ofSeconds(1));
    List<Criterion> amazon = List.of(Criterion.ofProviders("amazon"));
    sim.faults()
        .managedByDeclarativePolicy(ACCOUNT, "us-east-1", SettingsState.AUDIT_MODE, amazon)
        .managedByDeclarativePolicy(ACCOUNT, "us-west-2", SettingsState.ENABLED, amazon);

    // us-east-1 enforces what the spec asks: the policy is Ready.
    AllowedAmiPolicy matching =
        converged(Policies.providers("matching", Mode.AUDIT_MODE, List.of("us-east-1"), "amazon"));
    assertThat(region(matching, "us-east-1").getInSync()).isTrue();
    assertThat(region(matching, "us-east-1").getManagedBy()).isEqualTo("declarative-policy");
    assertThat(condition(matching, Conditions.READY).getMessage())
        .isEqualTo(
            "all 1 Regions match the spec; us-east-1 enforced by a declarative policy that"
                + " matches the spec");

    // us-west-2 enforces enabled where the spec asks audit-mode: reported, never written.
    harness.apply(Policies.providers("differing", Mode.AUDIT_MODE, List.of("us-west-2"), "amazon"));
    AllowedAmiPolicy differing =
        awaitPolicy(
            "differing",
            p -> hasReason(p, Conditions.STALLED, Conditions.TRUE, "ManagedByDeclarativePolicy"));
    awaitMoreReconciles(3);

    assertThat(region(differing, "us-west-2").getInSync()).isFalse();
    assertThat(region(differing, "us-west-2").getPendingChanges())
        .isEqualTo(
            "would set state enabled -> audit-mode (enforced by a declarative policy that"
                + " differs from the spec)");
    assertThat(condition(differing, Conditions.READY).getMessage())
        .contains("which differ from the spec; the operator will not write to it");
    // The first reconcile of each policy sends its two DryRuns beside the read, before it knows
    // who manages the Region; once the status says so (or in sync), none is sent again.
    assertThat(writeCalls()).as("no write").allMatch(LoggedCall::dryRun);
    assertThat(writeCalls()).as("the first reconciles' DryRuns only").hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void whenDeletedWithDisable_thenEveryRegionIsDisabledBeforeThePolicyGoes() {
    start(Duration.ofSeconds(1));
    AllowedAmiPolicy policy = auditRollout("disable-on-delete");
    policy.getSpec().setDeletionPolicy("Disable");
    AllowedAmiPolicy ready = converged(policy);
    assertThat(ready.getMetadata().getFinalizers())
        .containsExactly("allowedamipolicies.ec2.allowedami.io/finalizer");
    assertThat(REGIONS).allSatisfy(r -> assertThat(state(r)).isEqualTo(SettingsState.AUDIT_MODE));
    long before = sim.counters().log().size();

    harness.client().resource(ready).delete();
    awaitGone("disable-on-delete");

    assertThat(REGIONS).allSatisfy(r -> assertThat(state(r)).isEqualTo(SettingsState.DISABLED));
    List<LoggedCall> deletionWrites =
        sim.counters().log().stream()
            .skip(before)
            .filter(c -> SimulatorCalls.WRITE_ACTIONS.contains(c.action()))
            .toList();
    // Per Region: a DryRun, then the write.
    assertThat(deletionWrites)
        .extracting(LoggedCall::action)
        .containsOnly("DisableAllowedImagesSettings")
        .hasSize(2 * REGIONS.size());
    assertThat(deletionWrites.stream().filter(LoggedCall::dryRun)).hasSize(REGIONS.size());
  }

  @Test
  void whenDeletedWithRetainOrAnInvalidSpec_thenAwsIsLeftAsItIs() {
    start(Duration.ofSeconds(1));
    AllowedAmiPolicy retained = converged(auditRollout("retained"));
    long before = sim.counters().log().size();

    harness.client().resource(retained).delete();
    awaitGone("retained");

    assertThat(REGIONS).allSatisfy(r -> assertThat(state(r)).isEqualTo(SettingsState.AUDIT_MODE));
    assertThat(sim.counters().log().stream().skip(before).map(LoggedCall::action))
        .noneMatch(SimulatorCalls.WRITE_ACTIONS::contains);

    // A spec the operator cannot trust is never acted on, Disable or not.
    AllowedAmiPolicy invalid =
        Policies.providers("invalid", Mode.DISABLED, List.of("us-east-1", "us-east-9"), "amazon");
    invalid.getSpec().setDeletionPolicy("Disable");
    harness.apply(invalid);
    awaitPolicy("invalid", p -> hasReason(p, Conditions.STALLED, Conditions.TRUE, "InvalidSpec"));
    long beforeInvalid = sim.counters().log().size();
    harness.client().resource(harness.get("invalid")).delete();
    awaitGone("invalid");
    assertThat(sim.counters().log().size()).isEqualTo(beforeInvalid);
    assertThat(state("us-east-1")).isEqualTo(SettingsState.AUDIT_MODE);
  }

  @Test
  void whenAwsIsUnreachableDuringDeletion_thenRetriesAreBoundedAndTheAnnotationReleasesThePolicy() {
    start(Duration.ofSeconds(6));
    AllowedAmiPolicy policy = auditRollout("stuck");
    policy.getSpec().setDeletionPolicy("Disable");
    AllowedAmiPolicy ready = converged(policy);
    sim.faults().regionDown("us-west-2", true);
    long before = sim.counters().log().size();

    harness.client().resource(ready).delete();
    AllowedAmiPolicy blocked =
        awaitPolicy(
            "stuck", p -> hasReason(p, Conditions.STALLED, Conditions.TRUE, "DeletionBlocked"));
    String message = condition(blocked, Conditions.READY).getMessage();
    assertThat(message)
        .startsWith("deletion blocked after 5 attempts to disable every Region: us-west-2: ")
        .contains("annotate " + RELEASE + "=true");
    assertThat(state("us-east-1")).isEqualTo(SettingsState.DISABLED);
    assertThat(state("eu-west-1")).isEqualTo(SettingsState.DISABLED);

    // No hot retries once blocked: nothing reaches AWS until the resync.
    long settled = sim.counters().log().size();
    long readsInDownRegion = readsIn("us-west-2", before);
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    assertThat(sim.counters().log().size()).isEqualTo(settled);
    // 5 attempts, one settings read each.
    assertThat(readsInDownRegion).isEqualTo(5);

    // Released by an administrator: gone at the next look, us-west-2 untouched.
    harness
        .client()
        .resource(harness.get("stuck"))
        .edit(
            p -> {
              p.getMetadata().setAnnotations(Map.of(RELEASE, "true"));
              return p;
            });
    awaitGone("stuck");
    sim.faults().regionDown("us-west-2", false);
    assertThat(state("us-west-2")).isEqualTo(SettingsState.AUDIT_MODE);
  }

  private long readsIn(String region, long fromSequence) {
    return sim.counters().log().stream()
        .skip(fromSequence)
        .filter(c -> c.region().equals(region) && c.action().equals("GetAllowedImagesSettings"))
        .count();
  }
}
