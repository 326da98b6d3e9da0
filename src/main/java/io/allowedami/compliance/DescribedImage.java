package io.allowedami.compliance;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One DescribeImages item in the project's own terms: an image a launch template refers to, with
 * the product codes and watermarks DescribeInstanceImageMetadata does not return, and AWS's {@code
 * ImageAllowed} for the criteria in force.
 */
public record DescribedImage(
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

  public DescribedImage {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(reportedAllowed, "reportedAllowed");
    productCodes = productCodes == null ? null : Set.copyOf(productCodes);
    watermarks = watermarks == null ? null : Set.copyOf(watermarks);
  }
}
