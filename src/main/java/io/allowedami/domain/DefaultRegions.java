package io.allowedami.domain;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The commercial Regions every AWS account can use without opting in, so that a policy listing only
 * these converges without waiting for DescribeRegions. AWS Account Management reference, "Enable or
 * disable AWS Regions in your account" (docs.aws.amazon.com/accounts/latest/reference/
 * manage-acct-regions.html): "Regions launched before March 20, 2019 are enabled by default ...
 * Default Regions cannot be enabled or disabled"; DescribeRegions reports them opt-in-not-required.
 * Every Region launched since is opt-in, so this list never grows.
 */
public final class DefaultRegions {
  public static final List<String> NAMES =
      List.of(
          "us-east-1",
          "us-east-2",
          "us-west-1",
          "us-west-2",
          "ca-central-1",
          "eu-west-1",
          "eu-west-2",
          "eu-west-3",
          "eu-central-1",
          "eu-north-1",
          "ap-south-1",
          "ap-northeast-1",
          "ap-northeast-2",
          "ap-northeast-3",
          "ap-southeast-1",
          "ap-southeast-2",
          "sa-east-1");

  private static final Set<String> SET = Set.copyOf(NAMES);

  private DefaultRegions() {}

  /** Enabled in every account of the aws partition, whatever the account did. */
  public static boolean isEnabledByDefault(String region) {
    return region != null && SET.contains(region);
  }

  /** Whether every one of the Regions is enabled by default (true for none). */
  public static boolean allEnabledByDefault(Collection<String> regions) {
    return regions.stream().allMatch(DefaultRegions::isEnabledByDefault);
  }
}
