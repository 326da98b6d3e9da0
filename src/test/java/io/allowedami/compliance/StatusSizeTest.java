package io.allowedami.compliance;

import static io.allowedami.compliance.Fixtures.NOW;
import static io.allowedami.compliance.Fixtures.OWN_ACCOUNT;
import static io.allowedami.compliance.Fixtures.criteria;
import static io.allowedami.compliance.Fixtures.criterion;
import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import io.allowedami.reconcile.LaunchTemplateScan;
import io.allowedami.reconcile.RegionOutcome;
import io.allowedami.reconcile.RolloutWarnings;
import io.allowedami.reconcile.StatusBuilder;
import io.allowedami.simulator.SimulatorWorld;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The size promises: 100,000 instances over 17 Regions give at most 64 KiB of status, and with
 * every Region's launch template list full and every rollout warning, at most 80 KiB. The fleet is
 * deliberately unfavourable: thousands of images with long names, every list filled to its cap,
 * owners missing for some images, AWS disagreeing on others, launch templates with the longest
 * names and SSM parameters.
 */
class StatusSizeTest {
  private static final List<String> REGIONS = SimulatorWorld.DEFAULT_REGIONS;
  private static final int INSTANCES = 100_000;
  private static final int IMAGES_PER_REGION = 400;
  private static final List<String> TYPES =
      List.of("m7i-flex.12xlarge", "c6gn.16xlarge", "t3.micro", "r6id.metal");
  private static final List<String> STATES =
      List.of("running", "running", "running", "stopped", "pending", "terminated");
  private static final List<String> ALIASES =
      List.of("amazon", "aws-marketplace", "aws-backup-vault");

  @Test
  void whenHundredThousandInstancesSpanSeventeenRegions_thenAllReportsSerialiseUnder64KiB()
      throws Exception {
    assertThat(statusBytes(REGIONS, false, true)).isLessThan(64 * 1024);
  }

  /**
   * Before the desired criteria are in force, the images AWS reports as not allowed carry their own
   * reasons (against the criteria in force), beside the preview's.
   */
  @Test
  void beforeTheDesiredCriteriaAreInForce_thenTheStatusStaysUnder64KiBToo() throws Exception {
    assertThat(statusBytes(REGIONS, false, false)).isLessThan(64 * 1024);
  }

  @Test
  void withLaunchTemplatesAndWarningsAsWell_thenTheStatusStaysUnder80KiB() throws Exception {
    assertThat(statusBytes(REGIONS, true, true)).isLessThan(80 * 1024);
    assertThat(statusBytes(REGIONS, true, false)).isLessThan(80 * 1024);
  }

  /**
   * regions: ['*'] governs every Region enabled for the account: at most {@link
   * Limits#MAX_REGIONS}, over 30 in today's commercial partition. Each Region's entry is bounded,
   * so the status grows linearly and stays far below what the API server stores (1.5 MiB).
   */
  @Test
  void whenTheWildcardResolvesToFortyRegions_thenTheStatusStaysUnder192KiB() throws Exception {
    List<String> regions = new ArrayList<>(REGIONS);
    for (int i = 1; regions.size() < Limits.MAX_REGIONS; i++) {
      regions.add("zz-synthetic-" + i);
    }
    assertThat(statusBytes(regions, true, false)).isLessThan(192 * 1024);
  }

