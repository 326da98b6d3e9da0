package io.allowedami.simulator.ec2;

import io.allowedami.simulator.model.Watermark;
import io.allowedami.simulator.protocol.XmlWriter;
import java.util.List;

/**
 * Writes an image's {@code imageWatermarkSet}, shared by DescribeImages and
 * DescribeInstanceImageMetadata.
 */
final class Watermarks {

  private Watermarks() {}

  static void write(XmlWriter xml, List<Watermark> watermarks) {
    if (watermarks.isEmpty()) {
      return;
    }
    xml.start("imageWatermarkSet");
    for (Watermark w : watermarks) {
      xml.start("item")
          .element("watermarkKey", w.watermarkKey())
          .element("sourceImageRegion", w.sourceImageRegion())
          .element("sourceImageId", w.sourceImageId())
          .element("sourceImageCreationTime", w.sourceImageCreationTime())
          .element("watermarkCreationTime", w.watermarkCreationTime())
          .end();
    }
    xml.end();
  }
}
