package io.allowedami.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, validate, converge every Region in parallel, patch status only when it changed, and
 * always reschedule: AWS sends no events, so drift is only ever seen by looking again.
 */
@ControllerConfiguration(name = AllowedAmiPolicyReconciler.NAME)
public class AllowedAmiPolicyReconciler implements Reconciler<AllowedAmiPolicy> {
  public static final String NAME = "allowedamipolicy";
  private static final Logger log = LoggerFactory.getLogger(AllowedAmiPolicyReconciler.class);

  private final AllowedImagesGatewayFactory gateways;
  private final ExecutorService regionExecutor;
  private final ReconcileSettings settings;
  private final PolicyEvents events;
  private final Clock clock;
  private final Backoff backoff;
  private final ComplianceMetrics metrics;

  public AllowedAmiPolicyReconciler(
      AllowedImagesGatewayFactory gateways,
      ExecutorService regionExecutor,
      ReconcileSettings settings,
      PolicyEvents events,
      ComplianceMetrics metrics,
      Clock clock) {
    this.gateways = gateways;
    this.regionExecutor = regionExecutor;
    this.settings = settings;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = new Backoff(settings.initialBackoff());
  }

  /** Drops what the operator keeps about a deleted policy: its metrics and its backoff. */
  public void forget(String policyUid) {
    metrics.forgetPolicy(policyUid);
    backoff.reset(policyUid);
  }

  @Override
  public UpdateControl<AllowedAmiPolicy> reconcile(
      AllowedAmiPolicy policy, Context<AllowedAmiPolicy> context) {
    Instant started = Instant.now(clock);
    try {
      return reconcile(policy, started);
    } finally {
      metrics.recordReconcile(Duration.between(started, Instant.now(clock)));
    }
  }

  private UpdateControl<AllowedAmiPolicy> reconcile(AllowedAmiPolicy policy, Instant started) {
    AllowedAmiPolicySpec spec = policy.getSpec();
    AllowedAmiPolicyStatus previous = policy.getStatus();
    long generation = Optional.ofNullable(policy.getMetadata().getGeneration()).orElse(0L);
    String now = started.truncatedTo(ChronoUnit.SECONDS).toString();
    String uid = policy.getMetadata().getUid();

    List<String> problems = SpecValidator.validate(spec);
    problems.addAll(resyncProblems(spec));
    if (!problems.isEmpty()) {
      AllowedAmiPolicyStatus next = StatusBuilder.invalidSpec(previous, generation, problems, now);
      if (statusChanged(previous, next)) {
        events.record(
            policy,
            PolicyEvents.WARNING,
            StatusBuilder.REASON_INVALID_SPEC,
            String.join("; ", problems));
      }
      backoff.reset(uid);
      // Terminal: only a new generation (which triggers a reconcile by itself) can fix it.
      return withStatus(policy, previous, next);
    }

    DesiredSettings desired = SpecMapper.desired(spec);
    AllowedImagesGateway aws = gateways.forAccount(SpecMapper.accountTarget(spec));
    String accountId = null;
    List<RegionOutcome> outcomes;
    try {
      accountId = aws.accountId();
      outcomes = convergeRegions(aws, spec, desired, previous, generation, accountId, started);
    } catch (RuntimeException e) {
      Failure failure = AwsErrorClassifier.classify(e);
      log.warn(
          "policy {}: cannot reach the account: {}",
          policy.getMetadata().getName(),
          failure.code());
      outcomes =
          spec.getRegions().stream()
              .map(r -> RegionOutcome.failedBeforeReading(r, failure))
              .toList();
    }

    AllowedAmiPolicyStatus next =
        StatusBuilder.build(previous, generation, accountId, outcomes, now);
    recordEvents(policy, previous, next, outcomes);
    String account = accountId;
    outcomes.forEach(o -> o.compliance().ifPresent(report -> metrics.record(account, report)));

    Duration resync = SpecMapper.resyncInterval(spec, settings.defaultResyncInterval());
    boolean retry =
        outcomes.stream().anyMatch(o -> o.failure().map(f -> !f.isTerminal()).orElse(false));
    Duration delay;
    if (retry) {
      delay = backoff.nextDelay(uid, resync);
    } else {
      backoff.reset(uid);
      delay = resync;
    }
    return withStatus(policy, previous, next).rescheduleAfter(delay);
  }

