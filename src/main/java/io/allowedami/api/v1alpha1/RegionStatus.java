package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What the operator last saw and did in one Region. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "region",
  "state",
  "inSync",
  "criteriaInSync",
  "managedBy",
  "lastChange",
  "lastChangeTime",
  "driftCorrections",
  "lastDriftCorrectionTime",
  "rolloutGate",
  "pendingChanges",
  "error",
  "compliance",
  "complianceError",
  "launchTemplates"
})
public class RegionStatus {
  @JsonPropertyDescription("The AWS Region.")
  private String region;

  @JsonPropertyDescription(
      "The Allowed AMIs state last read from AWS: enabled, audit-mode or disabled.")
  private String state;

  @JsonPropertyDescription("True when the Region's state and criteria both match the spec.")
  private Boolean inSync;

  @JsonPropertyDescription(
      "True when the Region's image criteria match the spec (order does not matter).")
  private Boolean criteriaInSync;

  @JsonPropertyDescription(
      "Who controls the setting: account, or declarative-policy (then the operator does not"
          + " write).")
  private String managedBy;

  @JsonPropertyDescription("The last change the operator made in this Region.")
  private String lastChange;

  @JsonPropertyDescription("When the operator last changed this Region's settings (RFC 3339).")
  private String lastChangeTime;

  @JsonPropertyDescription(
      "How many times the operator restored settings changed outside it (drift).")
  private Integer driftCorrections;

  @JsonPropertyDescription("When drift was last corrected (RFC 3339).")
  private String lastDriftCorrectionTime;

  @JsonPropertyDescription(
      "Why the switch to enabled is held by spec.rollout, and by which images; absent when not"
          + " held.")
  private String rolloutGate;

  @JsonPropertyDescription(
      "The writes the operator would make in this Region and did not, in order, and why not:"
          + " spec.enforcement ObserveOnly, spec.suspend, or an Organizations declarative policy"
          + " that enforces other settings; absent when the Region matches the spec or nothing"
          + " is withheld.")
  private String pendingChanges;

  @JsonPropertyDescription("The last error in this Region, if the last attempt failed.")
  private RegionError error;

  @JsonPropertyDescription("Instance compliance in this Region, refreshed at every resync.")
  private RegionCompliance compliance;

  @JsonPropertyDescription(
      "Why the instances could not be read at the last attempt; compliance then shows the last"
          + " report that could be made. Never stops the settings from converging.")
  private RegionError complianceError;

  @JsonPropertyDescription(
      "Which launches from the Region's launch templates (default and latest versions) would fail"
          + " under the desired criteria; absent when compliance.scanLaunchTemplates is false.")
  private LaunchTemplateCompliance launchTemplates;

  public LaunchTemplateCompliance getLaunchTemplates() {
    return launchTemplates;
  }

  public void setLaunchTemplates(LaunchTemplateCompliance launchTemplates) {
    this.launchTemplates = launchTemplates;
  }

  public RegionError getComplianceError() {
    return complianceError;
  }

  public void setComplianceError(RegionError complianceError) {
    this.complianceError = complianceError;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Boolean getInSync() {
    return inSync;
  }

  public void setInSync(Boolean inSync) {
    this.inSync = inSync;
  }

  public Boolean getCriteriaInSync() {
    return criteriaInSync;
  }

  public void setCriteriaInSync(Boolean criteriaInSync) {
    this.criteriaInSync = criteriaInSync;
  }

  public String getManagedBy() {
    return managedBy;
  }

  public void setManagedBy(String managedBy) {
    this.managedBy = managedBy;
  }

  public String getLastChange() {
    return lastChange;
  }

  public void setLastChange(String lastChange) {
    this.lastChange = lastChange;
  }

  public String getLastChangeTime() {
    return lastChangeTime;
  }

  public void setLastChangeTime(String lastChangeTime) {
    this.lastChangeTime = lastChangeTime;
  }

  public Integer getDriftCorrections() {
    return driftCorrections;
  }

  public void setDriftCorrections(Integer driftCorrections) {
    this.driftCorrections = driftCorrections;
  }

  public String getLastDriftCorrectionTime() {
    return lastDriftCorrectionTime;
  }

  public void setLastDriftCorrectionTime(String lastDriftCorrectionTime) {
    this.lastDriftCorrectionTime = lastDriftCorrectionTime;
  }

  public RegionError getError() {
    return error;
  }

  public void setError(RegionError error) {
    this.error = error;
  }

  public String getRolloutGate() {
    return rolloutGate;
  }

  public void setRolloutGate(String rolloutGate) {
    this.rolloutGate = rolloutGate;
  }

  public String getPendingChanges() {
    return pendingChanges;
  }

  public void setPendingChanges(String pendingChanges) {
    this.pendingChanges = pendingChanges;
  }

  public RegionCompliance getCompliance() {
    return compliance;
  }

  public void setCompliance(RegionCompliance compliance) {
    this.compliance = compliance;
  }
}
