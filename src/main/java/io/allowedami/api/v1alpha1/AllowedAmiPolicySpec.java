package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What the policy asks for. */
@JsonClassDescription("The desired Allowed AMIs setting and the Regions it applies to.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "mode",
  "regions",
  "excludeRegions",
  "providers",
  "imageCriteria",
  "resyncInterval",
  "assumeRole",
  "rollout",
  "compliance",
  "enforcement",
  "suspend",
  "deletionPolicy"
})
@ValidationRule(
    value = "!(has(self.providers) && has(self.imageCriteria))",
    message = "set either providers or imageCriteria, not both",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.excludeRegions) || (has(self.regions) && self.regions.exists(r, r == '*'))",
    message = "excludeRegions needs regions: ['*']",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.mode == 'disabled' || has(self.providers) || has(self.imageCriteria)",
    message = "mode enabled or audit-mode needs providers or imageCriteria",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "!(has(self.rollout) && has(self.rollout.maxBlockedLaunchTemplates)"
            + " && has(self.compliance) && has(self.compliance.scanLaunchTemplates)"
            + " && !self.compliance.scanLaunchTemplates)",
    message = "rollout.maxBlockedLaunchTemplates needs compliance.scanLaunchTemplates",
    reason = "FieldValueForbidden")
public class AllowedAmiPolicySpec {

  @Required
  @JsonPropertyDescription(
      "The Allowed AMIs state to keep in every listed Region: 'audit-mode' reports which images"
          + " would not be allowed without restricting anything; 'enabled' restricts discovery and"
          + " launch to allowed images; 'disabled' turns the setting off. AWS's documented rollout"
          + " starts in audit-mode.")
  @SchemaFrom(type = Mode.class)
  private String mode;

  @Required
  @Size(min = 1, max = Limits.MAX_REGIONS)
  @ValidationRule(
      value = "self.all(r, self.filter(x, x == r).size() == 1)",
      message = "regions must not repeat")
  @ValidationRule(
      value = "!self.exists(r, r == '*') || self.size() == 1",
      message = "'*' (every Region enabled for the account) must stand alone")
  @JsonPropertyDescription(
      "The AWS Regions to govern, for example us-east-1, or ['*'] alone for every Region enabled"
          + " for the account (DescribeRegions, read again at each resync, so a Region enabled"
          + " later is picked up). Each Region is converged independently. A listed Region the"
          + " account has not opted in to is reported as RegionNotEnabled and not called.")
  private List<
          @Pattern(Patterns.REGION_OR_ALL) @Size(min = 1, max = Limits.MAX_REGION_LENGTH) String>
      regions;

  @Size(min = 1, max = Limits.MAX_REGIONS)
  @ValidationRule(
      value = "self.all(r, self.filter(x, x == r).size() == 1)",
      message = "excludeRegions must not repeat")
  @JsonPropertyDescription(
      "With regions: ['*'] only: Regions to leave alone although they are enabled for the"
          + " account, for example a Region another policy or tool governs.")
  private List<@Pattern(Patterns.REGION) @Size(min = 1, max = Limits.MAX_REGION_LENGTH) String>
      excludeRegions;

  @Size(min = 1, max = Limits.MAX_PROVIDERS)
  @ValidationRule(
      value = "!self.exists(p, p == 'none') || self.size() == 1",
      message = "'none' cannot be combined with other providers")
  @JsonPropertyDescription(
      "The simple form: one criterion of image providers. Values: 'amazon' (Amazon and verified"
          + " providers), 'aws-marketplace', 'aws-backup-vault', a 12-digit AWS account ID, or"
          + " 'none' alone (only the account's own AMIs). The account's own AMIs are always"
          + " allowed. Mutually exclusive with imageCriteria.")
  private List<@Pattern(Patterns.PROVIDER) @Size(min = 1, max = Limits.MAX_PROVIDER_LENGTH) String>
      providers;

  @Size(min = 1, max = Limits.MAX_CRITERIA)
  @JsonPropertyDescription(
      "AWS's full criteria model: up to 10 criteria. An image is allowed when any criterion matches"
          + " it; a criterion matches when every field it sets matches. Mutually exclusive with"
          + " providers.")
  private List<ImageCriterionSpec> imageCriteria;

