package io.allowedami.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allowedami.domain.RegionSettings;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The clients of an account target are released when no call has used them for the idle timeout,
 * never while a call runs, and built again on the next call. Time is a ticker moved by hand.
 */
class SdkGatewayFactoryTest {
  private static final Duration IDLE = Duration.ofMinutes(10);
  private static final AccountTarget OWN = AccountTarget.OPERATOR_CREDENTIALS;
  private static final AccountTarget MEMBER =
      AccountTarget.assumeRole(SimulatorWorld.MEMBER_ROLE_ARN, SimulatorWorld.MEMBER_EXTERNAL_ID);

  private final AtomicLong ticker = new AtomicLong();
  private final GatedCredentials credentials = new GatedCredentials();
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private Ec2Simulator sim;
  private SdkGatewayFactory factory;

  @BeforeEach
  void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    factory =
        new SdkGatewayFactory(
            AwsClientSettings.defaults()
                .withEndpointOverride(sim.endpoint())
                .withMaxAttempts(1)
                .withIdleClientTimeout(IDLE),
            credentials,
            new SimpleMeterRegistry(),
            ticker::get);
  }

  @AfterEach
  void stop() {
    credentials.letThrough();
    caller.shutdownNow();
    factory.close();
    sim.close();
  }

  private void advance(Duration duration) {
    ticker.addAndGet(duration.toNanos());
  }

  @Test
  void whenATargetGoesUnusedForTheIdleTimeout_thenItsClientsAreClosedAndBuiltAgainOnTheNextCall() {
    AllowedImagesGateway own = factory.forAccount(OWN);
    AllowedImagesGateway member = factory.forAccount(MEMBER);
    assertThat(own.accountId()).isEqualTo(SimulatorWorld.DEFAULT_ACCOUNT_ID);
    assertThat(member.accountId()).isEqualTo(SimulatorWorld.MEMBER_ACCOUNT_ID);
    assertThat(factory.openTargets()).containsExactlyInAnyOrder(OWN, MEMBER);

    advance(IDLE.minusMinutes(1));
    own.getSettings("us-east-1");
    advance(Duration.ofMinutes(2));
    factory.forAccount(OWN);

    assertThat(factory.openTargets())
        .as("the member role was idle for 11 minutes")
        .containsOnly(OWN);

    long assumeRoles = sim.counters().count("AssumeRole");
    long callerIdentities = sim.counters().count("GetCallerIdentity");
    assertThat(member.accountId())
        .as("a gateway kept across the release still works")
        .isEqualTo(SimulatorWorld.MEMBER_ACCOUNT_ID);
    assertThat(sim.counters().count("AssumeRole")).as("new credentials").isEqualTo(assumeRoles + 1);
    assertThat(sim.counters().count("GetCallerIdentity"))
        .as("new clients, with nothing cached")
        .isEqualTo(callerIdentities + 1);
    assertThat(factory.openTargets()).containsExactlyInAnyOrder(OWN, MEMBER);
  }

  @Test
  void aTargetUsedWithinTheIdleTimeoutKeepsItsClients() {
    AllowedImagesGateway own = factory.forAccount(OWN);
    own.accountId();
    long callerIdentities = sim.counters().count("GetCallerIdentity");

    for (int i = 0; i < 5; i++) {
      advance(IDLE.minusSeconds(1));
      factory.forAccount(OWN).getSettings("us-east-1");
    }

    assertThat(factory.openTargets()).containsOnly(OWN);
    assertThat(own.accountId()).isEqualTo(SimulatorWorld.DEFAULT_ACCOUNT_ID);
    assertThat(sim.counters().count("GetCallerIdentity"))
        .as("the account ID is still cached: the same clients")
        .isEqualTo(callerIdentities);
  }

  @Test
  void aCallInFlightKeepsItsClientsOpenWhateverTheIdleTime() throws Exception {
    AllowedImagesGateway own = factory.forAccount(OWN);
    own.getSettings("us-east-1");

    credentials.hold();
    Future<RegionSettings> inFlight = caller.submit(() -> own.getSettings("eu-west-1"));
    assertThat(credentials.entered.await(30, TimeUnit.SECONDS))
        .as("the call is waiting for its credentials")
        .isTrue();
    advance(Duration.ofHours(1));
    factory.releaseIdleClients();

    assertThat(factory.openTargets()).containsOnly(OWN);
    credentials.letThrough();
    assertThat(inFlight.get(30, TimeUnit.SECONDS)).isNotNull();

    advance(IDLE);
    factory.releaseIdleClients();
    assertThat(factory.openTargets()).as("idle once the call ended").isEmpty();
  }

  @Test
  void closingTheFactoryClosesEveryTargetsClients() {
    factory.forAccount(OWN).accountId();
    factory.forAccount(MEMBER).accountId();

    factory.close();

    assertThat(factory.openTargets()).isEmpty();
    assertThatThrownBy(() -> factory.forAccount(OWN).accountId())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theThreadsOfTheClientsDoNotGrowWithTheAccountsAndRegions() {
    List<String> regions = SimulatorWorld.DEFAULT_REGIONS.subList(0, 3);
    factory.forAccount(OWN).getSettings(regions.get(0)); // the shared pools exist from here on
    int before = Thread.activeCount();

    // 20 account targets (one role, 20 session names) × 3 Regions: 100 SDK clients.
    for (int i = 0; i < 20; i++) {
      AllowedImagesGateway gateway =
          factory.forAccount(
              AccountTarget.assumeRole(
                  SimulatorWorld.MEMBER_ROLE_ARN, SimulatorWorld.MEMBER_EXTERNAL_ID, "s" + i));
      regions.forEach(gateway::getSettings);
    }

    assertThat(factory.openTargets()).hasSize(21);
    assertThat(Thread.activeCount() - before)
        .as("threads started by 100 more clients (each SDK client once had 5 of its own)")
        .isLessThanOrEqualTo(4);
    factory.close();
    assertThat(sdkSchedulerThreads()).as("closing the factory ends its scheduler").isZero();
  }

  private static long sdkSchedulerThreads() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long alive;
    do {
      alive =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith(SdkGatewayFactory.SCHEDULER_THREAD_PREFIX))
              .count();
    } while (alive > 0 && System.nanoTime() < deadline && pause());
    return alive;
  }

  private static boolean pause() {
    try {
      Thread.sleep(20);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The simulator's keys, behind a gate that can hold a call while it resolves credentials. */
  private static final class GatedCredentials implements AwsCredentialsProvider {
    private final AwsCredentials keys =
        AwsBasicCredentials.create(
            SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
    final CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch gate;

    void hold() {
      gate = new CountDownLatch(1);
    }

    void letThrough() {
      CountDownLatch current = gate;
      gate = null;
      if (current != null) {
        current.countDown();
      }
    }

    @Override
    public AwsCredentials resolveCredentials() {
      CountDownLatch current = gate;
      if (current != null) {
        entered.countDown();
        try {
          current.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return keys;
    }
  }
}
