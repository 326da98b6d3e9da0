package io.allowedami.aws;

import io.allowedami.domain.Failure;
import java.util.concurrent.Semaphore;

/**
 * How many DescribeInstanceImageMetadata pages the whole operator fetches and parses at once. The
 * SDK builds an XML tree of ~12 MiB for a 1,000-item page before it maps it; with 32 Region workers
 * over a large fleet that alone outgrew the heap. Bounding the pages in flight bounds that memory
 * whatever the fleet; the writes never wait for it (the scan is off the Region's critical path).
 */
public final class InstancePageLimit {
  /** 8 pages: ~100 MiB of parse trees at worst, 160 pages a second at 50 ms a call. */
  public static final int DEFAULT_PAGES_AT_ONCE = 8;

  private final Semaphore permits;

  public InstancePageLimit(int pagesAtOnce) {
    if (pagesAtOnce < 1) {
      throw new IllegalArgumentException("pagesAtOnce must be at least 1, was " + pagesAtOnce);
    }
    this.permits = new Semaphore(pagesAtOnce, true);
  }

  /** Waits for a page's turn; an interrupted wait (the operator stopping) is a failed call. */
  void acquire() {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsFailureException(
          Failure.recoverable("Interrupted", "interrupted while waiting to read instances"), e);
    }
  }

  void release() {
    permits.release();
  }
}
