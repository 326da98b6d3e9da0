package io.allowedami.plan;

import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Criteria in a line a reviewer reads in a CI log: "1 criterion (amazon)", "2 criteria (amazon
 * names al2023-ami-* not deprecated; 210987654321)". Long lists are shortened; the JSON output
 * carries them whole.
 */
final class CriteriaText {
  /** Values of one list shown before "+N more". */
  static final int MAX_VALUES = 5;

  private CriteriaText() {}

  static String summary(ImageCriteria criteria) {
    if (criteria.size() == 0) {
      return "none";
    }
    return criteria.size()
        + (criteria.size() == 1 ? " criterion (" : " criteria (")
        + criteria.criteria().stream()
            .map(CriteriaText::criterion)
            .collect(Collectors.joining("; "))
        + ")";
  }

  static String criterion(ImageCriterion c) {
    List<String> parts = new ArrayList<>();
    if (!c.imageProviders().isEmpty()) {
      parts.add(values(c.imageProviders()));
    }
    if (!c.imageNames().isEmpty()) {
      parts.add("names " + values(c.imageNames()));
    }
    if (!c.marketplaceProductCodes().isEmpty()) {
      parts.add("products " + values(c.marketplaceProductCodes()));
    }
    if (c.maximumDaysSinceCreated() != null) {
      parts.add("created within " + c.maximumDaysSinceCreated() + " days");
    }
    if (c.maximumDaysSinceDeprecated() != null) {
      parts.add(
          c.maximumDaysSinceDeprecated() == 0
              ? "not deprecated"
              : "deprecated at most " + c.maximumDaysSinceDeprecated() + " days ago");
    }
    if (!c.imageWatermarks().isEmpty()) {
      parts.add(
          "watermarks "
              + values(c.imageWatermarks().stream().map(CriteriaText::watermark).toList()));
    }
    return parts.isEmpty() ? "any image" : String.join(" ", parts);
  }

  private static String watermark(WatermarkFilter w) {
    List<String> parts = new ArrayList<>();
    parts.add(w.watermarkKey() == null ? "*" : w.watermarkKey());
    if (w.sourceImageRegion() != null) {
      parts.add("from " + w.sourceImageRegion());
    }
    if (w.maximumDaysSinceSourceImageCreated() != null) {
      parts.add("source within " + w.maximumDaysSinceSourceImageCreated() + " days");
    }
    if (w.maximumDaysSinceWatermarkCreated() != null) {
      parts.add("watermarked within " + w.maximumDaysSinceWatermarkCreated() + " days");
    }
    return String.join(" ", parts);
  }

  private static String values(List<String> values) {
    if (values.size() <= MAX_VALUES) {
      return String.join(", ", values);
    }
    return String.join(", ", values.subList(0, MAX_VALUES))
        + " +"
        + (values.size() - MAX_VALUES)
        + " more";
  }
}
