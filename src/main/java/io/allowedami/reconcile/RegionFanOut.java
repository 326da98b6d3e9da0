package io.allowedami.reconcile;

import io.allowedami.domain.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task per Region on the shared pool and collects every outcome: each Region has its own
 * deadline and its own failure, so that one slow or broken Region never discards or holds back the
 * others' outcomes, writes already made included.
 */
final class RegionFanOut {
  private static final Logger log = LoggerFactory.getLogger(RegionFanOut.class);

  /** The Region did not finish within its deadline; its work goes on and is seen next time. */
  static final String DEADLINE_EXCEEDED = "RegionDeadlineExceeded";

  private final ExecutorService executor;
  private final Duration deadline;

  RegionFanOut(ExecutorService executor, Duration deadline) {
    this.executor = executor;
    this.deadline = deadline;
  }

  List<RegionOutcome> converge(List<String> regions, Function<String, RegionOutcome> task) {
    List<CompletableFuture<RegionOutcome>> futures = new ArrayList<>(regions.size());
    for (String region : regions) {
      CompletableFuture<RegionOutcome> future;
      try {
        future = CompletableFuture.supplyAsync(() -> task.apply(region), executor);
      } catch (RejectedExecutionException e) {
        future =
            CompletableFuture.completedFuture(
                RegionOutcome.failedBeforeReading(
                    region, Failure.recoverable("ShuttingDown", "the operator is stopping")));
      }
      futures.add(
          future
              .completeOnTimeout(timedOut(region), deadline.toMillis(), TimeUnit.MILLISECONDS)
              .exceptionally(e -> crashed(region, e)));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private RegionOutcome timedOut(String region) {
    return RegionOutcome.failedBeforeReading(
        region,
        Failure.recoverable(
            DEADLINE_EXCEEDED,
            "the Region did not finish within "
                + deadline.toSeconds()
                + "s; its calls go on and the next reconcile reads it again"));
  }

  private static RegionOutcome crashed(String region, Throwable e) {
    log.error("region {}: unexpected error", region, e);
    return RegionOutcome.failedBeforeReading(
        region,
        Failure.terminal(
            io.allowedami.aws.AwsErrorClassifier.INTERNAL_ERROR,
            "unexpected " + e.getClass().getSimpleName() + " in the operator (see its log)"));
  }
}
