package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One image and how many instances use it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "name", "ownerId", "ownerAlias", "instances", "running", "reason"})
public class ImageUsage {
  @JsonPropertyDescription("The AMI ID.")
  private String id;

  @JsonPropertyDescription("The image name, shortened in the middle when long.")
  private String name;

  @JsonPropertyDescription("The account that owns the image.")
  private String ownerId;

  @JsonPropertyDescription(
      "The owner alias: amazon (Amazon and verified providers), aws-marketplace or"
          + " aws-backup-vault.")
  private String ownerAlias;

  @JsonPropertyDescription("Instances launched from this image.")
  private Integer instances;

  @JsonPropertyDescription("Of those, instances running or pending.")
  private Integer running;

  @JsonPropertyDescription(
      "Why the desired criteria would not allow this image, in one line of at most 200"
          + " characters: the criterion that came closest (numbered as in the spec, from 1)"
          + " and which of its conditions failed: in preview.notAllowedImages against the desired"
          + " criteria; in notAllowedImages against the criteria in force, only while those are"
          + " not yet the desired ones (then the preview's list says the same).")
  private String reason;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getOwnerId() {
    return ownerId;
  }

  public void setOwnerId(String ownerId) {
    this.ownerId = ownerId;
  }

  public String getOwnerAlias() {
    return ownerAlias;
  }

  public void setOwnerAlias(String ownerAlias) {
    this.ownerAlias = ownerAlias;
  }

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public Integer getRunning() {
    return running;
  }

  public void setRunning(Integer running) {
    this.running = running;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
