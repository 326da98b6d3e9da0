package io.allowedami.app;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops a leader whose renewals have stalled. fabric8's elector (under JOSDK's) checks its renew
 * deadline only between two attempts, and one attempt can block far longer than the Lease lasts
 * (request timeouts, retries on connection failures): a leader cut off from the API server would go
 * on writing after a standby had taken over. This watches the Lease and, once this instance's last
 * renewal there is older than the renew deadline, reports leadership lost. The renewal time
 * compared is the one this process wrote, with its own clock: no clock skew between nodes enters.
 */
final class LeaseWatchdog implements AutoCloseable {
  private final SharedIndexInformer<Lease> informer;
  private final ScheduledExecutorService timer;
  private final String identity;
  private final Duration renewDeadline;
  private final Clock clock;
  private final Runnable onStalled;
  private volatile Instant leadingSince;

  private LeaseWatchdog(
      SharedIndexInformer<Lease> informer,
      String identity,
      Duration renewDeadline,
      Duration period,
      Clock clock,
      Runnable onStalled) {
    this.informer = informer;
    this.identity = identity;
    this.renewDeadline = renewDeadline;
    this.clock = clock;
    this.onStalled = onStalled;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-watchdog");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts watching the Lease; the check runs every {@code period}. */
  static LeaseWatchdog start(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Duration renewDeadline,
      Duration period,
      Runnable onStalled) {
    SharedIndexInformer<Lease> informer =
        client.leases().inNamespace(namespace).withName(name).inform();
    return new LeaseWatchdog(
        informer, identity, renewDeadline, period, Clock.systemUTC(), onStalled);
  }

  /** This instance has just become leader: its renewals are due from now on. */
  void leading() {
    leadingSince = clock.instant();
  }

  void notLeading() {
    leadingSince = null;
  }

  private void check() {
    Instant since = leadingSince;
    if (since != null && stalled(since, ownRenewal(), clock.instant(), renewDeadline)) {
      leadingSince = null;
      onStalled.run();
    }
  }

  /**
   * Whether a leader must stop: neither its election nor its last renewal seen in the Lease is
   * within the renew deadline.
   */
  static boolean stalled(
      Instant leadingSince, Optional<Instant> lastRenewal, Instant now, Duration renewDeadline) {
    Instant confirmed = lastRenewal.filter(r -> r.isAfter(leadingSince)).orElse(leadingSince);
    return Duration.between(confirmed, now).compareTo(renewDeadline) > 0;
  }

  private Optional<Instant> ownRenewal() {
    return informer.getStore().list().stream()
        .map(Lease::getSpec)
        .filter(spec -> spec != null && identity.equals(spec.getHolderIdentity()))
        .map(spec -> spec.getRenewTime())
        .filter(time -> time != null)
        .map(time -> time.toInstant())
        .findFirst();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    informer.close();
  }
}
