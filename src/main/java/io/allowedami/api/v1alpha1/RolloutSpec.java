package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Safeguards for the switch to enabled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {
  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription(
      "When set, a Region is switched to enabled only while at most this many running instances use"
          + " images that the desired criteria would not allow; until then the Region's criteria"
          + " are applied and status says what holds the switch back. 0 means: only when none would"
          + " be blocked.")
  private Integer maxBlockedInstances;

  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription(
      "When set, a Region is switched to enabled only while at most this many launch template"
          + " versions (default and latest) would fail to launch or cannot be judged (an SSM"
          + " parameter counts as cannot be judged) under the desired criteria, and only once they"
          + " could be read. Needs compliance.scanLaunchTemplates.")
  private Integer maxBlockedLaunchTemplates;

  public Integer getMaxBlockedLaunchTemplates() {
    return maxBlockedLaunchTemplates;
  }

  public void setMaxBlockedLaunchTemplates(Integer maxBlockedLaunchTemplates) {
    this.maxBlockedLaunchTemplates = maxBlockedLaunchTemplates;
  }

  public Integer getMaxBlockedInstances() {
    return maxBlockedInstances;
  }

  public void setMaxBlockedInstances(Integer maxBlockedInstances) {
    this.maxBlockedInstances = maxBlockedInstances;
  }
}
