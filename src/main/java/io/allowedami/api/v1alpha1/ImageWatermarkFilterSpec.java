package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** ImageWatermarkFilterRequest: all set fields must match one watermark of the image. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.watermarkKey) || has(self.sourceImageRegion) ||"
            + " has(self.maximumDaysSinceSourceImageCreated) ||"
            + " has(self.maximumDaysSinceWatermarkCreated)",
    message = "a watermark filter must set at least one field",
    reason = "FieldValueRequired")
public class ImageWatermarkFilterSpec {
  @Pattern(Patterns.WATERMARK_KEY)
  @Size(min = Limits.MIN_WATERMARK_KEY_LENGTH, max = Limits.MAX_WATERMARK_KEY_LENGTH)
  @JsonPropertyDescription("The watermark key, accountId:name; wildcards '*' and '?' are allowed.")
  private String watermarkKey;

  @Pattern(Patterns.REGION)
  @Size(min = 1, max = Limits.MAX_REGION_LENGTH)
  @JsonPropertyDescription("The Region of the source image the watermark was created from.")
  private String sourceImageRegion;

  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Limits.MAX_DAYS)
  @JsonPropertyDescription(
      "The maximum number of days since the watermark's source image was created.")
  private Integer maximumDaysSinceSourceImageCreated;

  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Limits.MAX_DAYS)
  @JsonPropertyDescription("The maximum number of days since the watermark was created.")
  private Integer maximumDaysSinceWatermarkCreated;

  public String getWatermarkKey() {
    return watermarkKey;
  }

  public void setWatermarkKey(String watermarkKey) {
    this.watermarkKey = watermarkKey;
  }

  public String getSourceImageRegion() {
    return sourceImageRegion;
  }

  public void setSourceImageRegion(String sourceImageRegion) {
    this.sourceImageRegion = sourceImageRegion;
  }

  public Integer getMaximumDaysSinceSourceImageCreated() {
    return maximumDaysSinceSourceImageCreated;
  }

  public void setMaximumDaysSinceSourceImageCreated(Integer value) {
    this.maximumDaysSinceSourceImageCreated = value;
  }

  public Integer getMaximumDaysSinceWatermarkCreated() {
    return maximumDaysSinceWatermarkCreated;
  }

  public void setMaximumDaysSinceWatermarkCreated(Integer value) {
    this.maximumDaysSinceWatermarkCreated = value;
  }
}
