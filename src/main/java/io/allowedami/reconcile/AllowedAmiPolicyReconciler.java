package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.AccountTarget;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.compliance.RolloutCautions.Caution;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.ManagedBy;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validate everything, then converge every Region in parallel, write status only when it changed,
 * and always reschedule: AWS sends no events, so drift is only ever seen by looking again. An
 * invalid spec stops at the first step: no AWS call is made for it.
 */
@ControllerConfiguration(name = AllowedAmiPolicyReconciler.NAME)
public class AllowedAmiPolicyReconciler
    implements Reconciler<AllowedAmiPolicy>, Cleaner<AllowedAmiPolicy> {
  public static final String NAME = "allowedamipolicy";
  private static final Logger log = LoggerFactory.getLogger(AllowedAmiPolicyReconciler.class);

  private final AllowedImagesGatewayFactory gateways;
  private final RegionFanOut regions;
  private final ReconcileSettings settings;
  private final OutcomeEvents events;
  private final Clock clock;
  private final Backoff backoff;
  private final ComplianceMetrics metrics;
  private final PolicyDeletion deletion;
  private final RegionScope scope;
  private final RegionClaims claims;
  private final LaunchTemplateScan launchTemplates;

  /**
   * Runs the calls a Region issues side by side (its instance read, its launch template read, its
   * DryRun checks) and the account lookup. Never blocks on other tasks, so it cannot deadlock with
   * the Region pool; its size follows from it: at most four calls in flight per Region task, plus
   * one per reconcile.
   */
  private final ExecutorService calls =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          CALL_THREAD_KEEP_ALIVE.toSeconds(),
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          daemonThreads("aws-call-"));

  /**
   * A first convergence has up to four side calls per Region in flight (about 70 threads for 17
   * Regions); they end soon after, instead of the cached pool's 60 s, since resyncs are minutes
   * apart and a thread costs little to start.
   */
  private static final Duration CALL_THREAD_KEEP_ALIVE = Duration.ofSeconds(2);

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
    this.scope = new RegionScope(clock);
    this.claims = new RegionClaims(scope, gateways::isKnownRegion);
    this.launchTemplates = new LaunchTemplateScan(clock);
    this.deletion = new PolicyDeletion(gateways, regions, settings, calls, clock, this::forget);
  }

  /** Stops the threads of side-by-side calls; the Region pool belongs to the caller. */
  public void close() {
    calls.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Drops what the operator keeps about a deleted policy: its metrics, its backoff and its launch
   * template scans.
   */
  public void forget(String policyUid) {
    metrics.forgetPolicy(policyUid);
    backoff.reset(policyUid);
    launchTemplates.forget(policyUid);
  }

  /** Behind the finalizer: what deleting the policy does in AWS (see {@link PolicyDeletion}). */
  @Override
  public DeleteControl cleanup(AllowedAmiPolicy policy, Context<AllowedAmiPolicy> context) {
    return deletion.cleanup(policy, context);
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
      launchTemplates.forget(uid);
      if (StatusWriter.write(policy, previous, next, context)) {
        events.invalidSpec(policy, problems);
      }
      // Terminal: only a new generation (which triggers a reconcile by itself) can fix it.
      return UpdateControl.noUpdate();
    }
    DesiredSettings desired = SpecMapper.desired(spec);
    Duration resync = SpecMapper.resyncInterval(spec, settings.defaultResyncInterval());
    AccountTarget target = SpecMapper.accountTarget(spec);
    AllowedImagesGateway aws = gateways.forAccount(target);

    // 2. Resolve the Regions ('*', Regions not enabled), set apart those an older policy owns,
    // then converge the rest, each on its own. The account ID (cached after the first call) only
    // serves the compliance preview and ownership, so the Regions do not wait for it to start.
    CompletableFuture<String> account = CompletableFuture.supplyAsync(aws::accountId, calls);
    RegionScope.Resolved regions = scope.resolve(target, aws, spec, resync);
    Map<String, String> owners =
        claims.ownersOf(
            policy, target, regions.toConverge(), account::join, otherPolicies(context));
    List<String> toConverge =
        regions.toConverge().stream().filter(r -> !owners.containsKey(r)).toList();
    launchTemplates.retain(uid, toConverge);
    Optional<LaunchTemplateScan.Policy> scans =
        SpecMapper.launchTemplateScanInterval(spec)
            .map(interval -> launchTemplates.forPolicy(uid, generation, aws, interval, calls));
    List<RegionOutcome> outcomes =
        regions.merge(
            convergeRegions(
                aws, toConverge, spec, desired, previous, generation, account, started, scans),
            RegionClaims.outcomes(owners));
    String accountId =
        account.isDone() && !account.isCompletedExceptionally() ? account.join() : null;

    // 3. Report: status first, then Events and metrics.
    AllowedAmiPolicyStatus next =
        RegionClaims.withConflictCondition(
            StatusBuilder.build(previous, generation, accountId, outcomes, now),
            owners,
            generation,
            now);
    Optional<String> withheld = WritesWithheld.reason(spec);
    if (withheld.isPresent()) {
      next = WritesWithheld.conditions(previous, next, generation, outcomes, withheld.get(), now);
    }
    Optional<List<Caution>> cautions = RolloutWarnings.cautions(desired, outcomes);
    if (cautions.isPresent()) {
      RolloutWarnings.apply(next, cautions.get(), generation, now);
    }
    StatusWriter.write(policy, previous, next, context);
    events.record(policy, previous, next, outcomes);
    cautions.ifPresent(c -> events.cautions(policy, previous, c));
    if (accountId != null) {
      metrics.recordPolicy(
          uid,
          accountId,
          toConverge,
          outcomes.stream().flatMap(o -> o.compliance().stream()).toList(),
          outcomes.stream()
              .filter(o -> o.launchTemplates().report().isPresent())
              .collect(
                  Collectors.toMap(
                      RegionOutcome::region, o -> o.launchTemplates().report().get())));
    }

    // 4. Reschedule: soon with backoff after a recoverable failure; soon after writes, to read
    // them back with AWS's new verdicts on the instances; else at the resync interval.
    if (outcomes.stream().anyMatch(RegionOutcome::needsRetry)) {
      return UpdateControl.<AllowedAmiPolicy>noUpdate()
          .rescheduleAfter(backoff.nextDelay(uid, resync));
    }
    backoff.reset(uid);
    boolean wrote = outcomes.stream().anyMatch(o -> !o.applied().isEmpty());
    Duration delay =
        wrote && settings.initialBackoff().compareTo(resync) < 0
            ? settings.initialBackoff()
            : resync;
    return UpdateControl.<AllowedAmiPolicy>noUpdate().rescheduleAfter(delay);
  }

  private List<RegionOutcome> convergeRegions(
      AllowedImagesGateway aws,
      List<String> regionNames,
      AllowedAmiPolicySpec spec,
      DesiredSettings desired,
      AllowedAmiPolicyStatus previous,
      long generation,
      CompletableFuture<String> accountId,
      Instant now,
      Optional<LaunchTemplateScan.Policy> scans) {
    Map<String, RegionStatus> before = previousRegions(previous, generation);
    Integer maxBlocked =
        spec.getRollout() == null ? null : spec.getRollout().getMaxBlockedInstances();
    Integer maxBlockedTemplates =
        spec.getRollout() == null ? null : spec.getRollout().getMaxBlockedLaunchTemplates();
    ComplianceAggregator aggregator = new ComplianceAggregator(limits(spec));
    return regions.converge(
        regionNames,
        region -> {
          RegionStatus last = before.get(region);
          boolean wasInSync = last != null && Boolean.TRUE.equals(last.getInSync());
          return RegionConverger.converge(
              aws,
              region,
              new RegionConverger.Inputs(
                  desired,
                  wasInSync,
                  maxBlocked,
                  accountId,
                  aggregator,
                  now,
                  calls,
                  WritesWithheld.reason(spec),
                  scans,
                  maxBlockedTemplates,
                  writesExpected(last)));
        });
  }

  /**
   * Whether the Region's writes are likely, from its last status for this generation: unknown
   * (none), or out of sync for a reason a write can fix. A Region in sync, enforced by a
   * declarative policy, or held by the rollout gate is expected to stay as it is.
   */
  static boolean writesExpected(RegionStatus last) {
    return last == null
        || !(Boolean.TRUE.equals(last.getInSync())
            || ManagedBy.fromWire(last.getManagedBy()) == ManagedBy.DECLARATIVE_POLICY
            || last.getRolloutGate() != null);
  }

  /** Every policy in the informer's cache; none when the context has no cache (unit tests). */
  private static List<AllowedAmiPolicy> otherPolicies(Context<AllowedAmiPolicy> context) {
    try {
      return context.getPrimaryCache().list().toList();
    } catch (RuntimeException e) {
      log.debug("no policy cache to check ownership against: {}", e.toString());
      return List.of();
    }
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
