package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** Instance compliance in one Region, refreshed at every resync and bounded in size. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "instances",
  "allowed",
  "notAllowed",
  "unknown",
  "byState",
  "notAllowedImages",
  "omittedNotAllowedImages",
  "notAllowedSample",
  "preview"
})
public class RegionCompliance {
  @JsonPropertyDescription(
      "Instances DescribeInstanceImageMetadata lists in the Region (recently terminated ones"
          + " included).")
  private Integer instances;

  @JsonPropertyDescription("Instances whose image AWS reports as allowed (ImageAllowed true).")
  private Integer allowed;

  @JsonPropertyDescription(
      "Instances whose image AWS reports as not allowed (ImageAllowed false): blocked from new"
          + " launches once enabled.")
  private Integer notAllowed;

  @JsonPropertyDescription(
      "Instances for which AWS reports no ImageAllowed (the setting is disabled, or the image is"
          + " deregistered).")
  private Integer unknown;

  @JsonPropertyDescription("Instances by state (running, stopped, ...).")
  private Map<String, Integer> byState;

  @JsonPropertyDescription("Images AWS reports as not allowed, most used first (bounded).")
  private List<ImageUsage> notAllowedImages;

  @JsonPropertyDescription("How many further not-allowed images are not listed.")
  private Integer omittedNotAllowedImages;

  @JsonPropertyDescription(
      "A bounded sample of the instances AWS reports as not allowed, by instance ID"
          + " (spec.compliance.sampleSize).")
  private List<InstanceRef> notAllowedSample;

  @JsonPropertyDescription("What the spec's criteria would do, judged locally.")
  private CompliancePreview preview;

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public Integer getAllowed() {
    return allowed;
  }

  public void setAllowed(Integer allowed) {
    this.allowed = allowed;
  }

  public Integer getNotAllowed() {
    return notAllowed;
  }

  public void setNotAllowed(Integer notAllowed) {
    this.notAllowed = notAllowed;
  }

  public Integer getUnknown() {
    return unknown;
  }

  public void setUnknown(Integer unknown) {
    this.unknown = unknown;
  }

  public Map<String, Integer> getByState() {
    return byState;
  }

  public void setByState(Map<String, Integer> byState) {
    this.byState = byState;
  }

  public List<ImageUsage> getNotAllowedImages() {
    return notAllowedImages;
  }

  public void setNotAllowedImages(List<ImageUsage> notAllowedImages) {
    this.notAllowedImages = notAllowedImages;
  }

  public Integer getOmittedNotAllowedImages() {
    return omittedNotAllowedImages;
  }

  public void setOmittedNotAllowedImages(Integer omittedNotAllowedImages) {
    this.omittedNotAllowedImages = omittedNotAllowedImages;
  }

  public List<InstanceRef> getNotAllowedSample() {
    return notAllowedSample;
  }

  public void setNotAllowedSample(List<InstanceRef> notAllowedSample) {
    this.notAllowedSample = notAllowedSample;
  }

  public CompliancePreview getPreview() {
    return preview;
  }

  public void setPreview(CompliancePreview preview) {
    this.preview = preview;
  }
}
