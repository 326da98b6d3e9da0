package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.RolloutCautions;
import io.allowedami.compliance.RolloutCautions.Caution;
import io.allowedami.domain.DesiredSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * AWS's rollout cautions over the whole policy (every Region's instances and launch templates) as
 * the {@code RolloutWarning} condition and a Warning Event per caution that newly applies. Never
 * blocking: Ready does not depend on it.
 */
public final class RolloutWarnings {
  public static final String ROLLOUT_WARNING = "RolloutWarning";
  public static final String REASON_NONE = "NoCautions";

  private RolloutWarnings() {}

  /**
   * The cautions that apply to the images every Region reported this time; empty when the policy
   * sets no criteria of its own (each Region's would then be judged against its own) or no Region
   * reported images.
   */
  public static Optional<List<Caution>> cautions(
      DesiredSettings desired, List<RegionOutcome> outcomes) {
    if (desired.criteria().isEmpty()) {
      return Optional.empty();
    }
    List<RolloutCautions> facts = new ArrayList<>();
    for (RegionOutcome outcome : outcomes) {
      outcome
          .compliance()
          .map(ComplianceReport::cautionFacts)
          .filter(Objects::nonNull)
          .ifPresent(facts::add);
      outcome
          .launchTemplates()
          .report()
          .map(LaunchTemplateReport::cautionFacts)
          .filter(Objects::nonNull)
          .ifPresent(facts::add);
    }
    if (facts.isEmpty()) {
      return Optional.empty();
    }
    RolloutCautions merged = facts.get(0);
    for (RolloutCautions next : facts.subList(1, facts.size())) {
      merged = merged.merge(next);
    }
    return Optional.of(merged.cautions());
  }

  /** Sets the condition: True naming each caution, or False once none applies. */
  public static void apply(
      AllowedAmiPolicyStatus next, List<Caution> cautions, long generation, String now) {
    PolicyCondition wanted =
        cautions.isEmpty()
            ? new PolicyCondition(
                ROLLOUT_WARNING,
                Conditions.FALSE,
                REASON_NONE,
                "no rollout caution applies to the images in use")
            : new PolicyCondition(
                ROLLOUT_WARNING,
                Conditions.TRUE,
                cautions.stream().map(Caution::reason).sorted().collect(Collectors.joining(",")),
                cautions.stream().map(Caution::message).collect(Collectors.joining("; ")));
    next.setConditions(Conditions.upsert(next.getConditions(), wanted, generation, now));
  }

  /** The cautions that apply now and did not in {@code previous}'s condition. */
  static List<Caution> newlyApplying(AllowedAmiPolicyStatus previous, List<Caution> cautions) {
    PolicyCondition before =
        previous == null ? null : Conditions.find(previous.getConditions(), ROLLOUT_WARNING);
    Set<String> known =
        before == null || !Conditions.TRUE.equals(before.getStatus()) || before.getReason() == null
            ? Set.of()
            : new TreeSet<>(Arrays.asList(before.getReason().split(",")));
    return cautions.stream().filter(c -> !known.contains(c.reason())).toList();
  }
}
