package io.allowedami.reconcile;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which policy governs an account's Region when several claim it, so that two policies
 * never fight over one setting: the oldest policy owns it, then the first by name. A pure function
 * of the claims, unit-tested apart from the reconciler.
 */
public final class RegionOwnership {
  private RegionOwnership() {}

  /**
   * What one policy claims.
   *
   * @param accounts the names its account may go by (an account ID; "operator credentials" while
   *     the operator's own account is not known); two claims on one account share a name
   * @param created the policy's creationTimestamp; null counts as the newest
   */
  public record Claim(
      String policy, Instant created, Set<String> accounts, Collection<String> regions) {
    public Claim {
      accounts = Set.copyOf(accounts);
      regions = List.copyOf(regions);
    }

    boolean sameAccount(Claim other) {
      return accounts.stream().anyMatch(other.accounts::contains);
    }
  }

  private static final Comparator<Claim> PRECEDENCE =
      Comparator.comparing((Claim c) -> Optional.ofNullable(c.created()).orElse(Instant.MAX))
          .thenComparing(Claim::policy);

  /**
   * The Regions of {@code self} that another policy owns, each with its owner, in self's order;
   * empty when self owns all of them.
   */
  public static Map<String, String> decide(Claim self, Collection<Claim> others) {
    Map<String, String> ownedByOthers = new LinkedHashMap<>();
    for (String region : self.regions()) {
      others.stream()
          .filter(o -> !o.policy().equals(self.policy()))
          .filter(o -> o.sameAccount(self) && o.regions().contains(region))
          .filter(o -> PRECEDENCE.compare(o, self) < 0)
          .min(PRECEDENCE)
          .ifPresent(owner -> ownedByOthers.put(region, owner.policy()));
    }
    return ownedByOthers;
  }
}