  /**
   * The serialised status of a policy over {@code regions} and 100,000 instances, with {@code
   * launchTemplates} every Region's launch template list full and the rollout warnings, and with
   * {@code inForce} false other criteria in force than the desired ones.
   */
  private static int statusBytes(List<String> regions, boolean launchTemplates, boolean inForce) {
    ComplianceAggregator aggregator = new ComplianceAggregator(ReportLimits.DEFAULT);
    ImageCriteria desired =
        criteria(
            criterion().providers("amazon", "aws-backup-vault"),
            criterion().names("golden-*").createdWithinDays(90));
    PreviewBasis basis =
        new PreviewBasis(
            desired,
            inForce,
            inForce ? desired : criteria(criterion().providers("aws-marketplace")),
            OWN_ACCOUNT,
            NOW);
    SplittableRandom random = new SplittableRandom(42);

    List<ComplianceReport> reports = new ArrayList<>();
    int generated = 0;
    for (int r = 0; r < regions.size(); r++) {
      int count = r == regions.size() - 1 ? INSTANCES - generated : INSTANCES / regions.size();
      reports.add(
          aggregator.aggregate(regions.get(r), fleet(regions.get(r), count, random), basis));
      generated += count;
    }
    // The whole status as the operator writes it: conditions, Regions, reports, summary.
    RegionSettings enabled =
        new RegionSettings(AllowedImagesState.ENABLED, basis.desiredCriteria(), ManagedBy.ACCOUNT);
    List<RegionOutcome> outcomes =
        reports.stream()
            .map(
                report ->
                    RegionOutcome.builder(
                            report.region(),
                            enabled,
                            RegionPlanner.plan(
                                DesiredSettings.of(
                                    AllowedImagesState.ENABLED, basis.desiredCriteria()),
                                enabled))
                        .compliance(Optional.of(report), Optional.empty())
                        .launchTemplates(
                            launchTemplates
                                ? new LaunchTemplateScan.Result(
                                    Optional.of(launchTemplates(report.region(), basis)),
                                    Optional.empty())
                                : LaunchTemplateScan.Result.NOT_SCANNED)
                        .build())
            .toList();
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(null, 1, OWN_ACCOUNT, outcomes, NOW.toString());
    if (launchTemplates) {
      RolloutWarnings.cautions(
              DesiredSettings.of(AllowedImagesState.ENABLED, basis.desiredCriteria()), outcomes)
          .ifPresent(cautions -> RolloutWarnings.apply(status, cautions, 1, NOW.toString()));
    }
    byte[] json = Serialization.asJson(status).getBytes(StandardCharsets.UTF_8);

    System.out.printf(
        "status for %d instances in %d Regions%s: %d bytes of JSON%n",
        generated,
        regions.size(),
        (launchTemplates ? " with launch templates and warnings" : "")
            + (inForce ? "" : ", other criteria in force"),
        json.length);
    assertThat(generated).isEqualTo(INSTANCES);
    assertThat(reports)
        .allSatisfy(
            report -> {
              assertThat(report.notAllowedImages().images())
                  .hasSize(ReportLimits.DEFAULT.maxImages());
              assertThat(report.notAllowedInstances().instances())
                  .hasSize(ReportLimits.DEFAULT.sampleSize());
              assertThat(report.preview().notAllowedImages().images())
                  .hasSize(ReportLimits.DEFAULT.maxImages());
              assertThat(report.preview().unknownImages().images())
                  .hasSize(ReportLimits.DEFAULT.maxImages());
              if (inForce) {
                assertThat(report.preview().disagreements().imageIds())
                    .hasSize(ReportLimits.DEFAULT.maxDisagreementImages());
              } else {
                assertThat(report.notAllowedImages().images())
                    .allSatisfy(image -> assertThat(image.reason()).isNotBlank());
              }
            });
    return json.length;
  }

  /**
   * A Region's launch templates, every listed field at its longest: names of 128 characters, SSM
   * parameters of 2,048, images whose reasons fill their line.
   */
  private static LaunchTemplateReport launchTemplates(String region, PreviewBasis basis) {
    List<LaunchTemplateVersion> versions = new ArrayList<>();
    Map<String, DescribedImage> images = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      String imageId = String.format("ami-%017x", (long) region.hashCode() * 1000 + i & 0xFFFFFL);
      String name = ("template-" + region + "-" + i + "-").repeat(10).substring(0, 128);
      versions.add(
          new LaunchTemplateVersion(
              String.format("lt-%017x", i),
              name,
              i,
              true,
              i % 3 == 0 ? "resolve:ssm:/" + "p".repeat(2_040) : imageId));
      images.put(
          imageId,
          new DescribedImage(
              imageId,
              imageName(i),
              "999988887777",
              null,
              NOW.minus(Duration.ofDays(400)),
              null,
              "available",
              Verdict.NOT_ALLOWED,
              Set.of(),
              null));
    }
    LaunchTemplateReport report =
        LaunchTemplateJudge.judge(
            new LaunchTemplateInventory(versions, images, false, NOW),
            basis,
            true,
            LaunchTemplateScan.LISTED);
    assertThat(report.entries()).hasSize(LaunchTemplateScan.LISTED);
    return report;
  }

  private static List<InstanceImage> fleet(String region, int count, SplittableRandom random) {
    List<InstanceImage> fleet = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      int image = random.nextInt(IMAGES_PER_REGION);
      boolean ownerMissing = image % 10 == 0;
      String alias = image % 4 == 3 ? null : ALIASES.get(image % 3);
      fleet.add(
          new InstanceImage(
              String.format("i-%017x", random.nextLong(1L << 60)),
              TYPES.get(random.nextInt(TYPES.size())),
              region + (char) ('a' + random.nextInt(3)),
              STATES.get(random.nextInt(STATES.size())),
              NOW.minus(Duration.ofMinutes(random.nextInt(500_000))),
              String.format(
                  "ami-%017x", (long) region.hashCode() * 1000 + image & 0xFFFFFFFFFFFFFL),
              imageName(image),
              ownerMissing ? null : String.format("%012d", 100_000_000_000L + image),
              ownerMissing ? null : alias,
              NOW.minus(Duration.ofDays(image % 200)),
              image % 7 == 0 ? NOW.minus(Duration.ofDays(image % 30)) : null,
              "available",
              Verdict.values()[random.nextInt(3)],
              null,
              null));
    }
    return fleet;
  }

  private static String imageName(int image) {
    String prefix =
        image % 2 == 0 ? "golden-" : "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-";
    return prefix
        + "build-"
        + image
        + "-"
        + "with-a-very-long-descriptive-suffix-".repeat(1 + image % 4);
  }
}
