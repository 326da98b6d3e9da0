package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the spec's criteria would do, judged locally with AWS's semantics before AWS applies them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "notAllowed",
  "unknown",
  "runningNotAllowed",
  "runningUnknown",
  "notAllowedImages",
  "omittedNotAllowedImages",
  "unknownImages",
  "disagreements",
  "disagreementImageIds"
})
public class CompliancePreview {
  @JsonPropertyDescription("Instances whose images the desired criteria would not allow.")
  private Integer notAllowed;

  @JsonPropertyDescription(
      "Instances the local evaluation cannot judge from the data it has (for example Marketplace"
          + " product codes or watermarks, which DescribeInstanceImageMetadata does not return);"
          + " never guessed.")
  private Integer unknown;

  @JsonPropertyDescription("Running or pending instances whose images would not be allowed.")
  private Integer runningNotAllowed;

  @JsonPropertyDescription("Running or pending instances that cannot be judged locally.")
  private Integer runningUnknown;

  @JsonPropertyDescription("The images that would not be allowed, most used first (bounded).")
  private List<ImageUsage> notAllowedImages;

  @JsonPropertyDescription("How many further images would not be allowed but are not listed.")
  private Integer omittedNotAllowedImages;

  @JsonPropertyDescription("The images that cannot be judged locally, most used first (bounded).")
  private List<ImageUsage> unknownImages;

  @JsonPropertyDescription(
      "Instances where AWS's ImageAllowed, for the same criteria in force, contradicts the local"
          + " evaluation. Reported only once the desired criteria are in force.")
  private Integer disagreements;

  @JsonPropertyDescription("Some of the images behind the disagreements (bounded).")
  private List<String> disagreementImageIds;

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

  public Integer getRunningNotAllowed() {
    return runningNotAllowed;
  }

  public void setRunningNotAllowed(Integer runningNotAllowed) {
    this.runningNotAllowed = runningNotAllowed;
  }

  public Integer getRunningUnknown() {
    return runningUnknown;
  }

  public void setRunningUnknown(Integer runningUnknown) {
    this.runningUnknown = runningUnknown;
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

  public List<ImageUsage> getUnknownImages() {
    return unknownImages;
  }

  public void setUnknownImages(List<ImageUsage> unknownImages) {
    this.unknownImages = unknownImages;
  }

  public Integer getDisagreements() {
    return disagreements;
  }

  public void setDisagreements(Integer disagreements) {
    this.disagreements = disagreements;
  }

  public List<String> getDisagreementImageIds() {
    return disagreementImageIds;
  }

  public void setDisagreementImageIds(List<String> disagreementImageIds) {
    this.disagreementImageIds = disagreementImageIds;
  }
}
