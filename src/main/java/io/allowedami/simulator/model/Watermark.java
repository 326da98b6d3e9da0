package io.allowedami.simulator.model;

import java.time.Instant;

/**
 * A watermark carried by an image (AWS's ImageWatermark), matched by criteria watermark filters.
 */
public record Watermark(
    String watermarkKey,
    String sourceImageRegion,
    String sourceImageId,
    Instant sourceImageCreationTime,
    Instant watermarkCreationTime) {}
