package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did, in Kubernetes' status conventions (kstatus). */
@JsonClassDescription("What the operator last observed and did in every Region.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "conditions",
  "accountId",
  "regionsInSync",
  "compliance",
  "regions"
})
public class AllowedAmiPolicyStatus {
  @JsonPropertyDescription("The metadata.generation the status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready (all Regions match the spec), Reconciling (work in progress or retrying) and Stalled"
          + " (an error that needs a change to the spec, permissions or Organizations policy), as"
          + " kstatus defines them.")
  private List<PolicyCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "The AWS account the policy governs, as STS GetCallerIdentity reports it.")
  private String accountId;

  @JsonPropertyDescription("Regions in sync out of Regions listed, for example 16/17.")
  private String regionsInSync;

  @JsonPropertyDescription("Instance compliance over all Regions.")
  private ComplianceSummary compliance;

  @JsonPropertyDescription("One entry per Region of the spec, in the spec's order.")
  private List<RegionStatus> regions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<PolicyCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<PolicyCondition> conditions) {
    this.conditions = conditions;
  }

  public String getAccountId() {
    return accountId;
  }

  public void setAccountId(String accountId) {
    this.accountId = accountId;
  }

  public String getRegionsInSync() {
    return regionsInSync;
  }

  public void setRegionsInSync(String regionsInSync) {
    this.regionsInSync = regionsInSync;
  }

  public List<RegionStatus> getRegions() {
    return regions;
  }

  public void setRegions(List<RegionStatus> regions) {
    this.regions = regions;
  }

  public ComplianceSummary getCompliance() {
    return compliance;
  }

  public void setCompliance(ComplianceSummary compliance) {
    this.compliance = compliance;
  }
}
