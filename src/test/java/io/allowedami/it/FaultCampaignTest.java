package io.allowedami.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.CreationDateConditionSpec;
import io.allowedami.api.v1alpha1.DeprecationTimeConditionSpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.ImageWatermarkFilterSpec;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.it.CampaignInvariants.Desired;
import io.allowedami.it.CampaignInvariants.Target;
import io.allowedami.reconcile.Conditions;
import io.allowedami.simulator.CallCounters.LoggedCall;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.FaultInjector;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WatermarkFilter;
import io.allowedami.simulator.model.WorldAccount;
import io.allowedami.simulator.model.WorldRole;
import io.allowedami.testing.OperatorHarness;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded fault campaign: several policies over the 17 Regions of two accounts, the real operator
 * against the simulator, and at every step faults drawn at random (throttling storms, 5xx, Regions
 * down, latency, declarative policies applied and lifted, drift, spec changes, operator restarts,
 * status written by another writer), with the invariants of {@link CampaignInvariants} checked over
 * every AWS call. When the faults stop, every Region must converge and every status be true.
 *
 * <p>The fault schedule is a function of the seed ({@code -Dcampaign.seed=N}, {@code
 * -Dcampaign.steps=N}); the operator's own timing is not, so a failure names the seed and the step
 * to replay, and the calls involved.
 */
class FaultCampaignTest {
  private static final long DEFAULT_SEED = 20_261_124L;
  private static final int DEFAULT_STEPS = 24;
  private static final Duration RESYNC = Duration.ofSeconds(1);

  /** How long a step may take for the operator to read every valid policy's Regions once. */
  private static final Duration STEP_BOUND = Duration.ofSeconds(15);

  private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(45);

  /** A third account, with a role, that only the invalid policy names. */
  private static final String QUARANTINE_ACCOUNT = "777788889999";

  private static final String QUARANTINE_ROLE_ARN =
      "arn:aws:iam::" + QUARANTINE_ACCOUNT + ":role/AllowedAmiOperatorRole";
  private static final String QUARANTINE_EXTERNAL_ID = "quarantine-external-id";

  /** What the campaign injects; a step draws each kind at most once, on one or more targets. */
  enum Fault {
    THROTTLING_STORM,
    SERVER_ERRORS,
    REGION_DOWN,
    LATENCY,
    DECLARATIVE_POLICY_APPLIED,
    DECLARATIVE_POLICY_LIFTED,
    DRIFT,
    SPEC_CHANGE,
    INVALID_SPEC_EDIT,
    OPERATOR_RESTART,
    STATUS_CONFLICT
  }

  /** The chance that a step draws each fault. */
  private static final Map<Fault, Double> CHANCE = new EnumMap<>(Fault.class);

  static {
    CHANCE.put(Fault.THROTTLING_STORM, 0.30);
    CHANCE.put(Fault.SERVER_ERRORS, 0.30);
    CHANCE.put(Fault.REGION_DOWN, 0.25);
    CHANCE.put(Fault.LATENCY, 0.30);
    CHANCE.put(Fault.DECLARATIVE_POLICY_APPLIED, 0.30);
    CHANCE.put(Fault.DECLARATIVE_POLICY_LIFTED, 0.35);
    CHANCE.put(Fault.DRIFT, 0.35);
    CHANCE.put(Fault.SPEC_CHANGE, 0.35);
    CHANCE.put(Fault.INVALID_SPEC_EDIT, 0.10);
    CHANCE.put(Fault.OPERATOR_RESTART, 0.10);
    CHANCE.put(Fault.STATUS_CONFLICT, 0.30);
  }

  /** A criteria choice: how the spec says it and what AWS should hold. */
  private record CriteriaVariant(
      String label, Consumer<AllowedAmiPolicySpec> spec, List<Criterion> expected) {}

