package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The custom resource: cluster-scoped, because the setting it governs belongs to an AWS account.
 * The printer columns appear in `kubectl get` in the order they are declared here ({@link
 * io.allowedami.api.CrdGeneration}).
 */
@Group(AllowedAmiPolicy.GROUP)
@Version(AllowedAmiPolicy.VERSION)
@Plural("allowedamipolicies")
@ShortNames({"aap", "amipolicy"})
@Categories(AllowedAmiPolicy.CATEGORY)
@JsonClassDescription(AllowedAmiPolicy.DESCRIPTION)
// fabric8's generator before 7.8 ignores @JsonClassDescription, so `kubectl explain` would show
// no description for the resource itself: the schema customizer sets it on the root schema.
@SchemaCustomizer(
    value = SchemaCustomizer.MergePatchCustomizer.class,
    input = "{\"description\": \"" + AllowedAmiPolicy.DESCRIPTION + "\"}")
@AdditionalPrinterColumn(
    name = "Mode",
    jsonPath = ".spec.mode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Regions",
    jsonPath = ".status.regionsInSync",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Not-Allowed",
    jsonPath = ".status.compliance.notAllowedInstances",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Would-Block",
    jsonPath = ".status.compliance.wouldNotBeAllowedInstances",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AllowedAmiPolicy extends CustomResource<AllowedAmiPolicySpec, AllowedAmiPolicyStatus> {
  public static final String GROUP = "ec2.allowedami.io";
  public static final String VERSION = "v1alpha1";
  public static final String CRD_NAME = "allowedamipolicies." + GROUP;

  /** `kubectl get allowedami` lists every resource of the operator. */
  public static final String CATEGORY = "allowedami";

  /** What `kubectl explain allowedamipolicy` says of the resource (no double quotes: JSON). */
  public static final String DESCRIPTION =
      "AllowedAmiPolicy declares the EC2 Allowed AMIs setting (mode and image criteria) that the"
          + " operator keeps in force in every listed Region of one AWS account, and reports each"
          + " Region's state and instance compliance in status.";

  /** Required: the API server would otherwise admit a policy without spec, which means nothing. */
  @Override
  @Required
  @JsonPropertyDescription("The desired Allowed AMIs setting and the Regions it applies to.")
  public AllowedAmiPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed and did in every Region, and instance compliance.")
  public AllowedAmiPolicyStatus getStatus() {
    return super.getStatus();
  }
}
