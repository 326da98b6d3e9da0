package io.allowedami.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.aws.AccountTarget;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.aws.AwsFailureException;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.compliance.Verdict;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.RegionAction;
import io.allowedami.plan.PlanReport.PolicyReport;
import io.allowedami.plan.PlanReport.ProposalReport;
import io.allowedami.reconcile.SpecMapper;
import io.allowedami.reconcile.SpecValidator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.SimulatedAws;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The criteria {@code plan} proposes: gathered from the instances of every Region (the simulator,
 * over HTTP) and from launch templates (scripted: the simulator does not serve them yet), printed
 * as YAML to paste and as {@code proposedCriteria}; a launch template read that fails never fails
 * the plan.
 */
class PlanProposalTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimulatorWorld world = SimulatorWorld.defaultWorld();
  private final SimulatedAws aws = new SimulatedAws(world);
  private final Map<String, List<LaunchTemplateVersion>> templates = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> templateFailures = new ConcurrentHashMap<>();
  private RuntimeException describeImagesFailure;
  private final List<Collection<String>> describedIds = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    aws.close();
  }

  /** The simulator's gateway, with launch templates scripted per Region. */
  private AllowedImagesGatewayFactory scripted() {
    return new AllowedImagesGatewayFactory() {
      @Override
      public AllowedImagesGateway forAccount(AccountTarget target) {
        return new DelegatingGateway(aws.gateways().forAccount(target)) {
          @Override
          public List<LaunchTemplateVersion> describeLaunchTemplateVersions(
              String region, int limit) {
            RuntimeException failure = templateFailures.get(region);
            if (failure != null) {
              throw failure;
            }
            return templates.getOrDefault(region, List.of());
          }

          @Override
          public List<DescribedImage> describeImages(String region, Collection<String> ids) {
            describedIds.add(List.copyOf(ids));
            if (describeImagesFailure != null) {
              throw describeImagesFailure;
            }
            return super.describeImages(region, ids);
          }
        };
      }

      @Override
      public void close() {}
    };
  }

  private PolicyReport plan(String mode) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode(mode);
    spec.setRegions(REGIONS);
    spec.setProviders(List.of("amazon"));
    PlanReport report =
        new Planner(scripted(), 4, Clock.systemUTC())
            .plan(List.of(new PolicyDocument("test.yaml#1", "fit", spec, List.of())));
    return report.policies().get(0);
  }

  private WorldImage worldImage(String region, Function<WorldImage, Boolean> which) {
    return world.images().stream()
        .filter(i -> i.region().equals(region) && which.apply(i))
        .findFirst()
        .orElseThrow();
  }

  private static AwsFailureException denied(String action) {
    return new AwsFailureException(
        Failure.terminal(
            "UnauthorizedOperation", "You are not authorized to perform: ec2:" + action),
        null);
  }

  private static ImageCriteria criteria(ProposalReport proposal) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode("audit-mode");
    spec.setRegions(REGIONS);
    spec.setImageCriteria(proposal.proposedCriteria());
    assertThat(SpecValidator.validate(spec)).isEmpty();
    return SpecMapper.desired(spec).criteria().orElseThrow();
  }

  /** Every running instance of these Regions, as AWS (the simulator) judges it now. */
  private List<InstanceImage> running(String region) {
    List<InstanceImage> all = new ArrayList<>();
    aws.gateways()
        .forAccount(AccountTarget.OPERATOR_CREDENTIALS)
        .describeInstanceImages(region, all::addAll);
    return all.stream()
        .filter(i -> Set.of("running", "pending").contains(i.instanceState()))
        .toList();
  }

  @Test
  void theProposalAppliedInAuditModeLeavesNoRunningInstanceNotAllowedButThoseNamedInTheNotes() {
    ProposalReport proposal = plan("audit-mode").proposal();

    ImageCriteria criteria = criteria(proposal);
    AllowedImagesGateway writer = aws.gateways().forAccount(AccountTarget.OPERATOR_CREDENTIALS);
    List<String> notAllowed = new ArrayList<>();
    int running = 0;
    for (String region : REGIONS) {
      writer.apply(region, new RegionAction.ReplaceCriteria(criteria));
      writer.apply(region, new RegionAction.SetState(AllowedImagesState.AUDIT_MODE));
      for (InstanceImage instance : running(region)) {
        running++;
        if (instance.reportedAllowed() != Verdict.ALLOWED) {
          notAllowed.add(instance.imageId());
        }
      }
    }

    assertThat(running).isEqualTo(proposal.runningInstances()).isPositive();
    // Only images that cannot be fitted (no owner reported: deregistered) are left, each noted.
    String notes = String.join("\n", proposal.notes());
    assertThat(notAllowed).isNotEmpty().allSatisfy(id -> assertThat(notes).contains(id));
    assertThat(notes).contains("no owner: cannot be fitted").doesNotContain("widened");
    // Tight: not the whole catalogs.
    assertThat(proposal.proposedCriteria())
        .allSatisfy(c -> assertThat(c.getImageProviders()).hasSize(1))
        .anySatisfy(c -> assertThat(c.getImageNames()).contains("al2023-ami-*"));
  }

  @Test
  void launchTemplateImagesAreFittedWithWhatDescribeImagesKnowsAndTheRestIsNoted() {
    WorldImage fortigate =
        worldImage("us-east-1", i -> i.name() != null && i.name().startsWith("FortiGate"));
    templates.put(
        "us-east-1",
        List.of(
            new LaunchTemplateVersion("lt-0a", "firewall", 3, true, fortigate.imageId()),
            // $Default and $Latest as one version: counted once.
            new LaunchTemplateVersion("lt-0a", "firewall", 3, false, fortigate.imageId()),
            new LaunchTemplateVersion(
                "lt-0b",
                "eks-nodes",
                1,
                true,
                "resolve:ssm:/aws/service/eks/optimized-ami/1.30/amazon-linux-2023/x86_64/standard/recommended/image_id"),
            new LaunchTemplateVersion("lt-0c", "bring-your-own", 2, true, null),
            new LaunchTemplateVersion("lt-0d", "gone", 7, true, "ami-0123456789abcdef0")));

    ProposalReport proposal = plan("audit-mode").proposal();

    assertThat(proposal.launchTemplateVersions()).isEqualTo(4);
    ImageCriterionSpec byProduct =
        proposal.proposedCriteria().stream()
            .filter(c -> c.getMarketplaceProductCodes() != null)
            .findFirst()
            .orElseThrow();
    assertThat(byProduct.getImageProviders()).containsExactly("aws-marketplace");
    assertThat(byProduct.getMarketplaceProductCodes())
        .containsExactlyElementsOf(fortigate.productCodes());
    assertThat(describedIds).containsExactly(List.of("ami-0123456789abcdef0", fortigate.imageId()));
    assertThat(proposal.notes())
        .contains(
            "1 launch template version takes the image from an SSM parameter, resolved only at"
                + " launch: cannot be fitted: lt-0b v1 (eks-nodes)"
                + " resolve:ssm:/aws/service/eks/optimized-ami/1.30/amazon-linux-2023/x86_64/standard/recommended/image_id",
            "1 image of launch templates not returned by DescribeImages (deregistered, not shared"
                + " with the account, or not discoverable while Allowed AMIs is enabled): cannot be"
                + " fitted: ami-0123456789abcdef0",
            "1 launch template version names no image (the launch supplies it): nothing to fit");
  }

  @Test
  void aLaunchTemplateReadThatFailsLeavesAProposalFromInstancesAndTheSameExitCode() {
    PlanReport without =
        new Planner(scripted(), 4, Clock.systemUTC())
            .plan(List.of(new PolicyDocument("a#1", "fit", spec(), List.of())));
    templateFailures.put("eu-west-1", denied("DescribeLaunchTemplateVersions"));

    PolicyReport policy = plan("audit-mode");
    PlanReport with =
        new Planner(scripted(), 4, Clock.systemUTC())
            .plan(List.of(new PolicyDocument("a#1", "fit", spec(), List.of())));

    assertThat(with.exitCode()).isEqualTo(without.exitCode()).isEqualTo(PlanReport.CHANGES_PENDING);
    assertThat(policy.regions()).allSatisfy(r -> assertThat(r.error()).isNull());
    assertThat(policy.proposal().notes())
        .contains(
            "eu-west-1: based on instances only: launch templates could not be read"
                + " (UnauthorizedOperation: You are not authorized to perform:"
                + " ec2:DescribeLaunchTemplateVersions)")
        .noneMatch(n -> n.startsWith("us-east-1"));
    assertThat(JSON.<JsonNode>valueToTree(policy.proposal().proposedCriteria()))
        .isEqualTo(
            JSON.<JsonNode>valueToTree(without.policies().get(0).proposal().proposedCriteria()));
  }

  @Test
  void imagesThatCannotBeDescribedAreNotedPerRegion() {
    WorldImage fortigate =
        worldImage("us-east-1", i -> i.name() != null && i.name().startsWith("FortiGate"));
    templates.put(
        "us-east-1",
        List.of(new LaunchTemplateVersion("lt-0a", "firewall", 3, true, fortigate.imageId())));
    describeImagesFailure = denied("DescribeImages");

    ProposalReport proposal = plan("audit-mode").proposal();

    assertThat(proposal.notes())
        .contains(
            "us-east-1: the images of 1 launch template versions could not be described"
                + " (UnauthorizedOperation: You are not authorized to perform: ec2:DescribeImages):"
                + " the proposal does not cover them: "
                + fortigate.imageId());
  }

  @Test
  void aRegionThatCannotBeReadIsNotedAndItsLaunchTemplatesAreNotAskedFor() {
    aws.simulator().faults().regionDown("eu-west-1", true);
    templateFailures.put("eu-west-1", new IllegalStateException("must not be called"));

    ProposalReport proposal = plan("audit-mode").proposal();

    assertThat(proposal.notes())
        .anySatisfy(n -> assertThat(n).startsWith("eu-west-1: could not be read (Unavailable: "))
        .noneMatch(n -> n.contains("must not be called"));
  }

  @Test
  void theTextIsYamlToPasteUnderSpecAndTheJsonIsTheSpecsImageCriteria() throws Exception {
    PlanReport report =
        new Planner(scripted(), 4, Clock.systemUTC())
            .plan(List.of(new PolicyDocument("a#1", "fit", spec(), List.of())));
    StringWriter text = new StringWriter();
    PlanText.write(report, new PrintWriter(text));

    // The block after the headline, as printed, read back as a spec.
    List<String> lines = text.toString().lines().toList();
    int start = lines.indexOf("    imageCriteria:");
    String yaml =
        lines.subList(start, lines.size()).stream()
            .takeWhile(l -> l.startsWith("    "))
            .map(l -> l.substring(4))
            .collect(Collectors.joining("\n"));
    JsonNode pasted = new YAMLMapper().readTree("mode: audit-mode\nregions: [us-east-1]\n" + yaml);
    AllowedAmiPolicySpec spec = PolicyJson.readSpec(pasted);
    JsonNode json = JSON.readTree(PlanJson.toJson(report));

    assertThat(lines.get(start - 1))
        .startsWith("  proposed criteria: allow the ")
        .endsWith("; paste under spec: in place of providers or imageCriteria");
    assertThat(SpecValidator.validate(spec)).isEmpty();
    assertThat(pasted.get("imageCriteria"))
        .isEqualTo(json.at("/policies/0/proposal/proposedCriteria"));
    assertThat(yaml).contains("- \"210987654321\"").contains("# ");
    JsonNode proposal = json.at("/policies/0/proposal");
    List<String> keys = new ArrayList<>();
    proposal.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "runningInstances", "launchTemplateVersions", "images", "proposedCriteria", "notes");
  }

  @Test
  void anInvalidPolicyHasNoProposal() {
    AllowedAmiPolicySpec invalid = spec();
    invalid.setMode("sometimes");

    PlanReport report =
        new Planner(scripted(), 4, Clock.systemUTC())
            .plan(List.of(new PolicyDocument("a#1", "bad", invalid, List.of())));

    assertThat(report.policies().get(0).proposal()).isNull();
  }

  private static AllowedAmiPolicySpec spec() {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode("audit-mode");
    spec.setRegions(REGIONS);
    spec.setProviders(List.of("amazon"));
    return spec;
  }
}
