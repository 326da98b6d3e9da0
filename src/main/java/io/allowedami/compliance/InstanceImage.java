package io.allowedami.compliance;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One DescribeInstanceImageMetadata item in the project's own terms: an instance and the image it
 * was launched from. Nullable image fields are "not reported"; {@code productCodes} and {@code
 * watermarks} are null when not known (DescribeInstanceImageMetadata returns neither) and empty
 * when known to be none.
 */
public record InstanceImage(
    String instanceId,
    String instanceType,
    String availabilityZone,
    String instanceState,
    Instant launchTime,
    String imageId,
    String imageName,
    String imageOwnerId,
    String imageOwnerAlias,
    Instant imageCreationDate,
    Instant imageDeprecationTime,
    String imageState,
    Verdict reportedAllowed,
    Set<String> productCodes,
    Set<ImageWatermark> watermarks)
    implements ImageFacts {

  public InstanceImage {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(instanceState, "instanceState");
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(reportedAllowed, "reportedAllowed");
    productCodes = productCodes == null ? null : Set.copyOf(productCodes);
    watermarks = watermarks == null ? null : Set.copyOf(watermarks);
  }
}