  private List<RegionOutcome> convergeRegions(
      AllowedImagesGateway aws,
      AllowedAmiPolicySpec spec,
      DesiredSettings desired,
      AllowedAmiPolicyStatus previous,
      long generation,
      String accountId,
      Instant now) {
    Map<String, RegionStatus> before = previousRegions(previous, generation);
    Integer maxBlocked =
        spec.getRollout() == null ? null : spec.getRollout().getMaxBlockedInstances();
    ComplianceAggregator aggregator = new ComplianceAggregator(limits(spec));
    List<CompletableFuture<RegionOutcome>> futures = new ArrayList<>();
    for (String region : spec.getRegions()) {
      RegionStatus last = before.get(region);
      boolean wasInSync = last != null && Boolean.TRUE.equals(last.getInSync());
      var inputs =
          new RegionConverger.Inputs(desired, wasInSync, maxBlocked, accountId, aggregator, now);
      futures.add(
          CompletableFuture.supplyAsync(
              () -> RegionConverger.converge(aws, region, inputs), regionExecutor));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private static ReportLimits limits(AllowedAmiPolicySpec spec) {
    return spec.getCompliance() == null || spec.getCompliance().getSampleSize() == null
        ? ReportLimits.DEFAULT
        : ReportLimits.DEFAULT.withSampleSize(spec.getCompliance().getSampleSize());
  }

  /** Regions of the last status, only when it was written for this same generation. */
  private static Map<String, RegionStatus> previousRegions(
      AllowedAmiPolicyStatus previous, long generation) {
    boolean sameGeneration =
        previous != null
            && previous.getObservedGeneration() != null
            && previous.getObservedGeneration() == generation;
    return sameGeneration ? StatusBuilder.regionsByName(previous) : Map.of();
  }

  private List<String> resyncProblems(AllowedAmiPolicySpec spec) {
    if (spec == null || spec.getResyncInterval() == null) {
      return List.of();
    }
    try {
      Duration interval = SpecMapper.parseDuration(spec.getResyncInterval());
      if (interval.compareTo(settings.minimumResyncInterval()) < 0) {
        return List.of(
            "spec.resyncInterval "
                + spec.getResyncInterval()
                + " is shorter than the minimum "
                + settings.minimumResyncInterval().toSeconds()
                + "s");
      }
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(); // the validator already reported the pattern
    }
  }

  private void recordEvents(
      AllowedAmiPolicy policy,
      AllowedAmiPolicyStatus previous,
      AllowedAmiPolicyStatus next,
      List<RegionOutcome> outcomes) {
    recordComplianceEvent(policy, previous, next);
    Map<String, RegionStatus> before = StatusBuilder.regionsByName(previous);
    for (RegionOutcome o : outcomes) {
      if (o.driftCorrected()) {
        events.record(
            policy,
            PolicyEvents.WARNING,
            "DriftCorrected",
            o.region()
                + ": settings had been changed outside the operator; restored ("
                + o.describeApplied()
                + ")");
      } else if (!o.applied().isEmpty()) {
        events.record(
            policy,
            PolicyEvents.NORMAL,
            "SettingsChanged",
            o.region() + ": " + o.describeApplied());
      }
      o.failure()
          .ifPresent(
              f -> {
                RegionStatus last = before.get(o.region());
                boolean sameAsBefore =
                    last != null
                        && last.getError() != null
                        && f.code().equals(last.getError().getCode());
                if (!sameAsBefore) {
                  events.record(
                      policy,
                      PolicyEvents.WARNING,
                      f.isTerminal() ? "RegionStalled" : "RegionRetrying",
                      o.region() + ": " + f.code() + ": " + f.message());
                }
              });
    }
  }

  /** One event when the not-allowed count changes, not at every resync. */
  private void recordComplianceEvent(
      AllowedAmiPolicy policy, AllowedAmiPolicyStatus previous, AllowedAmiPolicyStatus next) {
    Integer before =
        previous == null || previous.getCompliance() == null
            ? null
            : previous.getCompliance().getNotAllowedInstances();
    Integer after =
        next.getCompliance() == null ? null : next.getCompliance().getNotAllowedInstances();
    if (after != null && !after.equals(before)) {
      var condition = Conditions.find(next.getConditions(), ComplianceStatus.COMPLIANT);
      events.record(
          policy,
          after == 0 ? PolicyEvents.NORMAL : PolicyEvents.WARNING,
          "ComplianceChanged",
          (before == null ? "" : before + " -> ")
              + after
              + " instances on images that are not allowed"
              + (condition == null ? "" : ": " + condition.getMessage()));
    }
  }

  private static boolean statusChanged(
      AllowedAmiPolicyStatus previous, AllowedAmiPolicyStatus next) {
    JsonNode before = previous == null ? null : Serialization.jsonMapper().valueToTree(previous);
    JsonNode after = Serialization.jsonMapper().valueToTree(next);
    return !after.equals(before);
  }

  /** Patches status only when it differs from what the API server holds. */
  private static UpdateControl<AllowedAmiPolicy> withStatus(
      AllowedAmiPolicy policy, AllowedAmiPolicyStatus previous, AllowedAmiPolicyStatus next) {
    if (!statusChanged(previous, next)) {
      return UpdateControl.noUpdate();
    }
    AllowedAmiPolicy patch = new AllowedAmiPolicy();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(policy.getMetadata().getName())
            .withResourceVersion(policy.getMetadata().getResourceVersion())
            .withGeneration(policy.getMetadata().getGeneration())
            .withUid(policy.getMetadata().getUid())
            .build());
    patch.setSpec(policy.getSpec());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch);
  }
}
