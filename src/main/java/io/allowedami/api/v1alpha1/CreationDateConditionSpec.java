package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** CreationDateCondition: how old an image may be. */
public class CreationDateConditionSpec {
  @Required
  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Limits.MAX_DAYS)
  @JsonPropertyDescription("The maximum number of days since the image was created.")
  private Integer maximumDaysSinceCreated;

  public Integer getMaximumDaysSinceCreated() {
    return maximumDaysSinceCreated;
  }

  public void setMaximumDaysSinceCreated(Integer maximumDaysSinceCreated) {
    this.maximumDaysSinceCreated = maximumDaysSinceCreated;
  }
}
