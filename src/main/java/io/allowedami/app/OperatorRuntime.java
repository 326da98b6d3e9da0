package io.allowedami.app;

import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.reconcile.AllowedAmiPolicyReconciler;
import io.allowedami.reconcile.ComplianceMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and starts the operator. Production, the demo and the integration tests all start it here,
 * so that they take the same path (notably: status written without server-side apply, the same
 * leader election and the same policy selector).
 */
public final class OperatorRuntime implements AutoCloseable, ManagementServer.OperatorHealth {
  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);
  private static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(15);

  /** What this instance does about writing: the probes and the {@code allowedami_leader} gauge. */
  public enum Leadership {
    /** Leader election is off: this instance reconciles. */
    SOLE_INSTANCE,
    /** Waiting for the Lease: caches warm, no reconcile, no write. */
    STANDBY,
    /** Holds the Lease and reconciles. */
    LEADER,
    /** Held the Lease and lost it without being asked to stop: stopped writing. */
    LOST;

    public boolean reconciles() {
      return this == SOLE_INSTANCE || this == LEADER;
    }
  }

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final String leaseNamespace;
  private final Operator operator;
  private final ExecutorService regionExecutor;
  private final AllowedAmiPolicyReconciler reconciler;
  private final Runnable onLostLeadership;
  private final AtomicReference<Leadership> leadership = new AtomicReference<>();
  private volatile PolicyDeletionWatch deletions;
  private volatile LeaseWatchdog watchdog;
  private volatile boolean started;
  private volatile boolean closing;

  private OperatorRuntime(
      KubernetesClient client,
      OperatorConfig config,
      AllowedImagesGatewayFactory gateways,
      MeterRegistry metrics,
      Clock clock,
      Runnable onLostLeadership) {
    PolicyJson.requireLenientReading(client.getKubernetesSerialization());
    this.client = client;
    this.config = config;
    this.onLostLeadership = onLostLeadership != null ? onLostLeadership : this::stopInBackground;
    LeaderElectionSettings election = config.leaderElection();
    this.leaseNamespace = election.enabled() ? leaseNamespace(election, client) : null;
    leadership.set(election.enabled() ? Leadership.STANDBY : Leadership.SOLE_INSTANCE);
    Gauge.builder("allowedami.leader", leadership, l -> l.get().reconciles() ? 1 : 0)
        .description("1 while this instance reconciles (leader, or leader election off), else 0")
        .register(metrics);
    // Region log lines carry the policy from the reconcile thread's MDC.
    this.regionExecutor =
        new MdcPropagatingExecutor(
            Executors.newFixedThreadPool(config.regionConcurrency(), namedThreads("region-")));
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // The reconciler writes status itself (StatusWriter: a replace with optimistic
                  // locking). No server-side apply anywhere: the in-process API of the demo and
                  // tests lacks it, and all paths stay the same.
                  .withUseSSAToPatchPrimaryResource(false)
                  // Stopping waits for reconciles in flight (JOSDK's default is not to), so that
                  // their AWS and Kubernetes clients are not closed underneath them; within the
                  // Deployment's 30 s grace period.
                  .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(metrics)
                          .build())
                  .withStopOnInformerErrorDuringStartup(true);
              if (election.enabled()) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            election.leaseName())
                        .withLeaseNamespace(leaseNamespace)
                        .withIdentity(election.identity())
                        .withLeaseDuration(election.leaseDuration())
                        .withRenewDeadline(election.renewDeadline())
                        .withRetryPeriod(election.retryPeriod())
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                this::startedLeading, this::stoppedLeading, this::newLeader))
                        // JOSDK would call System.exit from the elector's thread, also when we
                        // stop deliberately, and that deadlocks with a shutdown hook that stops
                        // the operator. Lost leadership is handled in stoppedLeading instead.
                        .withExitOnStopLeading(false)
                        .build());
              }
            });
    this.reconciler =
        new AllowedAmiPolicyReconciler(
            gateways,
            regionExecutor,
            config.reconcile(),
            new KubernetesPolicyEvents(client, clock),
            new ComplianceMetrics(metrics),
            clock);
    PolicySelector selector = config.policySelector();
    operator.register(
        reconciler,
        overrider -> {
          // A safety net: even if a reschedule were lost, every policy is looked at again.
          overrider.withReconciliationMaxInterval(
              config.reconcile().defaultResyncInterval().multipliedBy(2));
          if (!selector.selectsAll()) {
            overrider.withLabelSelector(selector.expression());
          }
        });
  }

  /**
   * Builds the operator without starting it, so that its probes can answer while it starts. On lost
   * leadership it stops itself.
   */
  public static OperatorRuntime create(
      KubernetesClient client,
      OperatorConfig config,
      AllowedImagesGatewayFactory gateways,
      MeterRegistry metrics,
      Clock clock) {
    return new OperatorRuntime(client, config, gateways, metrics, clock, null);
  }

  /**
   * As {@link #create(KubernetesClient, OperatorConfig, AllowedImagesGatewayFactory, MeterRegistry,
   * Clock)}, but on lost leadership runs {@code onLostLeadership} (after the Region pool has been
   * stopped) instead of stopping itself: production ends the process there.
   */
  public static OperatorRuntime create(
      KubernetesClient client,
      OperatorConfig config,
      AllowedImagesGatewayFactory gateways,
      MeterRegistry metrics,
      Clock clock,
      Runnable onLostLeadership) {
    return new OperatorRuntime(client, config, gateways, metrics, clock, onLostLeadership);
  }

  /** Builds and starts the operator; returns once its informers have synced. */
  public static OperatorRuntime start(
      KubernetesClient client,
      OperatorConfig config,
      AllowedImagesGatewayFactory gateways,
      MeterRegistry metrics,
      Clock clock) {
    OperatorRuntime runtime = create(client, config, gateways, metrics, clock);
    runtime.start();
    return runtime;
  }

  /**
   * Starts the informers and returns once they have synced (JOSDK waits up to two minutes, then
   * fails); with leader election, the Lease is then contended in the background and reconciling
   * starts when it is won.
   */
  public void start() {
    log.info(
        "starting: {}; leader election {}",
        config.policySelector(),
        config.leaderElection().enabled()
            ? "on (Lease "
                + leaseNamespace
                + "/"
                + config.leaderElection().leaseName()
                + ", identity "
                + config.leaderElection().identity()
                + ")"
            : "off");
    try {
      // The finalizer's cleanup forgets a deleted policy; this also forgets one relabelled out of
      // the selector. Started first so that no change falls between the two informers' lists.
      deletions = PolicyDeletionWatch.start(client, config.policySelector(), reconciler::forget);
      LeaderElectionSettings election = config.leaderElection();
      if (election.enabled()) {
        watchdog =
            LeaseWatchdog.start(
                client,
                leaseNamespace,
                election.leaseName(),
                election.identity(),
                election.renewDeadline(),
                election.retryPeriod(),
                () ->
                    loseLeadership(
                        "it was not renewed for more than "
                            + election.renewDeadline().toSeconds()
                            + " s"));
      }
      operator.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    started = !closing;
  }

  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  public Leadership leadership() {
    return leadership.get();
  }

  @Override
  public boolean isStarted() {
    return started;
  }

  @Override
  public boolean eventSourcesHealthy() {
    PolicyDeletionWatch watch = deletions;
    return started
        && operator.getRuntimeInfo().allEventSourcesAreHealthy()
        && watch != null
        && watch.isWatching();
  }

  @Override
  public String role() {
    return switch (leadership.get()) {
      case SOLE_INSTANCE -> "sole instance";
      case LEADER -> "leader";
      case STANDBY -> "standby";
      case LOST -> "lost leadership";
    };
  }

  private void startedLeading() {
    LeaseWatchdog lease = watchdog;
    if (lease != null) {
      lease.leading();
    }
    leadership.set(Leadership.LEADER);
    log.info(
        "leading: this instance ({}) now reconciles {}",
        config.leaderElection().identity(),
        config.policySelector());
  }

  private void newLeader(String identity) {
    if (!config.leaderElection().identity().equals(identity)) {
      log.info("standby: {} leads", identity);
    }
  }

  /**
   * Called by the elector when this instance stops leading: on a deliberate stop (nothing to do) or
   * because the Lease could not be renewed in time or was taken.
   */
  private void stoppedLeading() {
    loseLeadership("it could not be renewed in time, or another instance holds it");
  }

  /**
   * Another instance may already be writing: the Region work stops at once and {@link
   * #onLostLeadership} runs. Nothing happens on a deliberate stop or when not leading.
   */
  private void loseLeadership(String why) {
    if (closing || !leadership.compareAndSet(Leadership.LEADER, Leadership.LOST)) {
      return;
    }
    LeaseWatchdog lease = watchdog;
    if (lease != null) {
      lease.notLeading();
    }
    log.error(
        "lost the Lease {}/{} ({}): another instance may be writing, so this one stops",
        leaseNamespace,
        config.leaderElection().leaseName(),
        why);
    regionExecutor.shutdownNow();
    onLostLeadership.run();
  }

  private void stopInBackground() {
    Thread stopper = new Thread(this::close, "lost-leadership");
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * Stops reconciling, waits up to 10 s for the Regions in flight, then, if this instance led and
   * no Region work is left, releases the Lease so that a standby takes over at once instead of
   * after the lease duration.
   */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    started = false;
    boolean led = leadership.get() == Leadership.LEADER;
    if (deletions != null) {
      deletions.close();
    }
    if (watchdog != null) {
      watchdog.close();
    }
    operator.stop();
    leadership.compareAndSet(Leadership.LEADER, Leadership.STANDBY);
    regionExecutor.shutdown();
    boolean regionsDone = false;
    try {
      regionsDone = regionExecutor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reconciler.close();
    if (led && regionsDone) {
      releaseLease();
    }
  }

  /** What fabric8's elector does on release: the Lease expires one second from now. */
  private void releaseLease() {
    LeaderElectionSettings election = config.leaderElection();
    LeaseLock lock = new LeaseLock(leaseNamespace, election.leaseName(), election.identity());
    try {
      LeaderElectionRecord current = lock.get(client);
      if (current == null || !election.identity().equals(current.getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lock.update(
          client,
          new LeaderElectionRecord(
              election.identity(),
              Duration.ofSeconds(1),
              current.getAcquireTime(),
              now,
              current.getLeaderTransitions()));
      log.info("released the Lease {}/{}", leaseNamespace, election.leaseName());
    } catch (KubernetesClientException e) {
      log.warn(
          "could not release the Lease {}/{} ({}); a standby takes over when it expires",
          leaseNamespace,
          election.leaseName(),
          e.getMessage());
    }
  }

  private static String leaseNamespace(LeaderElectionSettings election, KubernetesClient client) {
    String namespace =
        election.leaseNamespace().orElseGet(() -> client.getConfiguration().getNamespace());
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException(
          "leader election needs the namespace of its Lease: set --lease-namespace (or"
              + " POD_NAMESPACE), or turn leader election off with --leader-election=false");
    }
    return namespace;
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
