package io.allowedami.reconcile;

import io.allowedami.compliance.ComplianceReport;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happened in one Region during one reconcile. Built with {@link #builder} or {@link
 * #failedBeforeReading}, so that each case names what it sets.
 *
 * @param observed the settings last known: read after the writes, or as written when the read-back
 *     failed; empty when even the first read failed
 * @param plan the decision taken on the first read; empty when that read failed
 * @param applied the writes that succeeded, in order
 * @param driftCorrected true when the Region had been in sync for this generation and was found
 *     changed outside the operator
 * @param failure why the Region is not converged, when it is not
 * @param compliance the instance report, when the instances could be read
 * @param complianceFailure why the instances could not be read; never blocks the settings
 * @param rolloutGate why the switch to enabled is held, when it is
 * @param pendingChanges the writes planned and not made, and why not (observe-only, suspended, a
 *     declarative policy), when there are any
 * @param launchTemplates the launch template report and why it could not be made; both empty when
 *     the policy does not scan launch templates
 */
public record RegionOutcome(
    String region,
    Optional<RegionSettings> observed,
    Optional<RegionPlan> plan,
    List<RegionAction> applied,
    boolean driftCorrected,
    Optional<Failure> failure,
    Optional<ComplianceReport> compliance,
    Optional<Failure> complianceFailure,
    Optional<String> rolloutGate,
    Optional<String> pendingChanges,
    LaunchTemplateScan.Result launchTemplates) {

  public RegionOutcome {
    Objects.requireNonNull(launchTemplates, "launchTemplates");
    Objects.requireNonNull(region, "region");
    applied = List.copyOf(applied);
  }

  /** An outcome for a Region where nothing could be read. */
  public static RegionOutcome failedBeforeReading(String region, Failure failure) {
    return new RegionOutcome(
        region,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        false,
        Optional.of(failure),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        LaunchTemplateScan.Result.NOT_SCANNED);
  }

  /** An outcome for a Region whose settings were read and planned. */
  public static Builder builder(String region, RegionSettings observed, RegionPlan plan) {
    return new Builder(region, observed, plan);
  }

  /** True when the Region matches the spec: as read, or once the writes made here succeeded. */
  public boolean inSync() {
    return failure.isEmpty()
        && pendingChanges.isEmpty()
        && plan.map(p -> p.isInSync() || p.outcome() == RegionPlan.Outcome.APPLY).orElse(false);
  }

  /**
   * The writes made, as a phrase for status and events: "replaced image criteria (1 criterion),
   * then ...".
   */
  public String describeApplied() {
    return applied.stream().map(RegionAction::describe).collect(Collectors.joining(", then "));
  }

  public boolean heldByRolloutGate() {
    return failure.isEmpty()
        && plan.map(p -> p.outcome() == RegionPlan.Outcome.HELD_BY_ROLLOUT_GATE).orElse(false);
  }

  /** True when this outcome needs a retry sooner than the resync: a recoverable failure. */
  public boolean needsRetry() {
    return failure.map(f -> !f.isTerminal()).orElse(false)
        || complianceFailure.map(f -> !f.isTerminal()).orElse(false)
        || launchTemplates.failure().map(f -> !f.isTerminal()).orElse(false);
  }

  /** Collects an outcome step by step as the Region converges. */
  public static final class Builder {
    private final String region;
    private final RegionPlan plan;
    private RegionSettings observed;
    private List<RegionAction> applied = List.of();
    private boolean driftCorrected;
    private Optional<Failure> failure = Optional.empty();
    private Optional<ComplianceReport> compliance = Optional.empty();
    private Optional<Failure> complianceFailure = Optional.empty();
    private Optional<String> rolloutGate = Optional.empty();
    private Optional<String> pendingChanges = Optional.empty();
    private LaunchTemplateScan.Result launchTemplates = LaunchTemplateScan.Result.NOT_SCANNED;

    private Builder(String region, RegionSettings observed, RegionPlan plan) {
      this.region = region;
      this.observed = Objects.requireNonNull(observed, "observed");
      this.plan = Objects.requireNonNull(plan, "plan");
    }

    public Builder observed(RegionSettings settings) {
      this.observed = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public Builder applied(List<RegionAction> actions) {
      this.applied = List.copyOf(actions);
      return this;
    }

    public Builder driftCorrected(boolean corrected) {
      this.driftCorrected = corrected;
      return this;
    }

    public Builder failure(Failure failure) {
      this.failure = Optional.of(failure);
      return this;
    }

    public Builder compliance(Optional<ComplianceReport> report, Optional<Failure> readFailure) {
      this.compliance = report;
      this.complianceFailure = readFailure;
      return this;
    }

    public Builder rolloutGate(Optional<String> message) {
      this.rolloutGate = message;
      return this;
    }

    public Builder pendingChanges(String description) {
      this.pendingChanges = Optional.of(description);
      return this;
    }

    public Builder launchTemplates(LaunchTemplateScan.Result result) {
      this.launchTemplates = Objects.requireNonNull(result, "result");
      return this;
    }

    public RegionOutcome build() {
      return new RegionOutcome(
          region,
          Optional.of(observed),
          Optional.of(plan),
          applied,
          driftCorrected,
          failure,
          compliance,
          complianceFailure,
          rolloutGate,
          pendingChanges,
          launchTemplates);
    }
  }
}
