package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.aws.AccountTarget;
import io.allowedami.domain.DefaultRegions;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionInfo;
import io.allowedami.testing.FakeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegionScopeTest {
  private static final List<RegionInfo> ACCOUNT_REGIONS =
      List.of(
          new RegionInfo("us-west-2", RegionInfo.OPT_IN_NOT_REQUIRED),
          new RegionInfo("af-south-1", RegionInfo.NOT_OPTED_IN),
          new RegionInfo("us-east-1", RegionInfo.OPT_IN_NOT_REQUIRED),
          new RegionInfo("me-south-1", RegionInfo.OPTED_IN),
          new RegionInfo("eu-west-1", RegionInfo.OPT_IN_NOT_REQUIRED));

  private static AllowedAmiPolicySpec spec(List<String> regions, List<String> excluded) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode(Mode.AUDIT_MODE);
    spec.setRegions(regions);
    spec.setExcludeRegions(excluded);
    spec.setProviders(List.of("amazon"));
    return spec;
  }

  @Test
  void whenRegionsIsTheWildcard_thenEveryEnabledRegionMinusTheExcludedIsConvergedInNameOrder() {
    RegionScope.Resolved resolved =
        RegionScope.scope(
            spec(List.of("*"), List.of("us-west-2")),
            Optional.of(ACCOUNT_REGIONS),
            Optional.empty());

    assertThat(resolved.toConverge()).containsExactly("eu-west-1", "me-south-1", "us-east-1");
    assertThat(resolved.order()).isEqualTo(resolved.toConverge());
    assertThat(resolved.settled()).isEmpty();
  }

  @Test
  void whenAListedRegionIsNotOptedIn_thenItIsSettledAsRegionNotEnabledAndNeverCalled() {
    RegionScope.Resolved resolved =
        RegionScope.scope(
            spec(List.of("af-south-1", "us-east-1"), null),
            Optional.of(ACCOUNT_REGIONS),
            Optional.empty());

    assertThat(resolved.toConverge()).containsExactly("us-east-1");
    assertThat(resolved.order()).containsExactly("af-south-1", "us-east-1");
    assertThat(resolved.settled())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.region()).isEqualTo("af-south-1");
              Failure f = o.failure().orElseThrow();
              assertThat(f.code()).isEqualTo(RegionScope.REGION_NOT_ENABLED);
              assertThat(f.isTerminal()).as("not retried hot").isTrue();
            });
  }

  @Test
  void whenDescribeRegionsFailed_thenAnExplicitListIsConvergedAsListed() {
    RegionScope.Resolved resolved =
        RegionScope.scope(
            spec(List.of("af-south-1", "us-east-1"), null),
            Optional.empty(),
            Optional.of(Failure.terminal("UnauthorizedOperation", "no")));

    assertThat(resolved.toConverge()).containsExactly("af-south-1", "us-east-1");
  }

  @Test
  void whenDescribeRegionsFailedForTheWildcard_thenOnePseudoRegionCarriesTheFailure() {
    RegionScope.Resolved resolved =
        RegionScope.scope(
            spec(List.of("*"), null),
            Optional.empty(),
            Optional.of(Failure.terminal("UnauthorizedOperation", "no")));

    assertThat(resolved.toConverge()).isEmpty();
    assertThat(resolved.settled())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.region()).isEqualTo("*");
              assertThat(o.failure().orElseThrow().message()).contains("ec2:DescribeRegions");
            });
  }

  @Test
  void whenPoliciesOfOneAccountResolveWithinTheTtl_thenDescribeRegionsIsCalledOnce() {
    MutableClock clock = new MutableClock();
    RegionScope scope = new RegionScope(clock);
    FakeGateway aws = new FakeGateway("111122223333");
    aws.setRegions(ACCOUNT_REGIONS);
    Duration ttl = Duration.ofMinutes(5);

    for (int i = 0; i < 10; i++) {
      scope.resolve(AccountTarget.OPERATOR_CREDENTIALS, aws, spec(List.of("*"), null), ttl);
      clock.advance(Duration.ofSeconds(20));
    }
    assertThat(aws.calls("describeRegions")).isEqualTo(1);

    // A Region enabled later is seen once the TTL (the resync interval) has passed.
    aws.setRegions(
        List.of(
            new RegionInfo("us-east-1", RegionInfo.OPT_IN_NOT_REQUIRED),
            new RegionInfo("af-south-1", RegionInfo.OPTED_IN)));
    clock.advance(ttl);
    RegionScope.Resolved resolved =
        scope.resolve(AccountTarget.OPERATOR_CREDENTIALS, aws, spec(List.of("*"), null), ttl);
    assertThat(resolved.toConverge()).containsExactly("af-south-1", "us-east-1");
    assertThat(aws.calls("describeRegions")).isEqualTo(2);
    assertThat(scope.describeRegionsCalls()).isEqualTo(2);
  }

  @Test
  void whenEveryListedRegionIsEnabledByDefault_thenDescribeRegionsIsNotCalled() {
    RegionScope scope = new RegionScope(new MutableClock());
    FakeGateway aws = new FakeGateway("111122223333");
    aws.setRegions(ACCOUNT_REGIONS);

    RegionScope.Resolved resolved =
        scope.resolve(
            AccountTarget.OPERATOR_CREDENTIALS,
            aws,
            spec(List.of("us-east-1", "eu-west-1", "ap-northeast-3"), null),
            Duration.ofMinutes(5));

    assertThat(resolved.toConverge()).containsExactly("us-east-1", "eu-west-1", "ap-northeast-3");
    assertThat(resolved.settled()).isEmpty();
    assertThat(aws.calls("describeRegions")).isZero();
    assertThat(scope.describeRegionsCalls()).isZero();
  }

  @Test
  void whenAListedRegionNeedsOptingIn_thenDescribeRegionsDecidesWhetherItIsCalled() {
    RegionScope scope = new RegionScope(new MutableClock());
    FakeGateway aws = new FakeGateway("111122223333");
    aws.setRegions(ACCOUNT_REGIONS);

    RegionScope.Resolved resolved =
        scope.resolve(
            AccountTarget.OPERATOR_CREDENTIALS,
            aws,
            spec(List.of("us-east-1", "af-south-1", "me-south-1"), null),
            Duration.ofMinutes(5));

    assertThat(aws.calls("describeRegions")).isEqualTo(1);
    assertThat(resolved.toConverge()).containsExactly("us-east-1", "me-south-1");
    assertThat(resolved.settled()).extracting(RegionOutcome::region).containsExactly("af-south-1");
  }

  @Test
  void onlyTheWildcardAndListsWithAnOptInRegionNeedDescribeRegions() {
    assertThat(RegionScope.needsDescribeRegions(spec(List.of("*"), null))).isTrue();
    assertThat(RegionScope.needsDescribeRegions(spec(List.of("us-east-1", "ap-east-1"), null)))
        .isTrue();
    assertThat(RegionScope.needsDescribeRegions(spec(List.of("cn-north-1"), null)))
        .as("another partition: its own Regions, the answer decides")
        .isTrue();
    assertThat(RegionScope.needsDescribeRegions(spec(DefaultRegions.NAMES, null))).isFalse();
  }

  @Test
  void whenDescribeRegionsIsThrottled_thenTheNextReconcileAsksAgain() {
    RegionScope scope = new RegionScope(new MutableClock());
    FakeGateway aws = new FakeGateway("111122223333");
    aws.failDescribeRegions(Failure.recoverable("RequestLimitExceeded", "slow down"));
    AllowedAmiPolicySpec all = spec(List.of("*"), null);

    RegionScope.Resolved first =
        scope.resolve(AccountTarget.OPERATOR_CREDENTIALS, aws, all, Duration.ofMinutes(5));
    assertThat(first.settled().get(0).needsRetry()).isTrue();

    aws.failDescribeRegions(null);
    aws.setRegions(ACCOUNT_REGIONS);
    RegionScope.Resolved second =
        scope.resolve(AccountTarget.OPERATOR_CREDENTIALS, aws, all, Duration.ofMinutes(5));
    assertThat(second.toConverge()).hasSize(4);
  }

  /** A clock moved by hand. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-24T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
