package io.allowedami.reconcile;

import static io.allowedami.reconcile.Conditions.FALSE;
import static io.allowedami.reconcile.Conditions.READY;
import static io.allowedami.reconcile.Conditions.RECONCILING;
import static io.allowedami.reconcile.Conditions.STALLED;
import static io.allowedami.reconcile.Conditions.TRUE;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.DeletionPolicy;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What deleting a policy does, behind the operator's finalizer: with {@code deletionPolicy: Retain}
 * (the default), an invalid spec, a suspended or observe-only policy, or the release annotation,
 * nothing in AWS; with {@code Disable}, every Region of the spec is set to disabled first. AWS may
 * be unreachable then: the attempts are bounded, after which status says what blocks and the
 * operator only looks again at the resync interval, until AWS answers or an administrator releases
 * the object with the annotation.
 */
final class PolicyDeletion {
  private static final Logger log = LoggerFactory.getLogger(PolicyDeletion.class);

  /** Set to "true" to let a policy go without touching AWS. */
  static final String RELEASE_ANNOTATION = "allowedami.io/release";

  /** Attempts made at the backoff's pace before deletion counts as blocked. */
  static final int MAX_ATTEMPTS = 5;

  static final String REASON_DELETING = "Deleting";
  static final String REASON_DELETION_BLOCKED = "DeletionBlocked";

  private final AllowedImagesGatewayFactory gateways;
  private final RegionFanOut regions;
  private final ReconcileSettings settings;
  private final Executor calls;
  private final Clock clock;
  private final Consumer<String> forget;
  private final Backoff backoff;
  private final Map<String, Integer> attemptsByPolicy = new ConcurrentHashMap<>();

  PolicyDeletion(
      AllowedImagesGatewayFactory gateways,
      RegionFanOut regions,
      ReconcileSettings settings,
      Executor calls,
      Clock clock,
      Consumer<String> forget) {
    this.gateways = gateways;
    this.regions = regions;
    this.settings = settings;
    this.calls = calls;
    this.clock = clock;
    this.forget = forget;
    this.backoff = new Backoff(settings.initialBackoff());
  }

