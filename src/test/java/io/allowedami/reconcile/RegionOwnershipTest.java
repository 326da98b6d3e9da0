package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.reconcile.RegionOwnership.Claim;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegionOwnershipTest {
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final Set<String> ACCOUNT_A = Set.of("111122223333");
  private static final Set<String> ACCOUNT_B = Set.of("444455556666");

  private static Claim claim(
      String name, Instant created, Set<String> accounts, String... regions) {
    return new Claim(name, created, accounts, List.of(regions));
  }

  @Test
  void whenAnOlderPolicyClaimsARegionOfTheSameAccount_thenItOwnsThatRegion() {
    Claim self = claim("young", T0.plusSeconds(60), ACCOUNT_A, "us-east-1", "eu-west-1");
    Claim older = claim("old", T0, ACCOUNT_A, "eu-west-1", "ap-south-1");

    assertThat(RegionOwnership.decide(self, List.of(older)))
        .containsExactlyEntriesOf(java.util.Map.of("eu-west-1", "old"));
    assertThat(RegionOwnership.decide(older, List.of(self))).as("the owner keeps it").isEmpty();
  }

  @Test
  void whenBothAreAsOld_thenTheFirstByNameOwns() {
    Claim b = claim("b", T0, ACCOUNT_A, "us-east-1");
    Claim a = claim("a", T0, ACCOUNT_A, "us-east-1");

    assertThat(RegionOwnership.decide(b, List.of(a))).containsEntry("us-east-1", "a");
    assertThat(RegionOwnership.decide(a, List.of(b))).isEmpty();
  }

  @Test
  void whenTheAccountsDiffer_thenThereIsNoConflict() {
    Claim self = claim("young", T0.plusSeconds(60), ACCOUNT_B, "us-east-1");
    Claim older = claim("old", T0, ACCOUNT_A, "us-east-1");

    assertThat(RegionOwnership.decide(self, List.of(older))).isEmpty();
  }

  @Test
  void whenAnAccountIsKnownByTwoNames_thenOneSharedNameMakesItTheSameAccount() {
    Claim self =
        claim("young", T0.plusSeconds(60), Set.of("operator-credentials", "111122223333"), "r-1");
    Claim roleIntoOwnAccount = claim("old", T0, ACCOUNT_A, "r-1");

    assertThat(RegionOwnership.decide(self, List.of(roleIntoOwnAccount))).containsKey("r-1");
  }

  @Test
  void whenSeveralOlderPoliciesClaimARegion_thenTheOldestOwnsIt() {
    Claim self = claim("c", T0.plusSeconds(120), ACCOUNT_A, "us-east-1");
    Claim middle = claim("b", T0.plusSeconds(60), ACCOUNT_A, "us-east-1");
    Claim oldest = claim("z", T0, ACCOUNT_A, "us-east-1");

    assertThat(RegionOwnership.decide(self, List.of(middle, oldest)))
        .containsEntry("us-east-1", "z");
  }

  @Test
  void whenACreationTimeIsUnknown_thenThatPolicyCountsAsTheNewest() {
    Claim unknown = claim("a", null, ACCOUNT_A, "us-east-1");
    Claim dated = claim("b", T0, ACCOUNT_A, "us-east-1");

    assertThat(RegionOwnership.decide(unknown, List.of(dated))).containsEntry("us-east-1", "b");
    assertThat(RegionOwnership.decide(dated, List.of(unknown))).isEmpty();
  }

  @Test
  void theOwnedRegionsComeInSelfsOrder() {
    Claim self = claim("young", T0.plusSeconds(1), ACCOUNT_A, "c-1", "a-1", "b-1");
    Claim older = claim("old", T0, ACCOUNT_A, "a-1", "b-1", "c-1");

    assertThat(RegionOwnership.decide(self, List.of(older)).keySet())
        .containsExactly("c-1", "a-1", "b-1");
  }
}