  private static final List<CriteriaVariant> CRITERIA =
      List.of(
          new CriteriaVariant(
              "amazon", s -> providers(s, "amazon"), List.of(Criterion.ofProviders("amazon"))),
          new CriteriaVariant(
              "amazon+marketplace",
              s -> providers(s, "amazon", "aws-marketplace"),
              List.of(Criterion.ofProviders("amazon", "aws-marketplace"))),
          new CriteriaVariant(
              "marketplace+amazon+account (unordered)",
              s -> providers(s, "aws-marketplace", "amazon", "123456789012"),
              List.of(Criterion.ofProviders("123456789012", "amazon", "aws-marketplace"))),
          new CriteriaVariant(
              "recent amazon or golden names",
              s ->
                  criteria(
                      s,
                      criterion(
                          c -> {
                            c.setImageProviders(List.of("amazon"));
                            CreationDateConditionSpec created = new CreationDateConditionSpec();
                            created.setMaximumDaysSinceCreated(300);
                            c.setCreationDateCondition(created);
                          }),
                      criterion(c -> c.setImageNames(List.of("golden-base-*")))),
              List.of(
                  Criterion.builder().providers("amazon").maxDaysSinceCreated(300).build(),
                  Criterion.builder().names("golden-base-*").build())),
          new CriteriaVariant(
              "marketplace product or undeprecated amazon",
              s ->
                  criteria(
                      s,
                      criterion(
                          c -> c.setMarketplaceProductCodes(List.of("a8r3dqzmsiu1g0dhmbbk0bxsl"))),
                      criterion(
                          c -> {
                            c.setImageProviders(List.of("amazon"));
                            DeprecationTimeConditionSpec deprecated =
                                new DeprecationTimeConditionSpec();
                            deprecated.setMaximumDaysSinceDeprecated(0);
                            c.setDeprecationTimeCondition(deprecated);
                          })),
              List.of(
                  Criterion.builder().productCodes("a8r3dqzmsiu1g0dhmbbk0bxsl").build(),
                  Criterion.builder().providers("amazon").maxDaysSinceDeprecated(0).build())),
          new CriteriaVariant(
              "golden watermark or amazon",
              s ->
                  criteria(
                      s,
                      criterion(
                          c -> {
                            ImageWatermarkFilterSpec watermark = new ImageWatermarkFilterSpec();
                            watermark.setWatermarkKey(
                                SimulatorWorld.DEFAULT_ACCOUNT_ID + ":golden-pipeline");
                            c.setImageWatermarks(List.of(watermark));
                          }),
                      criterion(c -> c.setImageProviders(List.of("amazon")))),
              List.of(
                  Criterion.builder()
                      .watermarks(
                          new WatermarkFilter(
                              SimulatorWorld.DEFAULT_ACCOUNT_ID + ":golden-pipeline",
                              null,
                              null,
                              null))
                      .build(),
                  Criterion.ofProviders("amazon"))));

  /** Specs the operator must refuse without calling AWS; the user keeps editing among them. */
  private static final List<Consumer<AllowedAmiPolicySpec>> INVALID_SPECS =
      List.of(
          s -> {
            s.setMode("on");
            providers(s, "amazon");
          },
          s -> {
            s.setMode("audit-mode");
            providers(s, "amazon", "none");
          },
          s -> {
            s.setMode("enabled");
            providers(s, "amazon");
            List<String> regions = new ArrayList<>(s.getRegions());
            regions.set(0, "mars-north-9x");
            s.setRegions(regions);
          });

  private static final List<SettingsState> STATES = List.of(SettingsState.values());

  /** A policy of the campaign and what the user last asked of it. */
  private static final class CampaignPolicy {
    final String name;
    final String account;
    final List<String> regions;
    final AssumeRoleSpec assumeRole;
    final boolean valid;
    SettingsState mode = SettingsState.AUDIT_MODE;
    CriteriaVariant criteria;

    CampaignPolicy(
        String name, String account, List<String> regions, AssumeRoleSpec role, boolean valid) {
      this.name = name;
      this.account = account;
      this.regions = List.copyOf(regions);
      this.assumeRole = role;
      this.valid = valid;
    }

    Desired desired() {
      return Desired.of(mode, criteria.expected());
    }
  }

