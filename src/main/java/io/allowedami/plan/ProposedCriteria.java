package io.allowedami.plan;

import io.allowedami.api.v1alpha1.CreationDateConditionSpec;
import io.allowedami.api.v1alpha1.DeprecationTimeConditionSpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.ImageWatermarkFilterSpec;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Criteria in the policy's own schema, so that a proposal can be pasted into a spec (as YAML) or
 * applied by a tool (as {@code spec.imageCriteria}): the inverse of the operator's spec mapping.
 */
public final class ProposedCriteria {
  private ProposedCriteria() {}

  /** {@code spec.imageCriteria} for these criteria; a field not set stays null (absent). */
  public static List<ImageCriterionSpec> toSpec(ImageCriteria criteria) {
    return criteria.criteria().stream().map(ProposedCriteria::toSpec).toList();
  }

  private static ImageCriterionSpec toSpec(ImageCriterion c) {
    ImageCriterionSpec spec = new ImageCriterionSpec();
    spec.setImageProviders(orNull(c.imageProviders()));
    spec.setImageNames(orNull(c.imageNames()));
    spec.setMarketplaceProductCodes(orNull(c.marketplaceProductCodes()));
    if (c.maximumDaysSinceCreated() != null) {
      CreationDateConditionSpec created = new CreationDateConditionSpec();
      created.setMaximumDaysSinceCreated(c.maximumDaysSinceCreated());
      spec.setCreationDateCondition(created);
    }
    if (c.maximumDaysSinceDeprecated() != null) {
      DeprecationTimeConditionSpec deprecated = new DeprecationTimeConditionSpec();
      deprecated.setMaximumDaysSinceDeprecated(c.maximumDaysSinceDeprecated());
      spec.setDeprecationTimeCondition(deprecated);
    }
    if (!c.imageWatermarks().isEmpty()) {
      spec.setImageWatermarks(c.imageWatermarks().stream().map(ProposedCriteria::toSpec).toList());
    }
    return spec;
  }

  private static ImageWatermarkFilterSpec toSpec(WatermarkFilter w) {
    ImageWatermarkFilterSpec spec = new ImageWatermarkFilterSpec();
    spec.setWatermarkKey(w.watermarkKey());
    spec.setSourceImageRegion(w.sourceImageRegion());
    spec.setMaximumDaysSinceSourceImageCreated(w.maximumDaysSinceSourceImageCreated());
    spec.setMaximumDaysSinceWatermarkCreated(w.maximumDaysSinceWatermarkCreated());
    return spec;
  }

  private static List<String> orNull(List<String> values) {
    return values.isEmpty() ? null : values;
  }

  /**
   * The criteria as YAML lines, {@code imageCriteria:} first, to paste under {@code spec:} (in
   * place of {@code providers} or {@code imageCriteria}); every value double-quoted, so that an
   * account ID stays a string, and the notes as comments, so the block stays valid YAML.
   */
  static List<String> yaml(List<ImageCriterionSpec> criteria, List<String> notes) {
    List<String> lines = new ArrayList<>();
    lines.add("imageCriteria:");
    for (ImageCriterionSpec c : criteria) {
      boolean first = true;
      first = list(lines, "imageProviders", c.getImageProviders(), first);
      first = list(lines, "imageNames", c.getImageNames(), first);
      list(lines, "marketplaceProductCodes", c.getMarketplaceProductCodes(), first);
    }
    for (String note : notes) {
      lines.add("# " + note.replace('\n', ' '));
    }
    return lines;
  }

  private static boolean list(
      List<String> lines, String field, List<String> values, boolean first) {
    if (values == null) {
      return first;
    }
    lines.add((first ? "- " : "  ") + field + ":");
    for (String value : values) {
      lines.add("  - " + quoted(value));
    }
    return false;
  }

  /**
   * A YAML double-quoted scalar; criteria values never hold these characters, but input is AWS's.
   */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
