package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.AccountTarget;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionInfo;
import io.allowedami.reconcile.RegionOwnership.Claim;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads the claims of every other policy from the informer's cache (no AWS call) and settles the
 * Regions of this policy's account that an older policy governs: this one writes nothing there and
 * says so with a {@code Conflict} condition, and takes over at its next reconcile once the owner is
 * deleted or drops the Region.
 */
final class RegionClaims {
  static final String OWNED_BY_ANOTHER_POLICY = "OwnedByAnotherPolicy";
  static final String CONFLICT = "Conflict";
  static final String REASON_NO_CONFLICT = "NoConflict";

  /** The account name of a policy on the operator's own credentials before its ID is known. */
  static final String OPERATOR_CREDENTIALS = "operator-credentials";

  private final RegionScope scope;
  private final Predicate<String> knownRegion;

  RegionClaims(RegionScope scope, Predicate<String> knownRegion) {
    this.scope = scope;
    this.knownRegion = knownRegion;
  }

  /**
   * The Regions among {@code regions} that another policy owns, each with its owner; {@code
   * accountId} is asked only when another policy could share this one's account.
   */
  Map<String, String> ownersOf(
      AllowedAmiPolicy self,
      AccountTarget target,
      List<String> regions,
      Supplier<String> accountId,
      Collection<AllowedAmiPolicy> all) {
    List<Claim> others = new ArrayList<>();
    for (AllowedAmiPolicy other : all) {
      if (!Objects.equals(other.getMetadata().getUid(), self.getMetadata().getUid())) {
        claimOf(other).ifPresent(others::add);
      }
    }
    if (others.isEmpty()) {
      return Map.of();
    }
    Set<String> accounts = new HashSet<>();
    if (target.roleArn().isPresent()) {
      target.roleAccountId().ifPresent(accounts::add);
    } else {
      accounts.add(OPERATOR_CREDENTIALS);
      try {
        accounts.add(accountId.get());
      } catch (RuntimeException e) {
        // Unknown for now: policies on the operator's credentials still share OPERATOR_CREDENTIALS.
      }
    }
    Claim claim = new Claim(self.getMetadata().getName(), created(self), accounts, regions);
    return RegionOwnership.decide(claim, others);
  }

  /** What another policy claims: nothing while it is invalid or being deleted. */
  private Optional<Claim> claimOf(AllowedAmiPolicy policy) {
    AllowedAmiPolicySpec spec = policy.getSpec();
    if (policy.getMetadata().getDeletionTimestamp() != null
        || !SpecValidator.validate(spec, knownRegion).isEmpty()) {
      return Optional.empty();
    }
    AccountTarget target = SpecMapper.accountTarget(spec);
    Set<String> accounts = new HashSet<>();
    if (target.roleArn().isPresent()) {
      target.roleAccountId().ifPresent(accounts::add);
    } else {
      accounts.add(OPERATOR_CREDENTIALS);
    }
    AllowedAmiPolicyStatus status = policy.getStatus();
    if (status != null && status.getAccountId() != null) {
      accounts.add(status.getAccountId());
    }
    Set<String> regions = new LinkedHashSet<>();
    if (spec.isAllRegions()) {
      // The Regions it last resolved, and those the cached DescribeRegions resolves it to now.
      if (status != null && status.getRegions() != null) {
        status.getRegions().stream()
            .map(RegionStatus::getRegion)
            .filter(r -> r != null && !RegionScope.ALL.equals(r))
            .forEach(regions::add);
      }
      Set<String> excluded =
          new HashSet<>(spec.getExcludeRegions() == null ? List.of() : spec.getExcludeRegions());
      scope.cached(target).stream()
          .flatMap(List::stream)
          .filter(RegionInfo::enabled)
          .map(RegionInfo::name)
          .forEach(regions::add);
      regions.removeAll(excluded);
    } else {
      regions.addAll(spec.getRegions());
    }
    return Optional.of(
        new Claim(policy.getMetadata().getName(), created(policy), accounts, regions));
  }

  private static Instant created(AllowedAmiPolicy policy) {
    String created = policy.getMetadata().getCreationTimestamp();
    try {
      return created == null ? null : Instant.parse(created);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The outcome of a Region another policy owns: terminal, and no call is made to it. */
  static List<RegionOutcome> outcomes(Map<String, String> owners) {
    return owners.entrySet().stream()
        .map(
            e ->
                RegionOutcome.failedBeforeReading(
                    e.getKey(),
                    Failure.terminal(
                        OWNED_BY_ANOTHER_POLICY,
                        "policy "
                            + e.getValue()
                            + " governs this account and Region (it is older, or as old and"
                            + " first by name); this policy writes nothing here until it is"
                            + " deleted or drops the Region")))
        .toList();
  }

  /**
   * The status with its Conflict condition: True naming each owner and its Regions; False once a
   * conflict is over; absent for a policy that never had one.
   */
  static AllowedAmiPolicyStatus withConflictCondition(
      AllowedAmiPolicyStatus next, Map<String, String> owners, long generation, String now) {
    PolicyCondition wanted;
    if (!owners.isEmpty()) {
      Map<String, Set<String>> regionsByOwner = new LinkedHashMap<>();
      owners.forEach((r, o) -> regionsByOwner.computeIfAbsent(o, k -> new TreeSet<>()).add(r));
      String message =
          regionsByOwner.entrySet().stream()
                  .map(e -> "policy " + e.getKey() + " owns " + String.join(", ", e.getValue()))
                  .collect(Collectors.joining("; "))
              + " in this account; this policy writes nothing there";
      wanted = new PolicyCondition(CONFLICT, Conditions.TRUE, OWNED_BY_ANOTHER_POLICY, message);
    } else if (Conditions.find(next.getConditions(), CONFLICT) != null) {
      wanted =
          new PolicyCondition(
              CONFLICT,
              Conditions.FALSE,
              REASON_NO_CONFLICT,
              "no other policy governs a Region of this one in its account");
    } else {
      return next;
    }
    next.setConditions(Conditions.upsert(next.getConditions(), wanted, generation, now));
    return next;
  }
}