  private long seed;
  private Random random;
  private SimulatedAws aws;
  private Ec2Simulator sim;
  private OperatorHarness harness;
  private SdkGatewayFactory gateways;

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final List<CampaignPolicy> policies = new ArrayList<>();
  private CampaignPolicy invalid;
  private CampaignInvariants invariants;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private final Set<Target> declarative = new HashSet<>();
  private final Set<String> downRegions = new HashSet<>();
  private int statusConflictsLost;
  private long examinedUpTo = -1;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (gateways != null) {
      gateways.close();
    }
    if (aws != null) {
      aws.close();
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void underRandomFaultsTheInvariantsHoldAndEverythingConvergesOnceTheFaultsStop() {
    seed = Long.getLong("campaign.seed", DEFAULT_SEED);
    int steps = Integer.getInteger("campaign.steps", DEFAULT_STEPS);
    random = new Random(seed);
    long started = System.nanoTime();

    aws =
        new SimulatedAws(
            SimulatorWorld.defaultWorld()
                .withAccount(
                    new WorldAccount(
                        QUARANTINE_ACCOUNT,
                        "quarantine",
                        List.of(),
                        List.of(
                            new WorldRole(
                                SimulatorWorld.MEMBER_ROLE_NAME, QUARANTINE_EXTERNAL_ID)))),
            metrics);
    sim = aws.simulator();
    definePolicies();
    invariants = new CampaignInvariants(seed, QUARANTINE_ACCOUNT);
    policies.stream()
        .filter(p -> p.valid)
        .forEach(p -> invariants.govern(p.name, p.account, p.regions));
    seedInitialDrift();

    gateways = aws.newGateways(metrics);
    harness = OperatorHarness.start(gateways, RESYNC, metrics);
    for (CampaignPolicy policy : policies) {
      createPolicy(policy);
    }

    List<Set<Fault>> plan = plan(steps);
    int step = 1;
    for (; step <= steps; step++) {
      if (!runStep(step, plan.get(step - 1))) {
        break; // the operator stopped answering: later steps would only wait out their bound
      }
    }
    long campaignEnded = System.nanoTime();

    stopFaults();
    boolean converged = awaitConvergence();
    examine("final");
    invariants.converged(converged, "final", converged ? "" : notConverged());
    long ended = System.nanoTime();

    System.out.print(figures(steps, started, campaignEnded, ended));
    List<String> violations = invariants.violations();
    assertThat(violations.size())
        .as(
            "violations of the fault campaign with seed %d (replay: -Dcampaign.seed=%d"
                + " -Dcampaign.steps=%d), the first ones:%n%s",
            seed,
            seed,
            steps,
            String.join("\n", violations.subList(0, Math.min(violations.size(), 20))))
        .isZero();
    // The campaign exercised what it claims to check.
    assertThat(invariants.successfulWrites()).as("writes checked").isPositive();
    assertThat(invariants.assumeRoles(SimulatorWorld.MEMBER_ROLE_ARN))
        .as("AssumeRole calls seen in the call log (so none for the invalid policy means none)")
        .isPositive();
    assertThat(injected.keySet()).as("every fault kind injected").containsAll(CHANCE.keySet());
  }

  /** Four policies: two over disjoint Regions of the operator's account, one over the member's. */
  private void definePolicies() {
    List<String> regions = shuffled(SimulatorWorld.DEFAULT_REGIONS);
    policies.add(
        new CampaignPolicy(
            "ops-a", SimulatorWorld.DEFAULT_ACCOUNT_ID, regions.subList(0, 6), null, true));
    policies.add(
        new CampaignPolicy(
            "ops-b", SimulatorWorld.DEFAULT_ACCOUNT_ID, regions.subList(6, 12), null, true));
    AssumeRoleSpec member = new AssumeRoleSpec();
    member.setRoleArn(SimulatorWorld.MEMBER_ROLE_ARN);
    member.setExternalId(SimulatorWorld.MEMBER_EXTERNAL_ID);
    policies.add(
        new CampaignPolicy(
            "member",
            SimulatorWorld.MEMBER_ACCOUNT_ID,
            shuffled(SimulatorWorld.DEFAULT_REGIONS).subList(0, 8),
            member,
            true));
    AssumeRoleSpec quarantine = new AssumeRoleSpec();
    quarantine.setRoleArn(QUARANTINE_ROLE_ARN);
    quarantine.setExternalId(QUARANTINE_EXTERNAL_ID);
    invalid =
        new CampaignPolicy(
            "invalid",
            QUARANTINE_ACCOUNT,
            shuffled(SimulatorWorld.DEFAULT_REGIONS).subList(0, 4),
            quarantine,
            false);
    policies.add(invalid);
    for (CampaignPolicy policy : policies) {
      policy.criteria = pick(CRITERIA);
    }
  }

  /** Some Regions of both accounts start with settings of their own. */
  private void seedInitialDrift() {
    for (String account :
        List.of(SimulatorWorld.DEFAULT_ACCOUNT_ID, SimulatorWorld.MEMBER_ACCOUNT_ID)) {
      for (String region : SimulatorWorld.DEFAULT_REGIONS) {
        if (random.nextInt(3) == 0) {
          sim.outOfBand().setSettings(account, region, pick(STATES), pick(CRITERIA).expected());
        }
      }
    }
  }

  /**
   * The faults of every step, drawn from the seed; a restart in the first step (mid-rollout), and
   * every kind at least once (a lift no earlier than an application).
   */
  private List<Set<Fault>> plan(int steps) {
    List<Set<Fault>> plan = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      Set<Fault> faults = EnumSet.noneOf(Fault.class);
      CHANCE.forEach(
          (fault, chance) -> {
            if (random.nextDouble() < chance) {
              faults.add(fault);
            }
          });
      plan.add(faults);
    }
    plan.get(0).add(Fault.OPERATOR_RESTART);
    for (Fault fault : CHANCE.keySet()) {
      int earliest =
          fault == Fault.DECLARATIVE_POLICY_LIFTED
              ? firstStepWith(plan, Fault.DECLARATIVE_POLICY_APPLIED)
              : 0;
      if (plan.subList(earliest, steps).stream().noneMatch(s -> s.contains(fault))) {
        plan.get(earliest + random.nextInt(steps - earliest)).add(fault);
      }
    }
    return plan;
  }

