package io.allowedami.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.app.InProcessKubernetes;
import io.allowedami.app.LeaderElectionSettings;
import io.allowedami.app.OperatorConfig;
import io.allowedami.app.OperatorRuntime.Leadership;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operator instances against one Kubernetes API and one AWS: one leads and writes, the other
 * waits, and takes over when the leader stops; no write is ever made twice.
 */
class LeaderElectionIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(LeaderElectionIntegrationTest.class);
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");
  private static final String LEASE_NAMESPACE = "allowed-ami-operator";
  private static final String LEASE_NAME = "allowed-ami-operator";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String REPLACE = "ReplaceImageCriteriaInAllowedImagesSettings";
  private static final String ENABLE = "EnableAllowedImagesSettings";
  private static final String DISABLE = "DisableAllowedImagesSettings";

  private InProcessKubernetes kubernetes;
  private KubernetesClient admin;
  private SimulatedAws aws;
  private Ec2Simulator sim;
  private final List<OperatorHarness> instances = new ArrayList<>();

  /** One operator instance, with its own metrics to count its own reconciles. */
  private record Instance(String identity, OperatorHarness harness, MeterRegistry metrics) {
    Leadership leadership() {
      return harness.runtime().leadership();
    }

    long reconciles() {
      var timer = metrics.find("allowedami.reconcile.duration").timer();
      return timer == null ? 0 : timer.count();
    }
  }

  @BeforeEach
  void start() {
    kubernetes = InProcessKubernetes.start();
    admin = kubernetes.newClient();
    aws = new SimulatedAws(SimulatorWorld.defaultWorld());
    sim = aws.simulator();
  }

  @AfterEach
  void stop() {
    instances.forEach(OperatorHarness::close);
    admin.resources(AllowedAmiPolicy.class).delete();
    admin.close();
    kubernetes.close();
    aws.close();
  }

  /**
   * Short timings so that the test stays short: a 4 s Lease, tried every 0.5 s, given up by its
   * leader after 2 s without a renewal.
   */
  private static OperatorConfig config(String identity) {
    return OperatorHarness.config(Duration.ofSeconds(1))
        .withLeaderElection(
            LeaderElectionSettings.lease(LEASE_NAME, Optional.of(LEASE_NAMESPACE), identity)
                .withTimings(Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofMillis(500)));
  }

  private CompletableFuture<Instance> startInstance(String identity) {
    return startInstance(identity, builder -> {});
  }

  private CompletableFuture<Instance> startInstance(
      String identity, Consumer<KubernetesClientBuilder> client) {
    return CompletableFuture.supplyAsync(
        () -> {
          SimpleMeterRegistry metrics = new SimpleMeterRegistry();
          OperatorHarness harness =
              OperatorHarness.join(kubernetes, aws.gateways(), config(identity), metrics, client);
          synchronized (instances) {
            instances.add(harness);
          }
          return new Instance(identity, harness, metrics);
        });
  }

  private long ok(String action) {
    return sim.counters().countOutcome(action, CallCounters.OK);
  }

  private String leaseHolder() {
    Lease lease = admin.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private AllowedAmiPolicy awaitReady(String name, long generation) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              AllowedAmiPolicy p = admin.resources(AllowedAmiPolicy.class).withName(name).get();
              return Policies.isReady(p) && p.getMetadata().getGeneration() == generation;
            });
    return admin.resources(AllowedAmiPolicy.class).withName(name).get();
  }

  @Test
  void twoInstances_oneLeadsAndEachWriteIsMadeOnce_andTheStandbyTakesOverWhenTheLeaderStops() {
    // Both start at once and race for the Lease.
    CompletableFuture<Instance> a = startInstance("operator-a");
    CompletableFuture<Instance> b = startInstance("operator-b");
    List<Instance> both = List.of(a.join(), b.join());
    await()
        .atMost(WAIT)
        .until(
            () ->
                both.stream().filter(i -> i.leadership() == Leadership.LEADER).count() == 1
                    && both.stream().filter(i -> i.leadership() == Leadership.STANDBY).count()
                        == 1);
    Instance leader =
        both.stream().filter(i -> i.leadership() == Leadership.LEADER).findFirst().get();
    Instance standby = both.get(both.indexOf(leader) == 0 ? 1 : 0);
    assertThat(leaseHolder()).isEqualTo(leader.identity());

    // Audit mode in three Regions that start disabled: the criteria, then the state, in each.
    admin.resource(Policies.providers("fleet", Mode.AUDIT_MODE, REGIONS, "amazon")).create();
    awaitReady("fleet", 1);
    // Two more resyncs (every second) on the leader; the standby must stay idle throughout.
    long leaderReconciles = leader.reconciles();
    await().atMost(WAIT).until(() -> leader.reconciles() >= leaderReconciles + 2);

    assertThat(standby.reconciles()).as("reconciles by the standby").isZero();
    assertThat(standby.leadership()).isEqualTo(Leadership.STANDBY);
    assertThat(standby.harness().runtime().eventSourcesHealthy())
        .as("the standby's informers watch: it is ready")
        .isTrue();
    assertThat(standby.harness().runtime().role()).isEqualTo("standby");
    assertThat(ok(REPLACE)).as(REPLACE + ": once per Region").isEqualTo(REGIONS.size());
    assertThat(ok(ENABLE)).as(ENABLE + ": once per Region").isEqualTo(REGIONS.size());
    assertThat(ok(DISABLE)).isZero();
    log.info(
        "before the leader stopped: {} reconciles by the leader, {} by the standby; writes {}={},"
            + " {}={}, {}={}",
        leader.reconciles(),
        standby.reconciles(),
        REPLACE,
        ok(REPLACE),
        ENABLE,
        ok(ENABLE),
        DISABLE,
        ok(DISABLE));

    // The leader stops; the standby takes over and applies the next change.
    long stopped = System.nanoTime();
    leader.harness().close();
    await().atMost(WAIT).until(() -> standby.leadership() == Leadership.LEADER);
    Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
    assertThat(leaseHolder()).isEqualTo(standby.identity());

    AllowedAmiPolicy fleet = admin.resources(AllowedAmiPolicy.class).withName("fleet").get();
    fleet.getSpec().setMode(Mode.ENABLED);
    admin.resource(fleet).update();
    awaitReady("fleet", 2);

    assertThat(standby.reconciles()).as("reconciles by the new leader").isPositive();
    for (String region : REGIONS) {
      assertThat(sim.outOfBand().settings(ACCOUNT, region).state())
          .isEqualTo(SettingsState.ENABLED);
    }
    assertThat(ok(REPLACE)).as(REPLACE + ": the criteria did not change").isEqualTo(REGIONS.size());
    assertThat(ok(ENABLE))
        .as(ENABLE + ": once per Region for audit-mode, once for enabled")
        .isEqualTo(2L * REGIONS.size());
    assertThat(ok(DISABLE)).isZero();
    log.info(
        "takeover after {} ms; writes {}={}, {}={}, {}={}",
        takeover.toMillis(),
        REPLACE,
        ok(REPLACE),
        ENABLE,
        ok(ENABLE),
        DISABLE,
        ok(DISABLE));
  }

  /**
   * A client whose writes to Leases hang while {@code hang} is set, as a request does when the
   * network drops packets: the elector's renewal blocks inside one attempt.
   */
  private static Consumer<KubernetesClientBuilder> leaseWritesHangWhile(AtomicBoolean hang) {
    Interceptor interceptor =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (request.uri().getPath().contains("/leases/") && !"GET".equals(request.method())) {
              long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
              while (hang.get() && System.nanoTime() < until) {
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            }
          }
        };
    return builder ->
        builder.withHttpClientBuilderConsumer(
            http -> http.addOrReplaceInterceptor("hang-lease-writes", interceptor));
  }

  @Test
  void whenTheLeadersRenewalsHang_thenItStopsBeforeTheStandbyTakesOver() {
    AtomicBoolean hang = new AtomicBoolean();
    Instance cutOff = startInstance("operator-a", leaseWritesHangWhile(hang)).join();
    await().atMost(WAIT).until(() -> cutOff.leadership() == Leadership.LEADER);
    Instance standby = startInstance("operator-b").join();
    assertThat(standby.leadership()).isEqualTo(Leadership.STANDBY);

    hang.set(true);
    AtomicBoolean twoLeaders = new AtomicBoolean();
    try {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                boolean standbyLeads = standby.leadership() == Leadership.LEADER;
                if (standbyLeads && cutOff.leadership() == Leadership.LEADER) {
                  twoLeaders.set(true);
                }
                return standbyLeads;
              });
      assertThat(twoLeaders).as("both instances leading at once").isFalse();
      assertThat(cutOff.leadership()).isEqualTo(Leadership.LOST);
    } finally {
      hang.set(false);
    }
  }

  @Test
  void whenAnotherHolderTakesTheLease_thenTheLeaderStopsAndWritesNothingMore() {
    Instance only = startInstance("operator-a").join();
    await().atMost(WAIT).until(() -> only.leadership() == Leadership.LEADER);

    // Someone else renews the Lease over the leader's head (a partition healed the wrong way).
    admin
        .leases()
        .inNamespace(LEASE_NAMESPACE)
        .withName(LEASE_NAME)
        .edit(
            lease -> {
              ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
              lease.getSpec().setHolderIdentity("intruder");
              lease.getSpec().setLeaseDurationSeconds(600);
              lease.getSpec().setRenewTime(now);
              lease.getSpec().setAcquireTime(now);
              return lease;
            });

    await().atMost(WAIT).until(() -> only.leadership() == Leadership.LOST);
    await().atMost(WAIT).until(() -> !only.harness().runtime().isStarted());
    admin.resource(Policies.providers("after-loss", Mode.AUDIT_MODE, REGIONS, "amazon")).create();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.counters().total() == 0);
    assertThat(admin.resources(AllowedAmiPolicy.class).withName("after-loss").get().getStatus())
        .isNull();
  }
}
