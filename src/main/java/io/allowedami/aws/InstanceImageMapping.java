package io.allowedami.aws;

import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.ImageWatermark;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.Verdict;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageMetadata;
import software.amazon.awssdk.services.ec2.model.InstanceImageMetadata;
import software.amazon.awssdk.services.ec2.model.ProductCode;

/**
 * Maps DescribeInstanceImageMetadata items to the project's own type. AWS data is untrusted: an
 * unparseable date becomes "not reported" (and so an unknown verdict), never an exception.
 */
final class InstanceImageMapping {
  private InstanceImageMapping() {}

  static InstanceImage fromSdk(InstanceImageMetadata item) {
    ImageMetadata image =
        item.imageMetadata() == null ? ImageMetadata.builder().build() : item.imageMetadata();
    return new InstanceImage(
        item.instanceId(),
        item.instanceTypeAsString(),
        item.availabilityZone(),
        item.state() == null || item.state().nameAsString() == null
            ? "unknown"
            : item.state().nameAsString(),
        item.launchTime(),
        image.imageId() == null ? "unknown" : image.imageId(),
        image.name(),
        image.ownerId(),
        image.imageOwnerAlias(),
        instant(image.creationDate()),
        instant(image.deprecationTime()),
        image.stateAsString(),
        Verdict.ofReported(image.imageAllowed()),
        // DescribeInstanceImageMetadata does not return product codes: unknown, never guessed.
        null,
        image.hasImageWatermarks() ? watermarks(image) : null);
  }

  /** A DescribeImages item: product codes are known here (none when the list is absent). */
  static DescribedImage fromSdk(Image image) {
    return new DescribedImage(
        image.imageId(),
        image.name(),
        image.ownerId(),
        image.imageOwnerAlias(),
        instant(image.creationDate()),
        instant(image.deprecationTime()),
        image.stateAsString(),
        Verdict.ofReported(image.imageAllowed()),
        image.productCodes().stream()
            .map(ProductCode::productCodeId)
            .filter(Objects::nonNull)
            .collect(Collectors.toSet()),
        image.hasImageWatermarks() ? watermarks(image.imageWatermarks()) : null);
  }

  private static Set<ImageWatermark> watermarks(ImageMetadata image) {
    return watermarks(image.imageWatermarks());
  }

  private static Set<ImageWatermark> watermarks(
      List<software.amazon.awssdk.services.ec2.model.ImageWatermark> marks) {
    return marks.stream()
        .map(
            w ->
                new ImageWatermark(
                    w.watermarkKey(),
                    w.sourceImageRegion(),
                    w.sourceImageCreationTime(),
                    w.watermarkCreationTime()))
        .collect(Collectors.toSet());
  }

  static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
