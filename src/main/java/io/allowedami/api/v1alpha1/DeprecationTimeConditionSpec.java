package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** DeprecationTimeCondition: how long ago an image may have been deprecated. */
public class DeprecationTimeConditionSpec {
  @Required
  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Limits.MAX_DAYS)
  @JsonPropertyDescription(
      "The maximum number of days since the image was deprecated; 0 allows only images that are not"
          + " deprecated.")
  private Integer maximumDaysSinceDeprecated;

  public Integer getMaximumDaysSinceDeprecated() {
    return maximumDaysSinceDeprecated;
  }

  public void setMaximumDaysSinceDeprecated(Integer maximumDaysSinceDeprecated) {
    this.maximumDaysSinceDeprecated = maximumDaysSinceDeprecated;
  }
}
