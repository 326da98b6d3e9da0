package io.allowedami.reconcile;

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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validate everything, then converge every Region in parallel, write status only when it changed,
 * and always reschedule: AWS sends no events, so drift is only ever seen by looking again. An
 * invalid spec stops at the first step: no AWS call is made for it.
 */
@ControllerConfiguration(name = AllowedAmiPolicyReconciler.NAME)
public class AllowedAmiPolicyReconciler implements Reconciler<AllowedAmiPolicy> {
  public static final String NAME = "allowedamipolicy";
  private static final Logger log = LoggerFactory.getLogger(AllowedAmiPolicyReconciler.class);

  private final AllowedImagesGatewayFactory gateways;
  private final RegionFanOut regions;
  private final ReconcileSettings settings;
  private final OutcomeEvents events;
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
    this.regions = new RegionFanOut(regionExecutor, settings.regionDeadline());
    this.settings = settings;
    this.events = new OutcomeEvents(events);
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
      return reconcile(policy, context, started);
    } finally {
      metrics.recordReconcile(Duration.between(started, Instant.now(clock)));
    }
  }

  private UpdateControl<AllowedAmiPolicy> reconcile(
      AllowedAmiPolicy policy, Context<AllowedAmiPolicy> context, Instant started) {
    AllowedAmiPolicySpec spec = policy.getSpec();
    AllowedAmiPolicyStatus previous = policy.getStatus();
    long generation = Optional.ofNullable(policy.getMetadata().getGeneration()).orElse(0L);
    String now = started.truncatedTo(ChronoUnit.SECONDS).toString();
    String uid = policy.getMetadata().getUid();

    // 1. Validate and map everything the reconcile uses, before any AWS call.
    List<String> problems = SpecValidator.validate(spec, gateways::isKnownRegion);
    if (!problems.isEmpty()) {
      AllowedAmiPolicyStatus next = StatusBuilder.invalidSpec(previous, generation, problems, now);
      metrics.releasePolicy(uid);
      backoff.reset(uid);
      if (StatusWriter.write(policy, previous, next, context)) {
        events.invalidSpec(policy, problems);
      }
      // Terminal: only a new generation (which triggers a reconcile by itself) can fix it.
      return UpdateControl.noUpdate();
    }
    DesiredSettings desired = SpecMapper.desired(spec);
    Duration resync = SpecMapper.resyncInterval(spec, settings.defaultResyncInterval());
    AllowedImagesGateway aws = gateways.forAccount(SpecMapper.accountTarget(spec));

    // 2. Converge every Region, each on its own.
    String accountId = null;
    List<RegionOutcome> outcomes;
    try {
      accountId = aws.accountId();
      outcomes = convergeRegions(aws, spec, desired, previous, generation, accountId, started);
    } catch (RuntimeException e) {
      // Only the account lookup throws here: the Regions' tasks report every failure themselves.
      Failure failure = AwsErrorClassifier.classify(e);
      if (failure.code().equals(AwsErrorClassifier.INTERNAL_ERROR)) {
        log.error("policy {}: unexpected error", policy.getMetadata().getName(), e);
      } else {
        log.warn(
            "policy {}: cannot reach the account: {}",
            policy.getMetadata().getName(),
            failure.code());
      }
      outcomes =
          spec.getRegions().stream()
              .map(r -> RegionOutcome.failedBeforeReading(r, failure))
              .toList();
    }

    // 3. Report: status first, then Events and metrics.
    AllowedAmiPolicyStatus next =
        StatusBuilder.build(previous, generation, accountId, outcomes, now);
    StatusWriter.write(policy, previous, next, context);
    events.record(policy, previous, next, outcomes);
    if (accountId != null) {
      metrics.recordPolicy(
          uid,
          accountId,
          spec.getRegions(),
          outcomes.stream().flatMap(o -> o.compliance().stream()).toList());
    }

    // 4. Reschedule: soon with backoff after a recoverable failure, else at the resync interval.
    if (outcomes.stream().anyMatch(RegionOutcome::needsRetry)) {
      return UpdateControl.<AllowedAmiPolicy>noUpdate()
          .rescheduleAfter(backoff.nextDelay(uid, resync));
    }
    backoff.reset(uid);
    return UpdateControl.<AllowedAmiPolicy>noUpdate().rescheduleAfter(resync);
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
    return regions.converge(
        spec.getRegions(),
        region -> {
          RegionStatus last = before.get(region);
          boolean wasInSync = last != null && Boolean.TRUE.equals(last.getInSync());
          return RegionConverger.converge(
              aws,
              region,
              new RegionConverger.Inputs(
                  desired, wasInSync, maxBlocked, accountId, aggregator, now));
        });
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
}
