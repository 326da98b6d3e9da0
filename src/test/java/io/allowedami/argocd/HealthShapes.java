package io.allowedami.argocd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.aws.KnownRegions;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.GateDecision;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.compliance.RolloutGate;
import io.allowedami.compliance.Verdict;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionPlan;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import io.allowedami.reconcile.PendingChanges;
import io.allowedami.reconcile.RegionOutcome;
import io.allowedami.reconcile.RolloutWarnings;
import io.allowedami.reconcile.SpecMapper;
import io.allowedami.reconcile.SpecValidator;
import io.allowedami.reconcile.StatusBuilder;
import io.allowedami.reconcile.WritesWithheld;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every shape of status the operator writes, built with its own StatusBuilder from the outcomes its
 * reconcile produces, as whole objects: the health check's testdata. A shape is a file name and the
 * object {@code kubectl get -o yaml} would show.
 */
final class HealthShapes {

  record Shape(String file, ObjectNode object) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String CREATED = "2026-11-24T09:00:00Z";
  private static final String FIRST_RECONCILE = "2026-11-24T09:00:03Z";
  private static final Instant NOW = Instant.parse(FIRST_RECONCILE);
  private static final String THIRD_PARTY_OWNER = "210987654321";

  private HealthShapes() {}

  static List<Shape> all() {
    return List.of(
        new Shape("progressing_no_status.yaml", noStatusYet()),
        new Shape("healthy_converged.yaml", converged()),
        new Shape("healthy_not_allowed_instances.yaml", convergedWithNotAllowedInstances()),
        new Shape("healthy_rollout_warning.yaml", convergedWithRolloutCautions()),
        new Shape("progressing_new_generation.yaml", newGenerationNotYetObserved()),
        new Shape("progressing_retrying.yaml", oneRegionRetrying()),
        new Shape("progressing_rollout_held.yaml", rolloutHeldByTheGate()),
        new Shape("degraded_invalid_spec.yaml", invalidSpec()),
        new Shape("degraded_terminal_error.yaml", accountUnreachableTerminally()),
        new Shape("degraded_terminal_and_retrying.yaml", oneRegionTerminalAnotherRetrying()),
        new Shape("suspended.yaml", suspended()),
        new Shape("suspended_observe_only.yaml", observeOnlyWithDrift()));
  }

  /** Just applied: the operator has not written a status yet. */
  private static ObjectNode noStatusYet() {
    return object(auditRollout(1), null);
  }

  /** Every Region converged, every instance on an allowed image. */
  private static ObjectNode converged() {
    AllowedAmiPolicy policy = auditRollout(1);
    return object(policy, convergedStatus(policy, List.of()));
  }

  /** Converged in audit-mode, with instances AWS reports as launched from images not allowed. */
  private static ObjectNode convergedWithNotAllowedInstances() {
    AllowedAmiPolicy policy = auditRollout(1);
    return object(
        policy,
        convergedStatus(
            policy,
            List.of(
                thirdParty("eu-west-1", "i-0a1b2c3d4e5f60718", Verdict.NOT_ALLOWED),
                thirdParty("eu-west-1", "i-0a1b2c3d4e5f60719", Verdict.NOT_ALLOWED))));
  }

  /**
   * Converged, every instance allowed, but the criteria go against AWS's rollout guidance: Amazon
   * images in use while no criterion lists amazon, and image names without a provider.
   */
  private static ObjectNode convergedWithRolloutCautions() {
    AllowedAmiPolicy policy =
        policy(
            "names-only",
            1,
            """
            mode: audit-mode
            regions: [us-east-1, us-west-2, eu-west-1]
            imageCriteria:
            - imageProviders: ["210987654321"]
            - imageNames: ["al2023-ami-*"]
            """);
    return object(
        policy,
        convergedStatus(
            policy, List.of(thirdParty("eu-west-1", "i-0a1b2c3d4e5f60718", Verdict.ALLOWED))));
  }

