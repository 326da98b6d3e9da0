package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What the compliance report reads and how much of it status keeps, so status stays small whatever
 * the fleet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComplianceSpec {
  @ValidationRule(value = Limits.INTEGER_RULE, message = Limits.INTEGER_RULE_MESSAGE)
  @Min(0)
  @Max(Limits.MAX_SAMPLE_SIZE)
  @JsonPropertyDescription(
      "How many non-compliant instances to list per Region as a sample (default 5, at most 50)."
          + " Status grows by about 150 bytes per sampled instance and Region.")
  private Integer sampleSize;

  @JsonPropertyDescription(
      "Whether to read each Region's launch templates (DescribeLaunchTemplateVersions and"
          + " DescribeImages) to report which launches would fail; default true. false makes no"
          + " such call, for a role without those permissions.")
  private Boolean scanLaunchTemplates;

  @Pattern(Patterns.DURATION)
  @Size(min = Limits.MIN_DURATION_LENGTH, max = Limits.MAX_DURATION_LENGTH)
  @ValidationRule(
      value = Limits.LAUNCH_TEMPLATE_SCAN_RULE,
      message = Limits.LAUNCH_TEMPLATE_SCAN_RULE_MESSAGE)
  @JsonPropertyDescription(
      "How often each Region's launch templates are read again, between 1m and 24h (default 1h);"
          + " they are also read when the spec changes. In between, the last reading is judged"
          + " again at every resync without a call.")
  private String launchTemplateScanInterval;

  public Boolean getScanLaunchTemplates() {
    return scanLaunchTemplates;
  }

  public void setScanLaunchTemplates(Boolean scanLaunchTemplates) {
    this.scanLaunchTemplates = scanLaunchTemplates;
  }

  public String getLaunchTemplateScanInterval() {
    return launchTemplateScanInterval;
  }

  public void setLaunchTemplateScanInterval(String launchTemplateScanInterval) {
    this.launchTemplateScanInterval = launchTemplateScanInterval;
  }

  public Integer getSampleSize() {
    return sampleSize;
  }

  public void setSampleSize(Integer sampleSize) {
    this.sampleSize = sampleSize;
  }
}
