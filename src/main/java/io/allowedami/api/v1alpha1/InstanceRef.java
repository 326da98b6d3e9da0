package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One instance of the bounded sample of non-compliant instances. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "type", "zone", "state", "launchTime", "imageId"})
public class InstanceRef {
  @JsonPropertyDescription("The instance ID.")
  private String id;

  @JsonPropertyDescription("The instance type.")
  private String type;

  @JsonPropertyDescription("The Availability Zone.")
  private String zone;

  @JsonPropertyDescription("The instance state, for example running or stopped.")
  private String state;

  @JsonPropertyDescription("When the instance was launched (RFC 3339).")
  private String launchTime;

  @JsonPropertyDescription("The AMI the instance was launched from.")
  private String imageId;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getLaunchTime() {
    return launchTime;
  }

  public void setLaunchTime(String launchTime) {
    this.launchTime = launchTime;
  }

  public String getImageId() {
    return imageId;
  }

  public void setImageId(String imageId) {
    this.imageId = imageId;
  }
}