  private static int firstStepWith(List<Set<Fault>> plan, Fault fault) {
    for (int i = 0; i < plan.size(); i++) {
      if (plan.get(i).contains(fault)) {
        return i;
      }
    }
    return 0;
  }

  /** Applies a step's faults, lets the operator work under them, checks. False: not alive. */
  private boolean runStep(int step, Set<Fault> faults) {
    long stepStart = lastSequence();
    System.out.printf("campaign step %d (from call #%d): %s%n", step, stepStart + 1, faults);
    clearTransientFaults();
    for (Fault fault : faults) {
      if (fault != Fault.OPERATOR_RESTART) {
        inject(fault);
      }
    }
    sleep(Duration.ofMillis(100 + random.nextInt(400)));
    if (faults.contains(Fault.OPERATOR_RESTART)) {
      inject(Fault.OPERATOR_RESTART); // mid-step: reconciles and writes are under way
    }
    sleep(Duration.ofMillis(random.nextInt(400)));
    boolean alive = awaitEveryValidPolicyRead(stepStart);
    examine(String.valueOf(step));
    invariants.alive(alive, String.valueOf(step), alive ? "" : unread(stepStart));
    if (!alive) {
      System.out.print(operatorThreads());
    }
    return alive;
  }

  /** Where the operator's threads are, for a liveness failure's report. */
  private static String operatorThreads() {
    StringBuilder text = new StringBuilder("operator threads:\n");
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              if (thread.getName().startsWith("ReconcilerExecutor")
                  || thread.getName().startsWith("region-")) {
                text.append("  ").append(thread.getName()).append(' ').append(thread.getState());
                for (StackTraceElement frame : stack) {
                  text.append("\n      at ").append(frame);
                }
                text.append('\n');
              }
            });
    return text.toString();
  }

  private void inject(Fault fault) {
    FaultInjector faults = sim.faults();
    boolean done =
        switch (fault) {
          case THROTTLING_STORM -> {
            int burst = 1 + random.nextInt(3);
            double refill = 0.5 + random.nextInt(4) * 0.5;
            if (random.nextInt(3) == 0) {
              faults.throttle(null, null, burst, refill);
            } else {
              for (int n = 1 + random.nextInt(4); n > 0; n--) {
                faults.throttle(pick(SimulatorWorld.DEFAULT_REGIONS), null, burst, refill);
              }
            }
            yield true;
          }
          case SERVER_ERRORS -> {
            faults.serverErrorRate(0.05 + random.nextInt(7) * 0.05);
            yield true;
          }
          case REGION_DOWN -> {
            for (int n = 1 + random.nextInt(2); n > 0; n--) {
              String region = pick(SimulatorWorld.DEFAULT_REGIONS);
              faults.regionDown(region, true);
              downRegions.add(region);
            }
            yield true;
          }
          case LATENCY -> {
            faults.latency(null, Duration.ofMillis(10 + random.nextInt(110)));
            yield true;
          }
          case DECLARATIVE_POLICY_APPLIED -> {
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
              CampaignPolicy policy = pick(validPolicies());
              Target target = new Target(policy.account, pick(policy.regions));
              boolean asSpec = random.nextInt(3) == 0;
              faults.managedByDeclarativePolicy(
                  target.account(),
                  target.region(),
                  asSpec ? policy.mode : pick(STATES),
                  asSpec ? policy.criteria.expected() : pick(CRITERIA).expected());
              declarative.add(target);
            }
            yield true;
          }
          case DECLARATIVE_POLICY_LIFTED -> {
            if (declarative.isEmpty()) {
              yield false;
            }
            Target target = pick(List.copyOf(sortedTargets(declarative)));
            faults.liftDeclarativePolicy(target.account(), target.region());
            declarative.remove(target);
            yield true;
          }
          case DRIFT -> {
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
              String account =
                  random.nextBoolean()
                      ? SimulatorWorld.DEFAULT_ACCOUNT_ID
                      : SimulatorWorld.MEMBER_ACCOUNT_ID;
              sim.outOfBand()
                  .setSettings(
                      account,
                      pick(SimulatorWorld.DEFAULT_REGIONS),
                      pick(STATES),
                      pick(CRITERIA).expected());
            }
            yield true;
          }
          case SPEC_CHANGE -> {
            CampaignPolicy policy = pick(validPolicies());
            int change = random.nextInt(3);
            if (change != 1) {
              policy.mode = pick(STATES);
            }
            if (change != 0) {
              policy.criteria = pick(CRITERIA);
            }
            updateSpec(policy, s -> {});
            System.out.printf(
                "  %s asks for %s, %s%n", policy.name, policy.mode.wire(), policy.criteria.label());
            yield true;
          }
          case INVALID_SPEC_EDIT -> {
            updateSpec(invalid, pick(INVALID_SPECS));
            yield true;
          }
          case OPERATOR_RESTART -> {
            // As production shuts down: the operator, then its AWS clients.
            SdkGatewayFactory previous = gateways;
            gateways = aws.newGateways(metrics);
            harness.restart(gateways);
            previous.close();
            yield true;
          }
          case STATUS_CONFLICT -> {
            writeStatusAsAnotherWriter(pick(policies));
            yield true;
          }
        };
    if (done) {
      injected.merge(fault, 1, Integer::sum);
    }
  }

  /** Throttling, 5xx, Regions down and latency last one step; declarative policies persist. */
  private void clearTransientFaults() {
    FaultInjector faults = sim.faults();
    faults.resetThrottling();
    faults.serverErrorRate(0);
    faults.latency(null, Duration.ZERO);
    downRegions.forEach(r -> faults.regionDown(r, false));
    downRegions.clear();
  }

  private void stopFaults() {
    sim.faults().clear();
    declarative.clear();
    downRegions.clear();
  }

  private void createPolicy(CampaignPolicy policy) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setRegions(policy.regions);
    spec.setAssumeRole(policy.assumeRole);
    spec.setMode(policy.mode.wire());
    policy.criteria.spec().accept(spec);
    if (!policy.valid) {
      INVALID_SPECS.get(0).accept(spec);
    }
    AllowedAmiPolicy resource = new AllowedAmiPolicy();
    resource.setMetadata(new ObjectMetaBuilder().withName(policy.name).build());
    resource.setSpec(spec);
    if (policy.valid) {
      invariants.specChanging(policy.name, policy.desired());
    }
    harness.apply(resource);
  }

  /** The user edits the spec: mode and criteria from the policy, then {@code edit}. */
  private void updateSpec(CampaignPolicy policy, Consumer<AllowedAmiPolicySpec> edit) {
    if (policy.valid) {
      invariants.specChanging(policy.name, policy.desired());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        harness
            .client()
            .resources(AllowedAmiPolicy.class)
            .withName(policy.name)
            .edit(
                p -> {
                  AllowedAmiPolicySpec spec = p.getSpec();
                  spec.setRegions(policy.regions);
                  spec.setMode(policy.mode.wire());
                  spec.setProviders(null);
                  spec.setImageCriteria(null);
                  policy.criteria.spec().accept(spec);
                  edit.accept(spec);
                  return p;
                });
        break;
      } catch (KubernetesClientException e) {
        // The operator wrote status since the edit read the object: edit again, as a user would.
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
    if (policy.valid) {
      invariants.specChanged(policy.name);
    }
  }

  /**
   * Another writer (a second controller, a user with kubectl) rewrites the status under the
   * operator: drops a Region, clears or replaces conditions, or rolls observedGeneration back.
   */
  private void writeStatusAsAnotherWriter(CampaignPolicy policy) {
    int variant = random.nextInt(4);
    try {
      harness
          .client()
          .resources(AllowedAmiPolicy.class)
          .withName(policy.name)
          .editStatus(
              p -> {
                AllowedAmiPolicyStatus status =
                    p.getStatus() == null ? new AllowedAmiPolicyStatus() : p.getStatus();
                switch (variant) {
                  case 0 -> {
                    if (!status.getRegions().isEmpty()) {
                      status.setRegions(
                          new ArrayList<>(
                              status.getRegions().subList(1, status.getRegions().size())));
                    }
                  }
                  case 1 -> status.setConditions(new ArrayList<>());
                  case 2 -> {
                    status.setObservedGeneration(
                        status.getObservedGeneration() == null
                            ? 0L
                            : status.getObservedGeneration() - 1);
                    status.setRegionsInSync("0/0");
                  }
                  default -> {
                    List<PolicyCondition> conditions = new ArrayList<>();
                    conditions.add(
                        new PolicyCondition(
                            "ForeignWriter", "True", "Campaign", "written by another writer"));
                    conditions.addAll(status.getConditions());
                    status.setConditions(conditions);
                    List<RegionStatus> regions = new ArrayList<>(status.getRegions());
                    Collections.reverse(regions);
                    status.setRegions(regions);
                  }
                }
                p.setStatus(status);
                return p;
              });
    } catch (KubernetesClientException e) {
      statusConflictsLost++; // the other writer lost a race with the operator: still a conflict
    }
  }

  private boolean awaitEveryValidPolicyRead(long stepStart) {
    try {
      await()
          .atMost(STEP_BOUND)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> unread(stepStart).isEmpty());
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** The valid policies with no settings read (whatever its answer) since the call numbered. */
  private String unread(long sinceSequence) {
    List<LoggedCall> calls = callsAfter(sinceSequence);
    return validPolicies().stream()
        .filter(
            p ->
                calls.stream()
                    .noneMatch(
                        c ->
                            c.action().equals("GetAllowedImagesSettings")
                                && c.account().equals(p.account)
                                && p.regions.contains(c.region())))
        .map(p -> p.name)
        .collect(Collectors.joining(", "));
  }

  /** The calls the simulator answered after the one numbered {@code sequence}, in order. */
  private List<LoggedCall> callsAfter(long sequence) {
    return sim.counters().log().stream().filter(c -> c.sequence() > sequence).toList();
  }

  private long lastSequence() {
    List<LoggedCall> log = sim.counters().log();
    return log.isEmpty() ? -1 : log.get(log.size() - 1).sequence();
  }

  private void examine(String step) {
    List<LoggedCall> calls = callsAfter(examinedUpTo);
    if (!calls.isEmpty()) {
      examinedUpTo = calls.get(calls.size() - 1).sequence();
      invariants.examine(calls, step);
    }
  }

  private boolean awaitConvergence() {
    try {
      await()
          .atMost(CONVERGENCE_BOUND)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> notConverged().isEmpty());
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** What is not yet as the specs ask, in AWS or in status; empty when everything is. */
  private String notConverged() {
    List<String> problems = new ArrayList<>();
    for (CampaignPolicy policy : policies) {
      AllowedAmiPolicy resource = harness.get(policy.name);
      if (!policy.valid) {
        PolicyCondition stalled = Policies.condition(resource, Conditions.STALLED);
        boolean reported =
            stalled != null
                && Conditions.TRUE.equals(stalled.getStatus())
                && "InvalidSpec".equals(stalled.getReason())
                && resource
                    .getMetadata()
                    .getGeneration()
                    .equals(resource.getStatus().getObservedGeneration());
        if (!reported) {
          problems.add(policy.name + ": not Stalled=True InvalidSpec for its generation");
        }
        continue;
      }
      Desired desired = policy.desired();
      for (String region : policy.regions) {
        AllowedImagesSettings actual = sim.outOfBand().settings(policy.account, region);
        Desired held = Desired.of(actual.state(), actual.imageCriteria());
        if (!held.equals(desired)) {
          problems.add(
              policy.name + " " + policy.account + "/" + region + ": " + held + " != " + desired);
        }
      }
      String inSync = policy.regions.size() + "/" + policy.regions.size();
      if (!Policies.isReady(resource) || !inSync.equals(resource.getStatus().getRegionsInSync())) {
        problems.add(
            policy.name
                + ": status not Ready "
                + inSync
                + " for its generation ("
                + (resource == null || resource.getStatus() == null
                    ? "no status"
                    : "Ready="
                        + Policies.condition(resource, Conditions.READY)
                        + ", regionsInSync="
                        + resource.getStatus().getRegionsInSync()
                        + ", observedGeneration="
                        + resource.getStatus().getObservedGeneration()
                        + ", generation="
                        + resource.getMetadata().getGeneration())
                + ")");
      }
    }
    return String.join("; ", problems);
  }

  private String figures(int steps, long started, long campaignEnded, long ended) {
    int governed = policies.stream().filter(p -> p.valid).mapToInt(p -> p.regions.size()).sum();
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "%nFault campaign, seed %d (replay: -Dcampaign.seed=%d -Dcampaign.steps=%d)%n",
            seed, seed, steps));
    text.append(
        String.format(
            "  policies: %d (%s), one invalid in account %s%n",
            policies.size(),
            policies.stream()
                .map(p -> p.name + " " + p.account + " x" + p.regions.size())
                .collect(Collectors.joining(", ")),
            QUARANTINE_ACCOUNT));
    text.append(
        String.format(
            "  Regions: %d; account-Regions governed: %d, ungoverned and watched: %d%n",
            SimulatorWorld.DEFAULT_REGIONS.size(),
            governed,
            2 * SimulatorWorld.DEFAULT_REGIONS.size() - governed));
    text.append(
        String.format(
            "  steps: %d; run time %.1f s (campaign %.1f s, convergence and checks %.1f s)%n",
            steps,
            seconds(ended - started),
            seconds(campaignEnded - started),
            seconds(ended - campaignEnded)));
    Map<Fault, Integer> byKind = new LinkedHashMap<>();
    for (Fault fault : Fault.values()) {
      byKind.put(fault, injected.getOrDefault(fault, 0));
    }
    text.append(
        String.format(
            "  faults injected: %d %s (status writes lost to the operator: %d)%n",
            byKind.values().stream().mapToInt(Integer::intValue).sum(),
            byKind,
            statusConflictsLost));
    text.append(invariants.summary());
    return text.toString();
  }

  private List<CampaignPolicy> validPolicies() {
    return policies.stream().filter(p -> p.valid).toList();
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private List<String> shuffled(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    Collections.shuffle(copy, random);
    return copy;
  }

  /** Iteration order of a HashSet is not part of the seed: sort before drawing. */
  private static List<Target> sortedTargets(Set<Target> targets) {
    return targets.stream().sorted(java.util.Comparator.comparing(Target::toString)).toList();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** Paces the campaign (lets the operator work under the step's faults); asserts nothing. */
  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void providers(AllowedAmiPolicySpec spec, String... providers) {
    spec.setImageCriteria(null);
    spec.setProviders(List.of(providers));
  }

  private static void criteria(AllowedAmiPolicySpec spec, ImageCriterionSpec... criteria) {
    spec.setProviders(null);
    spec.setImageCriteria(List.of(criteria));
  }

  private static ImageCriterionSpec criterion(Consumer<ImageCriterionSpec> fields) {
    ImageCriterionSpec criterion = new ImageCriterionSpec();
    fields.accept(criterion);
    return criterion;
  }
}
