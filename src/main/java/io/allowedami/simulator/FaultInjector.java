package io.allowedami.simulator;

import io.allowedami.simulator.faults.Throttler;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.state.SettingsStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Faults and behaviours injected into the simulator (latency, throttling, 5xx, Regions down,
 * declarative policies, denied permissions, arbitrary error answers). Thread-safe; every change
 * applies to the next call.
 */
public final class FaultInjector {

  private static final String ANY_ACTION = "*";
  private static final String ANY_REGION = "*";

  private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
  private final Set<String> downRegions = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> deniedActions = new ConcurrentHashMap<>();
  private final Map<String, InjectedError> injectedErrors = new ConcurrentHashMap<>();
  private final Throttler throttler = new Throttler();
  private final SettingsStore settings;
  private volatile double serverErrorRate;

  FaultInjector(SettingsStore settings) {
    this.settings = settings;
  }

  /** Delays every call of an action (null: every action) by the given duration. */
  public FaultInjector latency(String actionOrNull, Duration delay) {
    latencies.put(actionOrNull == null ? ANY_ACTION : actionOrNull, delay);
    return this;
  }

  /**
   * Sets the token bucket for a Region and/or action (null: all); buckets are per account, Region
   * and action.
   */
  public FaultInjector throttle(
      String regionOrNull, String actionOrNull, int burst, double refillPerSecond) {
    throttler.override(regionOrNull, actionOrNull, new Throttler.Rate(burst, refillPerSecond));
    return this;
  }

  /** Removes every throttling override: EC2's default rates apply again, to fresh buckets. */
  public FaultInjector resetThrottling() {
    throttler.reset();
    return this;
  }

  /** Turns EC2's default throttling (reads 100 burst 20/s, writes 50 burst 5/s) off or on. */
  public FaultInjector throttlingEnabled(boolean enabled) {
    throttler.enabled(enabled);
    return this;
  }

  /** The fraction (0..1) of calls answered with InternalError (500) or Unavailable (503). */
  public FaultInjector serverErrorRate(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("server error rate must be within 0..1: " + rate);
    }
    serverErrorRate = rate;
    return this;
  }

  /** Makes a Region answer 503 Unavailable to every account. */
  public FaultInjector regionDown(String region, boolean down) {
    if (down) {
      downRegions.add(region);
    } else {
      downRegions.remove(region);
    }
    return this;
  }

  /**
   * Enforces a setting as an Organizations declarative policy would: ManagedBy declarative-policy,
   * writes rejected.
   */
  public FaultInjector managedByDeclarativePolicy(
      String accountId, String region, SettingsState state, List<Criterion> criteria) {
    settings.enforceDeclarativePolicy(accountId, region, state, criteria);
    return this;
  }

  /** Detaches the declarative policy: the setting rolls back to what the account had before. */
  public FaultInjector liftDeclarativePolicy(String accountId, String region) {
    settings.liftDeclarativePolicy(accountId, region);
    return this;
  }

  /**
   * Denies actions (EC2 or STS action names) to an account: UnauthorizedOperation / AccessDenied.
   */
  public FaultInjector restrictPermissions(String accountId, Set<String> denied) {
    deniedActions.put(accountId, Set.copyOf(denied));
    return this;
  }

  /** An error answer given in place of the action's own. */
  private record InjectedError(int status, String code, String message) {}

  /**
   * Answers every call of an action (null: every action) in a Region (null: every Region) with the
   * given HTTP status and error code, for codes the simulator never produces by itself (a code AWS
   * adds tomorrow, an undocumented one). Throttling is checked first, permissions after.
   */
  public FaultInjector injectError(
      String regionOrNull, String actionOrNull, int status, String code, String message) {
    injectedErrors.put(
        errorKey(regionOrNull, actionOrNull), new InjectedError(status, code, message));
    return this;
  }

  /** Removes every injected fault and restores EC2's default throttling. */
  public FaultInjector clear() {
    latencies.clear();
    downRegions.clear();
    deniedActions.clear();
    injectedErrors.clear();
    throttler.reset();
    serverErrorRate = 0;
    settings.liftAllDeclarativePolicies();
    return this;
  }

  // The request pipeline consults the methods below.

  public Duration latencyFor(String action) {
    return latencies.getOrDefault(action, latencies.getOrDefault(ANY_ACTION, Duration.ZERO));
  }

  public boolean isRegionDown(String region) {
    return downRegions.contains(region);
  }

  public boolean isDenied(String accountId, String action) {
    return deniedActions.getOrDefault(accountId, Set.of()).contains(action);
  }

  public boolean tryAcquire(String accountId, String region, String action, Action.Kind kind) {
    return throttler.tryAcquire(accountId, region, action, kind);
  }

  /** The error injected for this Region and action (the most specific match), or empty. */
  public Optional<ApiException> injectedError(String region, String action) {
    return Stream.of(
            errorKey(region, action),
            errorKey(region, null),
            errorKey(null, action),
            errorKey(null, null))
        .map(injectedErrors::get)
        .filter(Objects::nonNull)
        .findFirst()
        .map(e -> new ApiException(e.status(), e.code(), e.message()));
  }

  private static String errorKey(String regionOrNull, String actionOrNull) {
    return (regionOrNull == null ? ANY_REGION : regionOrNull)
        + "|"
        + (actionOrNull == null ? ANY_ACTION : actionOrNull);
  }

  /** A random server error at the configured rate, or empty. */
  public Optional<ApiException> serverError() {
    double rate = serverErrorRate;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (rate == 0 || random.nextDouble() >= rate) {
      return Optional.empty();
    }
    return Optional.of(
        random.nextBoolean()
            ? new ApiException(500, "InternalError", "An internal error has occurred (injected)")
            : new ApiException(503, "Unavailable", "The service is unavailable (injected)"));
  }
}
