package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Instance compliance over all Regions of the policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "instances",
  "notAllowedInstances",
  "unknownInstances",
  "wouldNotBeAllowedInstances",
  "previewUnknownInstances",
  "disagreements",
  "launchTemplatesWouldFail",
  "launchTemplatesUnknown"
})
public class ComplianceSummary {
  @JsonPropertyDescription("Instances in all Regions.")
  private Integer instances;

  @JsonPropertyDescription("Instances whose images AWS reports as not allowed.")
  private Integer notAllowedInstances;

  @JsonPropertyDescription("Instances without an ImageAllowed verdict from AWS.")
  private Integer unknownInstances;

  @JsonPropertyDescription(
      "Instances whose images the spec's criteria would not allow (local preview).")
  private Integer wouldNotBeAllowedInstances;

  @JsonPropertyDescription("Instances the local preview cannot judge.")
  private Integer previewUnknownInstances;

  @JsonPropertyDescription("Instances where AWS and the local preview disagree.")
  private Integer disagreements;

  @JsonPropertyDescription(
      "Launch template versions, in all Regions, a launch from which would fail under the desired"
          + " criteria.")
  private Integer launchTemplatesWouldFail;

  @JsonPropertyDescription("Launch template versions, in all Regions, that cannot be judged.")
  private Integer launchTemplatesUnknown;

  public Integer getLaunchTemplatesWouldFail() {
    return launchTemplatesWouldFail;
  }

  public void setLaunchTemplatesWouldFail(Integer value) {
    this.launchTemplatesWouldFail = value;
  }

  public Integer getLaunchTemplatesUnknown() {
    return launchTemplatesUnknown;
  }

  public void setLaunchTemplatesUnknown(Integer value) {
    this.launchTemplatesUnknown = value;
  }

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public Integer getNotAllowedInstances() {
    return notAllowedInstances;
  }

  public void setNotAllowedInstances(Integer notAllowedInstances) {
    this.notAllowedInstances = notAllowedInstances;
  }

  public Integer getUnknownInstances() {
    return unknownInstances;
  }

  public void setUnknownInstances(Integer unknownInstances) {
    this.unknownInstances = unknownInstances;
  }

  public Integer getWouldNotBeAllowedInstances() {
    return wouldNotBeAllowedInstances;
  }

  public void setWouldNotBeAllowedInstances(Integer wouldNotBeAllowedInstances) {
    this.wouldNotBeAllowedInstances = wouldNotBeAllowedInstances;
  }

  public Integer getPreviewUnknownInstances() {
    return previewUnknownInstances;
  }

  public void setPreviewUnknownInstances(Integer previewUnknownInstances) {
    this.previewUnknownInstances = previewUnknownInstances;
  }

  public Integer getDisagreements() {
    return disagreements;
  }

  public void setDisagreements(Integer disagreements) {
    this.disagreements = disagreements;
  }
}
