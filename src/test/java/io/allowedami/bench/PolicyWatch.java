package io.allowedami.bench;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.testing.Policies;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each policy first had a status and first became Ready for its generation, as seen by a
 * watch: timing by events, not by polling, so a figure does not carry a polling interval.
 */
final class PolicyWatch implements AutoCloseable {
  private final Map<String, Long> firstStatusNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> readyNanos = new ConcurrentHashMap<>();
  private final Watch watch;

  PolicyWatch(KubernetesClient client) {
    watch =
        client
            .resources(AllowedAmiPolicy.class)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, AllowedAmiPolicy policy) {
                    long now = System.nanoTime();
                    String name = policy.getMetadata().getName();
                    if (policy.getStatus() != null
                        && policy.getStatus().getObservedGeneration() != null) {
                      firstStatusNanos.putIfAbsent(name, now);
                    }
                    if (Policies.isReady(policy)) {
                      readyNanos.putIfAbsent(name, now);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** Waits until every named policy was Ready; the time the last one became Ready, or empty. */
  OptionalLong awaitReady(Collection<String> names, Duration timeout) throws InterruptedException {
    return awaitReady(names, timeout, () -> {});
  }

  /**
   * The same, running {@code check} while it waits (it throws to give up, for example when the
   * operator's process is gone).
   */
  OptionalLong awaitReady(Collection<String> names, Duration timeout, Runnable check)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      check.run();
      if (readyNanos.keySet().containsAll(names)) {
        return OptionalLong.of(names.stream().mapToLong(readyNanos::get).max().orElseThrow());
      }
      Thread.sleep(5);
    }
    return OptionalLong.empty();
  }

  /** Waits for the first status any policy got; its time, or empty. */
  OptionalLong awaitFirstStatus(Duration timeout, Runnable check) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      check.run();
      OptionalLong first = firstStatusNanos.values().stream().mapToLong(Long::longValue).min();
      if (first.isPresent()) {
        return first;
      }
      Thread.sleep(5);
    }
    return OptionalLong.empty();
  }

  int readyCount() {
    return readyNanos.size();
  }

  @Override
  public void close() {
    watch.close();
  }
}
