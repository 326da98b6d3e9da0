package io.allowedami.simulator.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One ImageWatermarks entry of a criterion: every field it sets must match the same watermark of an
 * image.
 */
public record WatermarkFilter(
    String watermarkKey,
    String sourceImageRegion,
    Integer maximumDaysSinceSourceImageCreated,
    Integer maximumDaysSinceWatermarkCreated) {

  @JsonIgnore
  public boolean isEmpty() {
    return watermarkKey == null
        && sourceImageRegion == null
        && maximumDaysSinceSourceImageCreated == null
        && maximumDaysSinceWatermarkCreated == null;
  }
}
