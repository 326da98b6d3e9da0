package io.allowedami.simulator.faults;

/** A token bucket as EC2 throttles with: a burst capacity refilled at a steady rate. */
final class TokenBucket {

  private final int burst;
  private final double refillPerNano;
  private double tokens;
  private long lastRefill;

  TokenBucket(int burst, double refillPerSecond, long now) {
    this.burst = burst;
    this.refillPerNano = refillPerSecond / 1_000_000_000d;
    this.tokens = burst;
    this.lastRefill = now;
  }

  synchronized boolean tryAcquire(long now) {
    tokens = Math.min(burst, tokens + (now - lastRefill) * refillPerNano);
    lastRefill = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
