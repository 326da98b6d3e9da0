package io.allowedami.simulator.ec2;

import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.WatermarkFilter;
import io.allowedami.simulator.protocol.QueryParams;
import io.allowedami.simulator.protocol.XmlWriter;
import java.util.List;
import java.util.Set;

/**
 * Reads image criteria from EC2 query parameters and writes them as EC2 XML, with AWS's wire names.
 */
public final class CriteriaWireFormat {

  private static final Set<String> CRITERION_FIELDS =
      Set.of(
          "ImageProvider",
          "ImageName",
          "MarketplaceProductCode",
          "CreationDateCondition",
          "DeprecationTimeCondition",
          "ImageWatermark");
  private static final Set<String> WATERMARK_FIELDS =
      Set.of(
          "WatermarkKey",
          "SourceImageRegion",
          "MaximumDaysSinceSourceImageCreated",
          "MaximumDaysSinceWatermarkCreated");

  private CriteriaWireFormat() {}

  public static List<Criterion> read(QueryParams params) {
    return params.structs("ImageCriterion").stream()
        .map(CriteriaWireFormat::readCriterion)
        .toList();
  }

  private static Criterion readCriterion(QueryParams c) {
    c.rejectUnknown(CRITERION_FIELDS);
    return new Criterion(
        c.list("ImageProvider"),
        c.list("ImageName"),
        c.list("MarketplaceProductCode"),
        c.structOrEmpty("CreationDateCondition")
            .flatMap(d -> d.integer("MaximumDaysSinceCreated"))
            .orElse(null),
        c.structOrEmpty("DeprecationTimeCondition")
            .flatMap(d -> d.integer("MaximumDaysSinceDeprecated"))
            .orElse(null),
        c.structs("ImageWatermark").stream().map(CriteriaWireFormat::readWatermark).toList());
  }

  private static WatermarkFilter readWatermark(QueryParams w) {
    w.rejectUnknown(WATERMARK_FIELDS);
    return new WatermarkFilter(
        w.get("WatermarkKey").orElse(null),
        w.get("SourceImageRegion").orElse(null),
        w.integer("MaximumDaysSinceSourceImageCreated").orElse(null),
        w.integer("MaximumDaysSinceWatermarkCreated").orElse(null));
  }

  static void write(XmlWriter xml, List<Criterion> criteria) {
    xml.start("imageCriterionSet");
    for (Criterion c : criteria) {
      xml.start("item");
      writeList(xml, "imageProviderSet", c.imageProviders());
      writeList(xml, "imageNameSet", c.imageNames());
      writeList(xml, "marketplaceProductCodeSet", c.marketplaceProductCodes());
      if (c.maximumDaysSinceCreated() != null) {
        xml.start("creationDateCondition")
            .element("maximumDaysSinceCreated", c.maximumDaysSinceCreated())
            .end();
      }
      if (c.maximumDaysSinceDeprecated() != null) {
        xml.start("deprecationTimeCondition")
            .element("maximumDaysSinceDeprecated", c.maximumDaysSinceDeprecated())
            .end();
      }
      if (!c.imageWatermarks().isEmpty()) {
        xml.start("imageWatermarkSet");
        for (WatermarkFilter w : c.imageWatermarks()) {
          xml.start("item")
              .element("watermarkKey", w.watermarkKey())
              .element("sourceImageRegion", w.sourceImageRegion())
              .element("maximumDaysSinceSourceImageCreated", w.maximumDaysSinceSourceImageCreated())
              .element("maximumDaysSinceWatermarkCreated", w.maximumDaysSinceWatermarkCreated())
              .end();
        }
        xml.end();
      }
      xml.end();
    }
    xml.end();
  }

  private static void writeList(XmlWriter xml, String name, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    xml.start(name);
    values.forEach(v -> xml.element("item", v));
    xml.end();
  }
}