  @Pattern(Patterns.DURATION)
  @Size(min = Limits.MIN_DURATION_LENGTH, max = Limits.MAX_DURATION_LENGTH)
  @ValidationRule(value = Limits.RESYNC_RULE, message = Limits.RESYNC_RULE_MESSAGE)
  @JsonPropertyDescription(
      "How often the operator re-reads every Region to correct changes made outside it (drift) and"
          + " to refresh compliance, for example 5m or 1h, between 10s and 24h. Defaults to the"
          + " operator's --resync-interval.")
  private String resyncInterval;

  @JsonPropertyDescription(
      "Optional IAM role to assume for this policy's account (cross-account management). Without it"
          + " the operator's own credentials are used.")
  private AssumeRoleSpec assumeRole;

  @JsonPropertyDescription("Safeguards for switching Regions to enabled.")
  private RolloutSpec rollout;

  @JsonPropertyDescription("How instance compliance is reported in status.")
  private ComplianceSpec compliance;

  @JsonPropertyDescription(
      "Whether the operator writes to AWS: 'Enforce' (the default) converges every Region to the"
          + " spec; 'ObserveOnly' never writes (no DryRun either), reads and reports everything,"
          + " and lists per Region the changes it would make (status.regions[].pendingChanges)."
          + " Needs only the read-only IAM policy.")
  @SchemaFrom(type = Enforcement.class)
  private String enforcement;

  @JsonPropertyDescription(
      "True stops every write to AWS for this policy (no DryRun either) while the operator keeps"
          + " reading and reporting, with the changes it would make per Region; Ready is False"
          + " with reason Suspended. Defaults to false.")
  private Boolean suspend;

  @JsonPropertyDescription(
      "What deleting this policy does in AWS: 'Retain' (the default) leaves every Region's settings"
          + " as they are; 'Disable' sets every Region of spec.regions to disabled before the"
          + " object goes. The annotation allowedami.io/release: \"true\" releases a policy whose"
          + " deletion is blocked without touching AWS.")
  @SchemaFrom(type = DeletionPolicy.class)
  private String deletionPolicy;

  /** Set only on a spec that did not fit this model: what was wrong, and the spec as it came. */
  @JsonIgnore private Unreadable unreadable;

  /**
   * A spec that could not be read into this model (unknown field, wrong type, number out of range):
   * kept as it came, so that it can be reported and survives the operator's copies unchanged.
   */
  public record Unreadable(String problem, com.fasterxml.jackson.databind.JsonNode raw) {}

  /** A spec standing for one that could not be read; every field is null. */
  public static AllowedAmiPolicySpec unreadable(
      String problem, com.fasterxml.jackson.databind.JsonNode raw) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.unreadable = new Unreadable(problem, raw);
    return spec;
  }

  /** Why this spec could not be read, when it could not. */
  @JsonIgnore
  public java.util.Optional<Unreadable> getUnreadable() {
    return java.util.Optional.ofNullable(unreadable);
  }

  /**
   * The raw value: kept as text so that an unknown mode (a schema bypassed) still reaches the
   * reconciler, which reports it, instead of failing deserialisation in the informer.
   */
  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode == null ? null : mode.state().wireValue();
  }

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  public List<String> getExcludeRegions() {
    return excludeRegions;
  }

  public void setExcludeRegions(List<String> excludeRegions) {
    this.excludeRegions = excludeRegions;
  }

  /** True when the spec asks for every Region enabled for the account. */
  @JsonIgnore
  public boolean isAllRegions() {
    return regions != null && regions.contains(Patterns.ALL_REGIONS);
  }

  public List<String> getProviders() {
    return providers;
  }

  public void setProviders(List<String> providers) {
    this.providers = providers;
  }

  public List<ImageCriterionSpec> getImageCriteria() {
    return imageCriteria;
  }

  public void setImageCriteria(List<ImageCriterionSpec> imageCriteria) {
    this.imageCriteria = imageCriteria;
  }

  public String getResyncInterval() {
    return resyncInterval;
  }

  public void setResyncInterval(String resyncInterval) {
    this.resyncInterval = resyncInterval;
  }

  public AssumeRoleSpec getAssumeRole() {
    return assumeRole;
  }

  public void setAssumeRole(AssumeRoleSpec assumeRole) {
    this.assumeRole = assumeRole;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  /** The raw value, kept as text for the reason given at {@link #getMode()}. */
  public String getEnforcement() {
    return enforcement;
  }

  public void setEnforcement(String enforcement) {
    this.enforcement = enforcement;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  /** The raw value, kept as text for the reason given at {@link #getMode()}. */
  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(String deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public ComplianceSpec getCompliance() {
    return compliance;
  }

  public void setCompliance(ComplianceSpec compliance) {
    this.compliance = compliance;
  }
}
