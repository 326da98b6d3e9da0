package io.allowedami.aws;

import io.allowedami.domain.Failure;
import java.util.concurrent.Semaphore;

/**
 * How many instances the whole operator fetches and parses at once in DescribeInstanceImageMetadata
 * pages. The SDK builds an XML tree of ~12 MiB for a 1,000-item page before it maps it; with 32
 * Region workers over a large fleet that alone outgrew the heap. A page call holds as many permits
 * as the items it asks for (its MaxResults), so the memory is bounded whatever the fleet, while
 * small pages pass many at a time.
 */
public final class InstancePageLimit {
  /** 8 full pages: ~100 MiB of parse trees at worst. */
  public static final int DEFAULT_FULL_PAGES_AT_ONCE = 8;

  private final int capacity;
  private final Semaphore permits;

  /** Room for {@code fullPagesAtOnce} pages of {@code fullPage} items. */
  public InstancePageLimit(int fullPagesAtOnce, int fullPage) {
    if (fullPagesAtOnce < 1 || fullPage < 1) {
      throw new IllegalArgumentException(
          "the limit needs room for at least one page, was "
              + fullPagesAtOnce
              + " pages of "
              + fullPage);
    }
    this.capacity = fullPagesAtOnce * fullPage;
    this.permits = new Semaphore(capacity, true);
  }

  /** Waits until {@code items} more may be in flight; an interrupted wait is a failed call. */
  void acquire(int items) {
    try {
      permits.acquire(Math.min(items, capacity));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsFailureException(
          Failure.recoverable("Interrupted", "interrupted while waiting to read instances"), e);
    }
  }

  void release(int items) {
    permits.release(Math.min(items, capacity));
  }
}
