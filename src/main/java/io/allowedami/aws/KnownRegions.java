package io.allowedami.aws;

import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;

/**
 * The Region names the operator accepts in a spec: those in its AWS SDK's endpoint metadata (every
 * partition). A name of the right shape that is not there (us-east-9) is a spec error, not an
 * endpoint to retry forever; a Region launched after this SDK version needs a newer operator.
 */
public final class KnownRegions {
  private static final Set<String> SDK_REGIONS =
      Region.regions().stream()
          .filter(r -> !r.isGlobalRegion())
          .map(Region::id)
          .collect(Collectors.toUnmodifiableSet());

  private KnownRegions() {}

  public static boolean isKnown(String region) {
    return SDK_REGIONS.contains(region);
  }
}
