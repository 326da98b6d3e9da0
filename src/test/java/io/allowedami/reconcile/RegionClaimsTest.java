package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.aws.AccountTarget;
import io.allowedami.testing.Policies;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RegionClaimsTest {
  private static final String OWN = "111122223333";
  private static final String MEMBER_ROLE = "arn:aws:iam::444455556666:role/AllowedAmiOperatorRole";

  private final RegionClaims claims =
      new RegionClaims(new RegionScope(Clock.systemUTC()), r -> true);

  private static AllowedAmiPolicy policy(String name, String created, List<String> regions) {
    AllowedAmiPolicy p = Policies.providers(name, Mode.AUDIT_MODE, regions, "amazon");
    p.getMetadata().setUid("uid-" + name);
    p.getMetadata().setCreationTimestamp(created);
    return p;
  }

  private static AllowedAmiPolicy withRole(AllowedAmiPolicy p, String roleArn) {
    AssumeRoleSpec role = new AssumeRoleSpec();
    role.setRoleArn(roleArn);
    p.getSpec().setAssumeRole(role);
    return p;
  }

  private Map<String, String> owners(AllowedAmiPolicy self, List<AllowedAmiPolicy> all) {
    return claims.ownersOf(
        self,
        SpecMapper.accountTarget(self.getSpec()),
        self.getSpec().getRegions(),
        () -> OWN,
        all);
  }

  @Test
  void whenAnOlderPolicyOnTheOperatorsCredentialsListsTheRegion_thenItOwnsIt() {
    AllowedAmiPolicy old = policy("old", "2026-01-01T00:00:00Z", List.of("eu-west-1"));
    AllowedAmiPolicy young =
        policy("young", "2026-02-01T00:00:00Z", List.of("eu-west-1", "us-east-1"));

    assertThat(owners(young, List.of(old, young))).containsExactly(Map.entry("eu-west-1", "old"));
  }

  @Test
  void whenTheOlderPolicyGovernsAnotherAccountThroughARole_thenThereIsNoConflict() {
    AllowedAmiPolicy member =
        withRole(policy("member", "2026-01-01T00:00:00Z", List.of("eu-west-1")), MEMBER_ROLE);
    AllowedAmiPolicy own = policy("own", "2026-02-01T00:00:00Z", List.of("eu-west-1"));

    assertThat(owners(own, List.of(member, own))).isEmpty();
  }

  @Test
  void whenARoleLeadsIntoTheOperatorsOwnAccount_thenItIsTheSameAccount() {
    AllowedAmiPolicy own = policy("own", "2026-01-01T00:00:00Z", List.of("eu-west-1"));
    AllowedAmiPolicy viaRole =
        withRole(
            policy("via-role", "2026-02-01T00:00:00Z", List.of("eu-west-1")),
            "arn:aws:iam::" + OWN + ":role/r");
    own.setStatus(new AllowedAmiPolicyStatus());
    own.getStatus().setAccountId(OWN);

    assertThat(owners(viaRole, List.of(own, viaRole))).containsKey("eu-west-1");
  }

  @Test
  void aWildcardPolicyClaimsTheRegionsItsStatusLists() {
    AllowedAmiPolicy all = policy("all", "2026-01-01T00:00:00Z", List.of("*"));
    all.setStatus(new AllowedAmiPolicyStatus());
    RegionStatus region = new RegionStatus();
    region.setRegion("ap-south-1");
    all.getStatus().setRegions(List.of(region));
    AllowedAmiPolicy listed =
        policy("listed", "2026-02-01T00:00:00Z", List.of("ap-south-1", "us-east-1"));

    assertThat(owners(listed, List.of(all, listed)))
        .containsExactly(Map.entry("ap-south-1", "all"));
  }

  @Test
  void policiesBeingDeletedOrInvalidClaimNothing() {
    AllowedAmiPolicy deleting = policy("deleting", "2026-01-01T00:00:00Z", List.of("eu-west-1"));
    deleting.getMetadata().setDeletionTimestamp("2026-03-01T00:00:00Z");
    AllowedAmiPolicy invalid = policy("invalid", "2026-01-01T00:00:00Z", List.of("eu-west-1"));
    invalid.getSpec().setMode("on");
    AllowedAmiPolicy self = policy("self", "2026-02-01T00:00:00Z", List.of("eu-west-1"));

    assertThat(owners(self, List.of(deleting, invalid, self))).isEmpty();
  }

  @Test
  void whenNoOtherPolicyExists_thenTheAccountIdIsNotAskedFor() {
    AllowedAmiPolicy self = policy("self", "2026-02-01T00:00:00Z", List.of("eu-west-1"));
    AtomicInteger asked = new AtomicInteger();

    claims.ownersOf(
        self,
        AccountTarget.OPERATOR_CREDENTIALS,
        List.of("eu-west-1"),
        () -> {
          asked.incrementAndGet();
          return OWN;
        },
        List.of(self));
    assertThat(asked).hasValue(0);
  }

  @Test
  void theConflictConditionNamesTheOwnerAndItsRegionsAndTurnsFalseWhenItEnds() {
    AllowedAmiPolicyStatus status = new AllowedAmiPolicyStatus();
    status =
        RegionClaims.withConflictCondition(
            status, Map.of("eu-west-1", "old", "ap-south-1", "old"), 1, "2026-01-01T00:00:00Z");
    var conflict = Conditions.find(status.getConditions(), RegionClaims.CONFLICT);
    assertThat(conflict.getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(conflict.getMessage()).contains("policy old owns ap-south-1, eu-west-1");

    status = RegionClaims.withConflictCondition(status, Map.of(), 1, "2026-01-02T00:00:00Z");
    assertThat(Conditions.find(status.getConditions(), RegionClaims.CONFLICT).getStatus())
        .isEqualTo(Conditions.FALSE);

    AllowedAmiPolicyStatus never = new AllowedAmiPolicyStatus();
    assertThat(RegionClaims.withConflictCondition(never, Map.of(), 1, "t").getConditions())
        .as("no Conflict condition on a policy that never had one")
        .isEmpty();
  }
}
