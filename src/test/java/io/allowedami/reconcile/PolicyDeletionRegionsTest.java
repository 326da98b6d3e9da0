package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.RegionError;
import io.allowedami.api.v1alpha1.RegionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deleting with Disable touches only the Regions the policy governed, never another's. */
class PolicyDeletionRegionsTest {

  private static AllowedAmiPolicy policy(List<String> regions, RegionStatus... status) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setRegions(regions);
    AllowedAmiPolicy policy = new AllowedAmiPolicy();
    policy.setSpec(spec);
    if (status.length > 0) {
      AllowedAmiPolicyStatus s = new AllowedAmiPolicyStatus();
      s.setRegions(List.of(status));
      policy.setStatus(s);
    }
    return policy;
  }

  private static RegionStatus region(String name, String errorCode) {
    RegionStatus r = new RegionStatus();
    r.setRegion(name);
    if (errorCode != null) {
      r.setError(new RegionError("Terminal", errorCode, "x", "2026-11-24T00:00:00Z"));
    }
    return r;
  }

  @Test
  void whenStatusListsTheRegions_thenThoseGovernedAreDisabledButNotAnothersOrNotEnabledOnes() {
    AllowedAmiPolicy p =
        policy(
            List.of("*"),
            region("eu-west-1", null),
            region("us-east-1", "RequestLimitExceeded"),
            region("us-west-2", RegionClaims.OWNED_BY_ANOTHER_POLICY),
            region("me-south-1", RegionScope.REGION_NOT_ENABLED));

    assertThat(PolicyDeletion.governedRegions(p)).containsExactly("eu-west-1", "us-east-1");
  }

  @Test
  void whenThereIsNoStatus_thenAnExplicitListIsDisabledAndTheWildcardNothing() {
    assertThat(PolicyDeletion.governedRegions(policy(List.of("eu-west-1", "us-east-1"))))
        .containsExactly("eu-west-1", "us-east-1");
    assertThat(PolicyDeletion.governedRegions(policy(List.of("*")))).isEmpty();
  }

  @Test
  void aWildcardEntryCarryingADescribeRegionsErrorIsNotARegion() {
    assertThat(
            PolicyDeletion.governedRegions(
                policy(List.of("*"), region("*", "UnauthorizedOperation"))))
        .isEmpty();
  }
}
