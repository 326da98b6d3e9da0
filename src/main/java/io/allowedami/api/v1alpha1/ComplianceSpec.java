package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds on the compliance report, so status stays small whatever the fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComplianceSpec {
  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Limits.MAX_SAMPLE_SIZE)
  @JsonPropertyDescription(
      "How many non-compliant instances to list per Region as a sample (default 5, at most 50)."
          + " Status grows by about 150 bytes per sampled instance and Region.")
  private Integer sampleSize;

  public Integer getSampleSize() {
    return sampleSize;
  }

  public void setSampleSize(Integer sampleSize) {
    this.sampleSize = sampleSize;
  }
}