  /** The spec changed (a Region added) after the operator converged the previous one. */
  private static ObjectNode newGenerationNotYetObserved() {
    AllowedAmiPolicy before = auditRollout(1);
    AllowedAmiPolicy after = auditRollout(2);
    after.getSpec().setRegions(List.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1"));
    return object(after, convergedStatus(before, List.of()));
  }

  /** EC2 throttles one Region: the operator retries it with backoff. */
  private static ObjectNode oneRegionRetrying() {
    AllowedAmiPolicy policy = auditRollout(1);
    DesiredSettings desired = SpecMapper.desired(policy.getSpec());
    List<RegionOutcome> outcomes =
        List.of(
            converging("us-east-1", desired, List.of()),
            converging("us-west-2", desired, List.of()),
            RegionOutcome.failedBeforeReading(
                "eu-west-1",
                Failure.recoverable("RequestLimitExceeded", "Request limit exceeded.")));
    return object(policy, StatusBuilder.build(null, 1, ACCOUNT, outcomes, FIRST_RECONCILE));
  }

  /**
   * Switching to enabled, the safe-rollout gate holds a Region where running instances would be
   * blocked; the criteria are in force in audit-mode meanwhile.
   */
  private static ObjectNode rolloutHeldByTheGate() {
    AllowedAmiPolicy policy =
        policy(
            "enforce-with-gate",
            1,
            """
            mode: enabled
            regions: [us-east-1, eu-west-1]
            providers: [amazon]
            rollout:
              maxBlockedInstances: 0
            """);
    DesiredSettings desired = SpecMapper.desired(policy.getSpec());
    ImageCriteria criteria = desired.criteria().orElseThrow();
    RegionSettings auditing =
        new RegionSettings(AllowedImagesState.AUDIT_MODE, criteria, ManagedBy.ACCOUNT);
    ComplianceReport report =
        report(
            "eu-west-1",
            criteria,
            true,
            List.of(
                amazon("eu-west-1", "i-0123456789abcdef0", Verdict.ALLOWED),
                thirdParty("eu-west-1", "i-0feedfacefeedfa01", Verdict.NOT_ALLOWED)));
    GateDecision gate = RolloutGate.decide(0, report.preview());
    RegionOutcome held =
        RegionOutcome.builder("eu-west-1", auditing, RegionPlanner.plan(desired, auditing, true))
            .compliance(Optional.of(report), Optional.empty())
            .rolloutGate(Optional.of(gate.message()))
            .build();
    if (!gate.held() || !held.heldByRolloutGate()) {
      throw new IllegalStateException("the gate should hold eu-west-1: " + gate);
    }
    List<RegionOutcome> outcomes = List.of(converging("us-east-1", desired, List.of()), held);
    return object(policy, StatusBuilder.build(null, 1, ACCOUNT, outcomes, FIRST_RECONCILE));
  }

  /** A Region AWS does not have: rejected before any AWS call. */
  private static ObjectNode invalidSpec() {
    AllowedAmiPolicy policy =
        policy(
            "typo-in-region",
            1,
            """
            mode: audit-mode
            regions: [us-east-1, us-east-9]
            providers: [amazon]
            """);
    List<String> problems = SpecValidator.validate(policy.getSpec(), KnownRegions::isKnown);
    if (problems.isEmpty()) {
      throw new IllegalStateException("us-east-9 should be rejected");
    }
    return object(policy, StatusBuilder.invalidSpec(null, 1, problems, FIRST_RECONCILE));
  }

  /** The role of another account cannot be assumed: no Region can be read. */
  private static ObjectNode accountUnreachableTerminally() {
    AllowedAmiPolicy policy =
        policy(
            "member-account",
            1,
            """
            mode: audit-mode
            regions: [us-east-1, eu-west-1]
            providers: [amazon]
            assumeRole:
              roleArn: arn:aws:iam::444455556666:role/AllowedAmiOperatorRole
            """);
    Failure denied =
        Failure.terminal(
            "AccessDenied",
            "User: arn:aws:sts::111122223333:assumed-role/allowed-ami-operator/operator is not"
                + " authorized to perform: sts:AssumeRole on resource:"
                + " arn:aws:iam::444455556666:role/AllowedAmiOperatorRole");
    List<RegionOutcome> outcomes =
        policy.getSpec().getRegions().stream()
            .map(region -> RegionOutcome.failedBeforeReading(region, denied))
            .toList();
    return object(policy, StatusBuilder.build(null, 1, null, outcomes, FIRST_RECONCILE));
  }

  /** One Region refuses the writes (no permission) while another is throttled. */
  private static ObjectNode oneRegionTerminalAnotherRetrying() {
    AllowedAmiPolicy policy = auditRollout(1);
    DesiredSettings desired = SpecMapper.desired(policy.getSpec());
    RegionSettings disabled =
        new RegionSettings(AllowedImagesState.DISABLED, ImageCriteria.NONE, ManagedBy.ACCOUNT);
    List<InstanceImage> noVerdicts =
        List.of(
            amazon("eu-west-1", "i-0123456789abcdef0", Verdict.UNKNOWN),
            thirdParty("eu-west-1", "i-0feedfacefeedfa01", Verdict.UNKNOWN));
    ComplianceReport disabledReport =
        report("eu-west-1", desired.criteria().orElseThrow(), false, noVerdicts);
    RegionOutcome refused =
        RegionOutcome.builder("eu-west-1", disabled, RegionPlanner.plan(desired, disabled))
            .compliance(Optional.of(disabledReport), noReadFailure())
            .failure(
                Failure.terminal(
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation. User is not authorized to"
                        + " perform: ec2:ReplaceImageCriteriaInAllowedImagesSettings"))
            .build();
    List<RegionOutcome> outcomes =
        List.of(
            converging("us-east-1", desired, List.of()),
            RegionOutcome.failedBeforeReading(
                "us-west-2",
                Failure.recoverable("RequestLimitExceeded", "Request limit exceeded.")),
            refused);
    return object(policy, StatusBuilder.build(null, 1, ACCOUNT, outcomes, FIRST_RECONCILE));
  }

  /** Suspended from the start: every Region read, nothing written, the changes it would make. */
  private static ObjectNode suspended() {
    AllowedAmiPolicy policy = auditRollout(1);
    policy.getSpec().setSuspend(true);
    return object(policy, withheldStatus(policy));
  }

  /** spec.enforcement ObserveOnly, every Region still disabled: the drift, never corrected. */
  private static ObjectNode observeOnlyWithDrift() {
    AllowedAmiPolicy policy = auditRollout(1);
    policy.getSpec().setEnforcement("ObserveOnly");
    return object(policy, withheldStatus(policy));
  }

  /** The first reconcile of a policy whose writes are withheld, from disabled Regions. */
  private static AllowedAmiPolicyStatus withheldStatus(AllowedAmiPolicy policy) {
    DesiredSettings desired = SpecMapper.desired(policy.getSpec());
    String why = WritesWithheld.reason(policy.getSpec()).orElseThrow();
    RegionSettings disabled =
        new RegionSettings(AllowedImagesState.DISABLED, ImageCriteria.NONE, ManagedBy.ACCOUNT);
    List<RegionOutcome> outcomes = new ArrayList<>();
    for (String region : policy.getSpec().getRegions()) {
      RegionPlan plan = RegionPlanner.plan(desired, disabled);
      List<InstanceImage> instances =
          List.of(amazon(region, "i-0123456789abcdef0", Verdict.UNKNOWN));
      outcomes.add(
          RegionOutcome.builder(region, disabled, plan)
              .compliance(
                  Optional.of(report(region, desired.criteria().orElseThrow(), false, instances)),
                  noReadFailure())
              .pendingChanges(PendingChanges.withheld(why, plan.actions(), disabled))
              .build());
    }
    AllowedAmiPolicyStatus built = StatusBuilder.build(null, 1, ACCOUNT, outcomes, FIRST_RECONCILE);
    return WritesWithheld.conditions(null, built, 1, outcomes, why, FIRST_RECONCILE);
  }

  /** AWS's documented first step, in three Regions. */
  private static AllowedAmiPolicy auditRollout(long generation) {
    return policy(
        "audit-rollout",
        generation,
        """
        mode: audit-mode
        regions: [us-east-1, us-west-2, eu-west-1]
        providers: [amazon, aws-marketplace]
        """);
  }

  /**
   * The first reconcile of {@code policy} from disabled Regions: every Region written and read
   * back; {@code notAllowed} instances run in eu-west-1.
   */
  private static AllowedAmiPolicyStatus convergedStatus(
      AllowedAmiPolicy policy, List<InstanceImage> notAllowed) {
    DesiredSettings desired = SpecMapper.desired(policy.getSpec());
    List<RegionOutcome> outcomes = new ArrayList<>();
    for (String region : policy.getSpec().getRegions()) {
      outcomes.add(
          converging(region, desired, region.equals("eu-west-1") ? notAllowed : List.of()));
    }
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(
            null, policy.getMetadata().getGeneration(), ACCOUNT, outcomes, FIRST_RECONCILE);
    RolloutWarnings.cautions(desired, outcomes)
        .ifPresent(
            cautions ->
                RolloutWarnings.apply(
                    status, cautions, policy.getMetadata().getGeneration(), FIRST_RECONCILE));
    return status;
  }

  /** A Region found disabled, written and read back as desired, with its instances' report. */
  private static RegionOutcome converging(
      String region, DesiredSettings desired, List<InstanceImage> extraInstances) {
    ImageCriteria criteria = desired.criteria().orElseThrow();
    RegionSettings disabled =
        new RegionSettings(AllowedImagesState.DISABLED, ImageCriteria.NONE, ManagedBy.ACCOUNT);
    RegionSettings converged = new RegionSettings(desired.state(), criteria, ManagedBy.ACCOUNT);
    RegionPlan plan = RegionPlanner.plan(desired, disabled);
    List<InstanceImage> instances = new ArrayList<>();
    instances.add(amazon(region, "i-0123456789abcdef0", Verdict.ALLOWED));
    instances.add(amazon(region, "i-0123456789abcdef1", Verdict.ALLOWED));
    instances.addAll(extraInstances);
    return RegionOutcome.builder(region, disabled, plan)
        .applied(plan.actions())
        .observed(converged)
        .compliance(Optional.of(report(region, criteria, true, instances)), noReadFailure())
        .build();
  }

  /**
   * What the converger reports for a Region: AWS's verdicts and the preview of {@code criteria}.
   */
  private static ComplianceReport report(
      String region, ImageCriteria criteria, boolean inForce, List<InstanceImage> instances) {
    PreviewBasis basis = new PreviewBasis(criteria, inForce, ACCOUNT, NOW);
    return new ComplianceAggregator(ReportLimits.DEFAULT).aggregate(region, instances, basis);
  }

  /** A running instance on Amazon Linux. */
  private static InstanceImage amazon(String region, String id, Verdict reported) {
    return instance(region, id, true, reported);
  }

  /** A running instance on a third party's image, which the policies here do not allow. */
  private static InstanceImage thirdParty(String region, String id, Verdict reported) {
    return instance(region, id, false, reported);
  }

  private static InstanceImage instance(
      String region, String id, boolean amazon, Verdict reported) {
    String imageId = amazon ? "ami-0a11a11a11a11a110" : "ami-0c0ffee0c0ffee001";
    return new InstanceImage(
        id,
        "t3.micro",
        region + "a",
        "running",
        Instant.parse("2026-11-01T08:00:00Z"),
        imageId,
        amazon ? "al2023-ami-2023.9.20261101.0-kernel-6.1-x86_64" : "acme-hardened-rhel9-2025.09",
        amazon ? "137112412989" : THIRD_PARTY_OWNER,
        amazon ? "amazon" : null,
        Instant.parse("2026-11-01T00:00:00Z"),
        null,
        "available",
        reported,
        null,
        null);
  }

  private static Optional<Failure> noReadFailure() {
    return Optional.empty();
  }

  private static AllowedAmiPolicy policy(String name, long generation, String specYaml) {
    String yaml =
        """
        apiVersion: ec2.allowedami.io/v1alpha1
        kind: AllowedAmiPolicy
        metadata:
          name: %s
          generation: %d
          uid: 6f1d2c3b-8a4e-4f5a-9b6c-%012d
          resourceVersion: "%d"
          creationTimestamp: "%s"
        spec:
        %s\
        """
            .formatted(
                name,
                generation,
                Math.abs(name.hashCode()),
                1000 + generation,
                CREATED,
                specYaml.indent(2));
    return Serialization.unmarshal(yaml, AllowedAmiPolicy.class);
  }

  /** The object as the API server returns it: the policy with {@code status}. */
  private static ObjectNode object(AllowedAmiPolicy policy, AllowedAmiPolicyStatus status) {
    policy.setStatus(status);
    try {
      return (ObjectNode) JSON.readTree(Serialization.asJson(policy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
