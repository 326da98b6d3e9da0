package io.allowedami.it;

import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.CallCounters.LoggedCall;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WatermarkFilter;
import io.allowedami.testing.SimulatorCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The fault campaign's ledger: which policy governs each account and Region, the history of each
 * policy's desired settings, and the invariants checked over the simulator's call log as the
 * campaign goes.
 *
 * <ol>
 *   <li>No write to a Region the operator last read as managed by a declarative policy. A write
 *       that reached a Region whose declarative policy was applied after the operator's read is a
 *       race no client can avoid: it is counted, not a violation (AWS rejects it). A DryRun check
 *       changes nothing: those the operator sends beside its settings read, before it knows who
 *       manages the Region, are counted apart.
 *   <li>No AWS call for the invalid policy: no call as its account, no AssumeRole of its role.
 *   <li>Every successful write sets what the governing policy's spec asks, for a spec in force at
 *       the time (or superseded less than {@link #STALE_SPEC_SLACK} before: a reconcile that
 *       started before the change finishes with the spec it read); none to an ungoverned Region.
 *   <li>The operator reads every valid policy's Regions at every step, and once the faults stop
 *       every Region converges and every status is true: the campaign reports both here.
 * </ol>
 */
final class CampaignInvariants {
  /** How long after a spec change a write may still carry the previous spec. */
  static final Duration STALE_SPEC_SLACK = Duration.ofSeconds(6);

  /** One account in one Region. */
  record Target(String account, String region) {
    @Override
    public String toString() {
      return account + "/" + region;
    }
  }

  /** Desired settings in canonical form: criteria as a set of criteria with sorted lists. */
  record Desired(SettingsState state, Set<Criterion> criteria) {
    static Desired of(SettingsState state, List<Criterion> criteria) {
      return new Desired(state, canonical(criteria));
    }

    @Override
    public String toString() {
      return state.wire() + " " + criteria;
    }
  }

  private record SpecVersion(Desired desired, long fromNanos, long untilNanos) {}

  private final long seed;
  private final Map<Target, String> governing = new HashMap<>();
  private final Map<String, List<SpecVersion>> history = new HashMap<>();
  private final String invalidAccount;
  private final Map<Target, LoggedCall> lastRead = new HashMap<>();
  private final Map<String, Long> checks = new LinkedHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long callsExamined;
  private long successfulWrites;
  private long racedWrites;
  private long staleSpecWrites;
  private long maxStaleLagMillis;
  private String stalest = "";
  private long declarativeReads;
  private long dryRunsBesideDeclarativeReads;
  private final Map<String, Long> assumeRolesByRole = new HashMap<>();

  CampaignInvariants(long seed, String invalidAccount) {
    this.seed = seed;
    this.invalidAccount = invalidAccount;
    for (String name :
        List.of(
            "no write to a declarative-policy Region",
            "no AWS call for the invalid spec",
            "every write towards the spec",
            "operator alive at every step",
            "converged and Ready after the faults")) {
      checks.put(name, 0L);
    }
  }

  void govern(String policy, String account, Collection<String> regions) {
    for (String region : regions) {
      String previous = governing.put(new Target(account, region), policy);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two policies govern " + account + "/" + region + ": " + previous + ", " + policy);
      }
    }
  }

  /** Called just before a policy's spec is written, so that no write can precede its version. */
  void specChanging(String policy, Desired desired) {
    history
        .computeIfAbsent(policy, p -> new ArrayList<>())
        .add(new SpecVersion(desired, System.nanoTime(), Long.MAX_VALUE));
  }

  /** Called once the API server accepted the spec: the version before it ends now. */
  void specChanged(String policy) {
    List<SpecVersion> versions = history.get(policy);
    if (versions.size() >= 2) {
      int i = versions.size() - 2;
      SpecVersion ended = versions.get(i);
      versions.set(i, new SpecVersion(ended.desired(), ended.fromNanos(), System.nanoTime()));
    }
  }

  /** Checks every call the simulator answered since the last examination. */
  void examine(List<LoggedCall> calls, String step) {
    for (LoggedCall call : calls) {
      callsExamined++;
      checkNoCallForInvalidSpec(call, step);
      Target target = new Target(call.account(), call.region());
      if (call.action().equals("AssumeRole") && call.details().roleArn() != null) {
        assumeRolesByRole.merge(call.details().roleArn(), 1L, Long::sum);
      }
      if (call.action().equals("GetAllowedImagesSettings")
          && CallCounters.OK.equals(call.outcome())
          && !call.dryRun()) {
        lastRead.put(target, call);
        if (call.details().managedBy() == ManagedBy.DECLARATIVE_POLICY) {
          declarativeReads++;
        }
      }
      if (SimulatorCalls.WRITE_ACTIONS.contains(call.action())) {
        checkNotUnderDeclarativePolicy(call, target, step);
        if (CallCounters.OK.equals(call.outcome()) && !call.dryRun()) {
          checkTowardsSpec(call, target, step);
        }
      }
    }
  }

  private void checkNoCallForInvalidSpec(LoggedCall call, String step) {
    count("no AWS call for the invalid spec");
    boolean asAccount = invalidAccount.equals(call.account());
    boolean assumingItsRole =
        call.details().roleArn() != null
            && call.details().roleArn().contains(":" + invalidAccount + ":");
    if (asAccount || assumingItsRole) {
      violation(
          step,
          "%s call #%d (%s %s, %s) for the invalid policy's account %s",
          call.action(),
          call.sequence(),
          call.region(),
          call.outcome(),
          assumingItsRole ? call.details().roleArn() : "as the account",
          invalidAccount);
    }
  }

  private void checkNotUnderDeclarativePolicy(LoggedCall call, Target target, String step) {
    count("no write to a declarative-policy Region");
    LoggedCall read = lastRead.get(target);
    if (read != null
        && read.details().managedBy() == ManagedBy.DECLARATIVE_POLICY
        && call.dryRun()) {
      dryRunsBesideDeclarativeReads++;
    } else if (read != null && read.details().managedBy() == ManagedBy.DECLARATIVE_POLICY) {
      violation(
          step,
          "%s%s call #%d to %s (%s) after the operator read it as managed by a declarative"
              + " policy (call #%d)",
          call.action(),
          call.dryRun() ? " (DryRun)" : "",
          call.sequence(),
          target,
          call.outcome(),
          read.sequence());
    } else if (call.details().managedBy() == ManagedBy.DECLARATIVE_POLICY && !call.dryRun()) {
      racedWrites++;
    }
  }

  private void checkTowardsSpec(LoggedCall call, Target target, String step) {
    count("every write towards the spec");
    successfulWrites++;
    String policy = governing.get(target);
    if (policy == null) {
      violation(
          step,
          "%s call #%d to %s, which no policy governs",
          call.action(),
          call.sequence(),
          target);
      return;
    }
    List<SpecVersion> candidates =
        history.get(policy).stream()
            .filter(v -> v.fromNanos() <= call.nanoTime())
            .filter(v -> call.nanoTime() - STALE_SPEC_SLACK.toNanos() <= v.untilNanos())
            .toList();
    SpecVersion latest = candidates.isEmpty() ? null : candidates.get(candidates.size() - 1);
    for (int i = candidates.size() - 1; i >= 0; i--) { // the newest spec the write matches
      SpecVersion version = candidates.get(i);
      if (writes(call, version.desired())) {
        if (version != latest) {
          staleSpecWrites++;
          long lag = Duration.ofNanos(call.nanoTime() - version.untilNanos()).toMillis();
          if (lag > maxStaleLagMillis) {
            maxStaleLagMillis = lag;
            stalest = String.format(" (step %s, call #%d to %s)", step, call.sequence(), target);
          }
        }
        return;
      }
    }
    violation(
        step,
        "%s call #%d to %s wrote %s, which no spec of %s in force asked for (%s)",
        call.action(),
        call.sequence(),
        target,
        call.details().requestedState() != null
            ? call.details().requestedState().wire()
            : canonical(call.details().requestedCriteria()),
        policy,
        candidates.stream().map(v -> v.desired().toString()).collect(Collectors.joining("; ")));
  }

  private static boolean writes(LoggedCall call, Desired desired) {
    if (call.action().equals("ReplaceImageCriteriaInAllowedImagesSettings")) {
      return call.details().requestedCriteria() != null
          && canonical(call.details().requestedCriteria()).equals(desired.criteria());
    }
    return desired.state() == call.details().requestedState();
  }

  /** Liveness: the operator looked at every valid policy's Regions during the step. */
  void alive(boolean alive, String step, String detail) {
    count("operator alive at every step");
    if (!alive) {
      violation(step, "the operator did not read %s within the step's bound", detail);
    }
  }

  void converged(boolean converged, String step, String detail) {
    count("converged and Ready after the faults");
    if (!converged) {
      violation(step, "not converged after the faults stopped: %s", detail);
    }
  }

  private void count(String invariant) {
    checks.merge(invariant, 1L, Long::sum);
  }

  private void violation(String step, String format, Object... args) {
    violations.add("seed " + seed + ", step " + step + ": " + String.format(format, args));
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  long totalChecks() {
    return checks.values().stream().mapToLong(Long::longValue).sum();
  }

  long successfulWrites() {
    return successfulWrites;
  }

  long assumeRoles(String roleArn) {
    return assumeRolesByRole.getOrDefault(roleArn, 0L);
  }

  String summary() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "  AWS calls examined: %d; successful writes: %d (%d with a spec superseded at most %d"
                + " ms before%s; %d raced a declarative policy applied after the operator's read);"
                + " reads answering declarative-policy: %d (DryRuns sent beside them: %d)%n",
            callsExamined,
            successfulWrites,
            staleSpecWrites,
            maxStaleLagMillis,
            stalest,
            racedWrites,
            declarativeReads,
            dryRunsBesideDeclarativeReads));
    text.append(String.format("  invariant checks: %d%n", totalChecks()));
    checks.forEach((name, n) -> text.append(String.format("    %-42s %d%n", name, n)));
    text.append(String.format("  violations: %d%n", violations.size()));
    violations.stream().limit(50).forEach(v -> text.append("    ").append(v).append('\n'));
    if (violations.size() > 50) {
      text.append(String.format("    ... and %d more%n", violations.size() - 50));
    }
    return text.toString();
  }

  /** Criteria as AWS treats them: order and duplicates carry no meaning. */
  static Set<Criterion> canonical(List<Criterion> criteria) {
    Set<Criterion> result = new TreeSet<>(Comparator.comparing(Criterion::toString));
    if (criteria != null) {
      criteria.forEach(c -> result.add(canonical(c)));
    }
    return result;
  }

  private static Criterion canonical(Criterion c) {
    return new Criterion(
        sorted(c.imageProviders()),
        sorted(c.imageNames()),
        sorted(c.marketplaceProductCodes()),
        c.maximumDaysSinceCreated(),
        c.maximumDaysSinceDeprecated(),
        c.imageWatermarks().stream()
            .distinct()
            .sorted(Comparator.comparing(WatermarkFilter::toString))
            .toList());
  }

  private static List<String> sorted(List<String> values) {
    return values.stream().distinct().sorted().toList();
  }
}
