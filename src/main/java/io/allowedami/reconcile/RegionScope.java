package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.aws.AccountTarget;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.domain.DefaultRegions;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves which Regions a policy converges before any Region is called: '*' becomes the Regions
 * enabled for the account (DescribeRegions) minus the exclusions, and a listed Region the account
 * has not opted in to is settled as {@code RegionNotEnabled} without a call to it. A list of
 * Regions enabled by default ({@link DefaultRegions}) needs no DescribeRegions. DescribeRegions is
 * cached per account target for the policy's resync interval, so a steady-state resync makes at
 * most one such call per account, and a Region enabled later is seen at the next resync.
 */
public final class RegionScope {
  private static final Logger log = LoggerFactory.getLogger(RegionScope.class);

  /** A listed Region the account has not opted in to: terminal until the account opts in. */
  public static final String REGION_NOT_ENABLED = "RegionNotEnabled";

  /** The pseudo-Region reported when '*' cannot be resolved. */
  public static final String ALL = "*";

  /** The Regions to converge and the outcomes already settled, with the order status lists them. */
  public record Resolved(List<String> order, List<String> toConverge, List<RegionOutcome> settled) {
    public Resolved {
      order = List.copyOf(order);
      toConverge = List.copyOf(toConverge);
      settled = List.copyOf(settled);
    }

    /** Every outcome, the converged and the settled, in {@link #order}. */
    public List<RegionOutcome> merge(List<RegionOutcome> converged, List<RegionOutcome> more) {
      Map<String, RegionOutcome> byRegion = new HashMap<>();
      settled.forEach(o -> byRegion.put(o.region(), o));
      more.forEach(o -> byRegion.put(o.region(), o));
      converged.forEach(o -> byRegion.put(o.region(), o));
      return order.stream().map(byRegion::get).filter(o -> o != null).toList();
    }
  }

  private record Cached(
      Optional<List<RegionInfo>> regions, Optional<Failure> failure, Instant at) {}

  private final Map<AccountTarget, Cached> cache = new ConcurrentHashMap<>();
  private final AtomicLong describeRegionsCalls = new AtomicLong();
  private final Clock clock;

  RegionScope(Clock clock) {
    this.clock = clock;
  }

  /**
   * The Regions of a validated spec, reading DescribeRegions when the cache is older than ttl and
   * the answer matters: not for a list of Regions enabled by default, which no account can disable,
   * so that the first convergence of such a list does not wait for it.
   */
  Resolved resolve(
      AccountTarget target, AllowedImagesGateway aws, AllowedAmiPolicySpec spec, Duration ttl) {
    if (!needsDescribeRegions(spec)) {
      return scope(spec, Optional.empty(), Optional.empty());
    }
    Cached regions = describeRegions(target, aws, ttl);
    return scope(spec, regions.regions(), regions.failure());
  }

  /** '*' and a list with a Region that needs opting in depend on the account's Regions. */
  static boolean needsDescribeRegions(AllowedAmiPolicySpec spec) {
    return spec.isAllRegions() || !DefaultRegions.allEnabledByDefault(spec.getRegions());
  }

  /** The Regions last read for an account target, without calling AWS. */
  Optional<List<RegionInfo>> cached(AccountTarget target) {
    Cached c = cache.get(target);
    return c == null ? Optional.empty() : c.regions();
  }

  /** DescribeRegions calls made since the start, for tests and benchmarks. */
  long describeRegionsCalls() {
    return describeRegionsCalls.get();
  }

  /** Drops every cached answer (an account's Regions are read again at the next reconcile). */
  void clear() {
    cache.clear();
  }

  private Cached describeRegions(AccountTarget target, AllowedImagesGateway aws, Duration ttl) {
    Instant now = Instant.now(clock);
    Cached known = cache.get(target);
    if (known != null && Duration.between(known.at(), now).compareTo(ttl) < 0) {
      return known;
    }
    Cached fresh;
    try {
      describeRegionsCalls.incrementAndGet();
      fresh = new Cached(Optional.of(aws.describeRegions()), Optional.empty(), now);
    } catch (RuntimeException e) {
      Failure failure = AwsErrorClassifier.classify(e);
      log.warn("DescribeRegions failed for {}: {} ({})", target, failure.code(), failure.kind());
      fresh = new Cached(Optional.empty(), Optional.of(failure), now);
      if (!failure.isTerminal()) {
        cache.remove(target); // a throttle or a 5xx: ask again at the next reconcile
        return fresh;
      }
    }
    cache.put(target, fresh);
    return fresh;
  }

  /**
   * The pure part: '*' against the account's Regions, or an explicit list with its not-enabled
   * Regions settled. Without DescribeRegions' answer an explicit list is converged as listed (a
   * Region not enabled then answers AuthFailure), and '*' is reported as one failed pseudo-Region.
   */
  public static Resolved scope(
      AllowedAmiPolicySpec spec, Optional<List<RegionInfo>> regions, Optional<Failure> failure) {
    if (spec.isAllRegions()) {
      if (regions.isEmpty()) {
        Failure why = failure.orElse(Failure.recoverable("DescribeRegionsFailed", "no answer"));
        Failure reported =
            why.isTerminal()
                ? Failure.terminal(
                    why.code(),
                    "regions ['*'] needs ec2:DescribeRegions, which failed: " + why.message())
                : why;
        return new Resolved(
            List.of(ALL), List.of(), List.of(RegionOutcome.failedBeforeReading(ALL, reported)));
      }
      Set<String> excluded =
          new HashSet<>(spec.getExcludeRegions() == null ? List.of() : spec.getExcludeRegions());
      List<String> enabled =
          regions.get().stream()
              .filter(RegionInfo::enabled)
              .map(RegionInfo::name)
              .filter(r -> !excluded.contains(r))
              .distinct()
              .sorted(Comparator.naturalOrder())
              .toList();
      return new Resolved(enabled, enabled, List.of());
    }
    List<String> listed = spec.getRegions();
    Set<String> notEnabled = new HashSet<>();
    regions.ifPresent(
        all -> all.stream().filter(r -> !r.enabled()).forEach(r -> notEnabled.add(r.name())));
    List<String> toConverge = new ArrayList<>();
    List<RegionOutcome> settled = new ArrayList<>();
    for (String region : listed) {
      if (notEnabled.contains(region)) {
        settled.add(
            RegionOutcome.failedBeforeReading(
                region,
                Failure.terminal(
                    REGION_NOT_ENABLED,
                    "the account has not opted in to this Region (DescribeRegions:"
                        + " not-opted-in); enable it for the account or remove it from"
                        + " spec.regions. It is checked again at each resync")));
      } else {
        toConverge.add(region);
      }
    }
    return new Resolved(listed, toConverge, settled);
  }
}
