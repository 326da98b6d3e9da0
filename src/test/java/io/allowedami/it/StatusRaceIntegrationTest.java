package io.allowedami.it;

import static io.allowedami.testing.Policies.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.aws.AccountTarget;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.domain.RegionSettings;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Status never lies, made deterministic: a spec change and another status writer race a reconcile.
 * The reconcile is held inside its first AWS read (after it took its copy of the object) while
 * someone else rewrites the status with fewer conditions and Regions; then it goes on. A status
 * write computed against the stale copy (JOSDK's JSON Patch by list index) fails there for good;
 * the operator must write a true status for the generation it reconciled, and reconcile every
 * generation.
 */
class StatusRaceIntegrationTest {
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-2", "eu-west-3");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private SimulatedAws aws;
  private HeldGateways held;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    held = new HeldGateways(aws.gateways());
    harness = OperatorHarness.start(held, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    held.release();
    harness.close();
    aws.close();
  }

  @Test
  void
      whenAnotherWriterRewritesStatusDuringAReconcileOfANewGeneration_thenThatGenerationIsReconciledAndReportedTruly()
          throws InterruptedException {
    harness.apply(Policies.providers("race", Mode.AUDIT_MODE, REGIONS, "amazon"));
    await().atMost(WAIT).until(() -> Policies.isReady(harness.get("race")));
    assertThat(harness.get("race").getStatus().getConditions()).hasSizeGreaterThan(1);

    // Generation 2, whose reconcile is held inside its first settings read.
    held.arm();
    AllowedAmiPolicy policy = harness.get("race");
    policy.getSpec().setMode(Mode.ENABLED);
    long generation = harness.client().resource(policy).update().getMetadata().getGeneration();
    assertThat(held.awaitHeld()).as("the reconcile of generation 2 reached AWS").isTrue();

    // Another writer replaces the status: one condition, no Region.
    AllowedAmiPolicy other = harness.get("race");
    AllowedAmiPolicyStatus foreign = new AllowedAmiPolicyStatus();
    foreign.setObservedGeneration(1L);
    foreign.setConditions(
        new ArrayList<>(
            List.of(new PolicyCondition(Conditions.READY, Conditions.FALSE, "Foreign", "x"))));
    foreign.setRegions(new ArrayList<>());
    other.setStatus(foreign);
    harness.client().resource(other).updateStatus();
    held.release();

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              AllowedAmiPolicy p = harness.get("race");
              return p.getStatus().getObservedGeneration() == generation && Policies.isReady(p);
            });
    AllowedAmiPolicy after = harness.get("race");
    assertThat(after.getStatus().getRegions()).hasSize(REGIONS.size());
    assertThat(after.getStatus().getConditions())
        .extracting(PolicyCondition::getType)
        .contains(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED);
    assertThat(condition(after, Conditions.READY).getObservedGeneration()).isEqualTo(generation);
    for (String region : REGIONS) {
      assertThat(
              aws.simulator()
                  .outOfBand()
                  .settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, region)
                  .state())
          .as("AWS in %s follows generation %d", region, generation)
          .isEqualTo(SettingsState.ENABLED);
    }
  }

  /** Delegates to the real gateways; once armed, holds the next settings read until released. */
  private static final class HeldGateways implements AllowedImagesGatewayFactory {
    private final AllowedImagesGatewayFactory delegate;
    private volatile CountDownLatch reached = new CountDownLatch(0);
    private volatile CountDownLatch released = new CountDownLatch(0);
    private volatile boolean armed;

    HeldGateways(AllowedImagesGatewayFactory delegate) {
      this.delegate = delegate;
    }

    void arm() {
      reached = new CountDownLatch(1);
      released = new CountDownLatch(1);
      armed = true;
    }

    boolean awaitHeld() throws InterruptedException {
      return reached.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void release() {
      armed = false;
      released.countDown();
    }

    @Override
    public AllowedImagesGateway forAccount(AccountTarget target) {
      return new DelegatingGateway(delegate.forAccount(target)) {
        @Override
        public RegionSettings getSettings(String region) {
          if (armed) {
            reached.countDown();
            try {
              released.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return super.getSettings(region);
        }
      };
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
