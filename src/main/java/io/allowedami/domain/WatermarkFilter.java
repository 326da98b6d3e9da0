package io.allowedami.domain;

import java.util.Comparator;
import java.util.Objects;

/**
 * One image-watermark filter of a criterion: every field that is set must match the same watermark
 * on the image. Null fields are not set.
 */
public record WatermarkFilter(
    String watermarkKey,
    String sourceImageRegion,
    Integer maximumDaysSinceSourceImageCreated,
    Integer maximumDaysSinceWatermarkCreated)
    implements Comparable<WatermarkFilter> {

  private static final Comparator<WatermarkFilter> ORDER =
      Comparator.comparing(
              WatermarkFilter::watermarkKey, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(
              WatermarkFilter::sourceImageRegion, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(
              WatermarkFilter::maximumDaysSinceSourceImageCreated,
              Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(
              WatermarkFilter::maximumDaysSinceWatermarkCreated,
              Comparator.nullsFirst(Comparator.naturalOrder()));

  @Override
  public int compareTo(WatermarkFilter other) {
    return ORDER.compare(this, Objects.requireNonNull(other));
  }
}
