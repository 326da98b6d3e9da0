package io.allowedami.compliance;

import java.time.Instant;
import java.util.Objects;

/**
 * One watermark on an image, as far as it is known: watermark filters of a criterion are judged
 * against these. Null fields are not known.
 */
public record ImageWatermark(
    String watermarkKey,
    String sourceImageRegion,
    Instant sourceImageCreated,
    Instant watermarkCreated) {
  public ImageWatermark {
    Objects.requireNonNull(watermarkKey, "watermarkKey");
  }
}
