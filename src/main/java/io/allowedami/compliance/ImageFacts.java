package io.allowedami.compliance;

import java.time.Instant;
import java.util.Set;

/**
 * What criteria are judged against: an image's metadata as far as AWS reported it, whether it came
 * with an instance (DescribeInstanceImageMetadata) or alone (DescribeImages). Null means "not
 * reported"; {@code productCodes} and {@code watermarks} are null when not known and empty when
 * known to be none.
 */
public interface ImageFacts {
  String imageId();

  String imageName();

  String imageOwnerId();

  String imageOwnerAlias();

  Instant imageCreationDate();

  Instant imageDeprecationTime();

  Set<String> productCodes();

  Set<ImageWatermark> watermarks();

  default boolean isOwnedBy(String accountId) {
    return accountId.equals(imageOwnerId());
  }
}