  DeleteControl cleanup(AllowedAmiPolicy policy, Context<AllowedAmiPolicy> context) {
    String uid = policy.getMetadata().getUid();
    String name = policy.getMetadata().getName();
    AllowedAmiPolicySpec spec = policy.getSpec();
    Optional<String> leaveAwsAsItIs = reasonToLeaveAws(policy);
    if (leaveAwsAsItIs.isPresent()) {
      log.info("policy {} deleted: AWS left as it is ({})", name, leaveAwsAsItIs.get());
      return release(uid);
    }

    AllowedImagesGateway aws = gateways.forAccount(SpecMapper.accountTarget(spec));
    Instant started = Instant.now(clock);
    DesiredSettings disabled = DesiredSettings.stateOnly(AllowedImagesState.DISABLED);
    ComplianceAggregator aggregator = new ComplianceAggregator(ReportLimits.DEFAULT);
    CompletableFuture<String> account = CompletableFuture.supplyAsync(aws::accountId, calls);
    List<RegionOutcome> outcomes =
        regions.converge(
            governedRegions(policy),
            region ->
                RegionConverger.converge(
                    aws,
                    region,
                    new RegionConverger.Inputs(
                        disabled, false, null, account, aggregator, started, calls)));
    List<RegionOutcome> blocking = outcomes.stream().filter(PolicyDeletion::blocks).toList();
    if (blocking.isEmpty()) {
      log.info("policy {} deleted: {} Regions disabled", name, outcomes.size());
      return release(uid);
    }

    int attempts = attemptsByPolicy.merge(uid, 1, Integer::sum);
    boolean blocked = attempts >= MAX_ATTEMPTS;
    Duration resync = SpecMapper.resyncInterval(spec, settings.defaultResyncInterval());
    writeStatus(policy, context, outcomes, blocking, attempts, blocked, started);
    // Blocked: no more hot retries; look again (AWS back, or the annotation) at the resync.
    Duration delay = blocked ? resync : backoff.nextDelay(uid, resync);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay.toMillis());
  }

  /**
   * The Regions this policy governed: those its last status reports, less those another policy owns
   * or the account has not enabled (never this policy's to disable); without a status, the Regions
   * it names ('*' names none: it resolved nothing yet).
   */
  static List<String> governedRegions(AllowedAmiPolicy policy) {
    var status = policy.getStatus();
    if (status != null && status.getRegions() != null && !status.getRegions().isEmpty()) {
      return status.getRegions().stream()
          .filter(
              r ->
                  r.getError() == null
                      || !java.util.Set.of(
                              RegionClaims.OWNED_BY_ANOTHER_POLICY, RegionScope.REGION_NOT_ENABLED)
                          .contains(r.getError().getCode()))
          .map(io.allowedami.api.v1alpha1.RegionStatus::getRegion)
          .filter(r -> !RegionScope.ALL.equals(r))
          .toList();
    }
    return policy.getSpec().getRegions().stream().filter(r -> !RegionScope.ALL.equals(r)).toList();
  }

  /** Why deleting this policy must not touch AWS, if it must not. */
  private Optional<String> reasonToLeaveAws(AllowedAmiPolicy policy) {
    var annotations = policy.getMetadata().getAnnotations();
    if (annotations != null && "true".equals(annotations.get(RELEASE_ANNOTATION))) {
      return Optional.of("released by the annotation " + RELEASE_ANNOTATION);
    }
    AllowedAmiPolicySpec spec = policy.getSpec();
    if (!SpecValidator.validate(spec, gateways::isKnownRegion).isEmpty()) {
      return Optional.of("the spec is invalid");
    }
    if (DeletionPolicy.fromValue(spec.getDeletionPolicy()).orElse(DeletionPolicy.RETAIN)
        == DeletionPolicy.RETAIN) {
      return Optional.of("deletionPolicy Retain");
    }
    return WritesWithheld.reason(spec).map(why -> "the policy is " + why);
  }

  private DeleteControl release(String uid) {
    attemptsByPolicy.remove(uid);
    backoff.reset(uid);
    forget.accept(uid);
    return DeleteControl.defaultDelete();
  }

  /**
   * A Region keeps the finalizer while it is not disabled; one enforced by a declarative policy
   * never will be by this operator, and does not.
   */
  private static boolean blocks(RegionOutcome outcome) {
    boolean declarative =
        outcome
            .plan()
            .map(p -> p.outcome() == RegionPlan.Outcome.BLOCKED_BY_DECLARATIVE_POLICY)
            .orElse(false);
    return !declarative && !outcome.inSync();
  }

  private static void writeStatus(
      AllowedAmiPolicy policy,
      Context<AllowedAmiPolicy> context,
      List<RegionOutcome> outcomes,
      List<RegionOutcome> blocking,
      int attempts,
      boolean blocked,
      Instant now) {
    AllowedAmiPolicyStatus previous = policy.getStatus();
    long generation = Optional.ofNullable(policy.getMetadata().getGeneration()).orElse(0L);
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    AllowedAmiPolicyStatus built = StatusBuilder.build(previous, generation, null, outcomes, at);
    String what = describe(blocking);
    PolicyCondition ready;
    PolicyCondition reconciling;
    PolicyCondition stalled;
    if (blocked) {
      String message =
          "deletion blocked after "
              + attempts
              + " attempts to disable every Region: "
              + what
              + "; the operator tries again at each resync; annotate "
              + RELEASE_ANNOTATION
              + "=true to delete the policy without touching AWS";
      ready = new PolicyCondition(READY, FALSE, REASON_DELETION_BLOCKED, message);
      reconciling =
          new PolicyCondition(RECONCILING, FALSE, REASON_DELETION_BLOCKED, "retries exhausted");
      stalled = new PolicyCondition(STALLED, TRUE, REASON_DELETION_BLOCKED, message);
    } else {
      String message =
          "deleting (deletionPolicy Disable), attempt "
              + attempts
              + " of "
              + MAX_ATTEMPTS
              + ": "
              + what;
      ready = new PolicyCondition(READY, FALSE, REASON_DELETING, message);
      reconciling = new PolicyCondition(RECONCILING, TRUE, REASON_DELETING, message);
      stalled = new PolicyCondition(STALLED, FALSE, StatusBuilder.REASON_NONE, "no terminal error");
    }
    built.setConditions(
        Conditions.replace(
            previous == null ? null : previous.getConditions(),
            built.getConditions(),
            generation,
            at,
            ready,
            reconciling,
            stalled));
    try {
      StatusWriter.write(policy, previous, built, context);
    } catch (RuntimeException e) {
      // The status only informs; the finalizer stays and the next attempt writes again.
      log.warn("policy {}: could not write the deletion status", policy.getMetadata().getName(), e);
    }
  }

  private static String describe(List<RegionOutcome> blocking) {
    List<String> parts = new ArrayList<>();
    for (RegionOutcome o : blocking) {
      parts.add(
          o.region() + ": " + o.failure().map(PolicyDeletion::describe).orElse("not disabled yet"));
    }
    return String.join("; ", parts);
  }

  private static String describe(Failure f) {
    return f.code() + " (" + Messages.cut(f.message(), StatusBuilder.MAX_ERROR_MESSAGE) + ")";
  }
}
