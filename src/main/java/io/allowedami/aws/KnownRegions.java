package io.allowedami.aws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;

/**
 * The Region names the operator accepts in a spec: those in its AWS SDK's endpoint metadata (every
 * partition), plus any that DescribeRegions has reported since start, so that a Region launched
 * after this SDK version is accepted once AWS lists it. A name of the right shape that is in
 * neither (us-east-9) is a spec error, not an endpoint to retry forever.
 */
public final class KnownRegions {
  private static final Set<String> SDK_REGIONS =
      Region.regions().stream()
          .filter(r -> !r.isGlobalRegion())
          .map(Region::id)
          .collect(Collectors.toUnmodifiableSet());

  private static final Set<String> LEARNED = ConcurrentHashMap.newKeySet();

  private KnownRegions() {}

  public static boolean isKnown(String region) {
    return SDK_REGIONS.contains(region) || LEARNED.contains(region);
  }

  /** Records Regions that DescribeRegions listed, so that they are known from now on. */
  public static void learn(java.util.Collection<String> regions) {
    LEARNED.addAll(regions);
  }
}
