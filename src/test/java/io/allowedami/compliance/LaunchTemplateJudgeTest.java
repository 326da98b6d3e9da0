package io.allowedami.compliance;

import static io.allowedami.compliance.Fixtures.AMAZON_OWNER;
import static io.allowedami.compliance.Fixtures.NOW;
import static io.allowedami.compliance.Fixtures.OWN_ACCOUNT;
import static io.allowedami.compliance.Fixtures.criteria;
import static io.allowedami.compliance.Fixtures.criterion;
import static io.allowedami.compliance.Fixtures.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.allowedami.compliance.LaunchTemplateReport.Entry;
import io.allowedami.compliance.LaunchTemplateReport.Outcome;
import io.allowedami.domain.ImageCriteria;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LaunchTemplateJudgeTest {
  private static final ImageCriteria AMAZON_LINUX =
      criteria(criterion().providers("amazon").names("al2023-ami-*"));
  private static final PreviewBasis BASIS = new PreviewBasis(AMAZON_LINUX, false, OWN_ACCOUNT, NOW);

  private static DescribedImage image(String id, String name, String owner, String alias) {
    return new DescribedImage(
        id, name, owner, alias, daysAgo(10), null, "available", Verdict.UNKNOWN, Set.of(), null);
  }

  private static DescribedImage reported(DescribedImage image, Verdict verdict) {
    return new DescribedImage(
        image.imageId(),
        image.imageName(),
        image.imageOwnerId(),
        image.imageOwnerAlias(),
        image.imageCreationDate(),
        image.imageDeprecationTime(),
        image.imageState(),
        verdict,
        image.productCodes(),
        image.watermarks());
  }

  private static final DescribedImage AL2023 =
      image("ami-0000000000000a023", "al2023-ami-2023.7.1-x86_64", AMAZON_OWNER, "amazon");
  private static final DescribedImage UBUNTU =
      image("ami-00000000000ub2404", "ubuntu-noble-24.04-amd64", "099720109477", "amazon");
  private static final DescribedImage OWN =
      image("ami-000000000000000ow", "golden-2025", OWN_ACCOUNT, null);
  private static final DescribedImage NO_OWNER =
      image("ami-00000000000000nun", "mystery", null, null);

  private static LaunchTemplateInventory inventory(
      List<LaunchTemplateVersion> versions, DescribedImage... found) {
    Map<String, DescribedImage> images =
        List.of(found).stream()
            .collect(Collectors.toMap(DescribedImage::imageId, Function.identity()));
    return new LaunchTemplateInventory(versions, images, false, NOW);
  }

  private static LaunchTemplateVersion version(String id, long n, boolean dflt, String image) {
    return new LaunchTemplateVersion(id, "name-" + id, n, dflt, image);
  }

  private static LaunchTemplateReport judge(LaunchTemplateInventory inventory, int maxListed) {
    return LaunchTemplateJudge.judge(inventory, BASIS, false, maxListed);
  }

  @Test
  void countsEachOutcomeAndListsWhatWouldFailBeforeWhatIsUnknown() {
    LaunchTemplateReport report =
        judge(
            inventory(
                List.of(
                    version("lt-1", 1, true, AL2023.imageId()),
                    version("lt-2", 3, true, UBUNTU.imageId()),
                    version("lt-3", 1, true, "resolve:ssm:/aws/service/ami/al2023"),
                    version("lt-4", 2, true, "ami-0deregistered0000"),
                    version("lt-5", 1, true, null),
                    version("lt-6", 1, true, OWN.imageId()),
                    version("lt-7", 1, true, NO_OWNER.imageId())),
                AL2023,
                UBUNTU,
                OWN,
                NO_OWNER),
            10);

    assertThat(report.templates()).isEqualTo(7);
    assertThat(report.versions()).isEqualTo(7);
    assertThat(report.allowed()).isEqualTo(2);
    assertThat(report.wouldFail()).isEqualTo(2);
    assertThat(report.unknown()).isEqualTo(2);
    assertThat(report.withoutImage()).isEqualTo(1);
    assertThat(report.entries())
        .extracting(Entry::templateId, Entry::outcome, Entry::reason)
        .containsExactly(
            tuple(
                "lt-2", Outcome.NOT_ALLOWED, ImageReasons.whyNotAllowed(AMAZON_LINUX, UBUNTU, NOW)),
            tuple("lt-4", Outcome.IMAGE_NOT_FOUND, LaunchTemplateJudge.NOT_FOUND_REASON),
            tuple("lt-3", Outcome.UNKNOWN, LaunchTemplateJudge.SSM_REASON),
            tuple("lt-7", Outcome.UNKNOWN, LaunchTemplateJudge.UNDECIDED_REASON));
    assertThat(report.omitted()).isZero();
  }

  @Test
  void aVersionThatIsBothDefaultAndLatestCountsOnceButDefaultAndLatestThatDifferCountTwice() {
    LaunchTemplateReport report =
        judge(
            inventory(
                List.of(
                    version("lt-a", 4, true, UBUNTU.imageId()),
                    version("lt-a", 4, true, UBUNTU.imageId()),
                    version("lt-b", 1, true, AL2023.imageId()),
                    version("lt-b", 2, false, UBUNTU.imageId())),
                AL2023,
                UBUNTU),
            10);

    assertThat(report.templates()).isEqualTo(2);
    assertThat(report.versions()).isEqualTo(3);
    assertThat(report.wouldFail()).isEqualTo(2);
    assertThat(report.entries())
        .extracting(Entry::templateId, Entry::version, Entry::defaultVersion)
        .containsExactly(tuple("lt-a", 4L, true), tuple("lt-b", 2L, false));
  }

  @Test
  void awsVerdictIsUsedOnlyWhenItAnswersForTheDesiredCriteria() {
    // AWS says not allowed for an image the desired criteria would allow: criteria in force
    // differ (for example the Region is about to get the desired ones), so the preview decides.
    DescribedImage denied = reported(AL2023, Verdict.NOT_ALLOWED);
    LaunchTemplateInventory inventory =
        inventory(List.of(version("lt-1", 1, true, denied.imageId())), denied);

    assertThat(LaunchTemplateJudge.judge(inventory, BASIS, false, 5).wouldFail()).isZero();
    assertThat(LaunchTemplateJudge.judge(inventory, BASIS, true, 5).wouldFail()).isEqualTo(1);
  }

  @Test
  void anAbsentAwsVerdictFallsBackToThePreviewAndOwnImagesAreAlwaysAllowed() {
    DescribedImage ownDenied = reported(OWN, Verdict.NOT_ALLOWED);
    LaunchTemplateInventory inventory =
        inventory(
            List.of(
                version("lt-1", 1, true, UBUNTU.imageId()),
                version("lt-2", 1, true, ownDenied.imageId())),
            UBUNTU,
            ownDenied);

    LaunchTemplateReport report = LaunchTemplateJudge.judge(inventory, BASIS, true, 5);

    assertThat(report.wouldFail()).isEqualTo(1);
    assertThat(report.allowed()).isEqualTo(1);
  }

  @Test
  void theListIsBoundedAndSaysHowManyWereLeftOut() {
    List<LaunchTemplateVersion> versions = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      versions.add(version(String.format("lt-%03d", i), 1, true, UBUNTU.imageId()));
    }

    LaunchTemplateReport report = judge(inventory(versions, UBUNTU), 5);

    assertThat(report.wouldFail()).isEqualTo(250);
    assertThat(report.entries()).hasSize(5);
    assertThat(report.entries().get(0).templateId()).isEqualTo("lt-000");
    assertThat(report.omitted()).isEqualTo(245);
  }

  @Test
  void untrustedLongValuesAreShortenedInTheList() {
    String longName = "n".repeat(5_000);
    LaunchTemplateReport report =
        judge(
            inventory(
                List.of(
                    new LaunchTemplateVersion(
                        "lt-1", longName, 1, true, "resolve:ssm:/" + "p".repeat(5_000)))),
            5);

    Entry entry = report.entries().get(0);
    assertThat(entry.templateName()).hasSizeLessThanOrEqualTo(ReportLimits.MAX_FIELD_LENGTH);
    assertThat(entry.image()).hasSizeLessThanOrEqualTo(ReportLimits.MAX_FIELD_LENGTH);
    assertThat(entry.outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void aTruncatedScanSaysSo() {
    LaunchTemplateInventory inventory = new LaunchTemplateInventory(List.of(), Map.of(), true, NOW);

    assertThat(judge(inventory, 5).truncated()).isTrue();
  }

  @Test
  void theReasonLineNamesTheConditionThatFailed() {
    LaunchTemplateReport report =
        judge(inventory(List.of(version("lt-2", 1, true, UBUNTU.imageId())), UBUNTU), 5);

    assertThat(report.entries().get(0).reason())
        .contains("ubuntu-noble-24.04-amd64")
        .contains("al2023-ami-*");
  }

  @Test
  void theVersionsImagesFeedTheRolloutCautions() {
    ImageCriteria namesOnly = criteria(criterion().providers("099720109477"));
    LaunchTemplateReport report =
        LaunchTemplateJudge.judge(
            inventory(
                List.of(
                    version("lt-1", 1, true, AL2023.imageId()),
                    version("lt-2", 1, true, UBUNTU.imageId())),
                AL2023,
                UBUNTU),
            new PreviewBasis(namesOnly, false, OWN_ACCOUNT, NOW),
            false,
            5);

    assertThat(report.cautionFacts().cautions())
        .extracting(RolloutCautions.Caution::reason)
        .containsExactly(RolloutCautions.AMAZON_NOT_ALLOWED);
    assertThat(report.cautionFacts().cautions().get(0).message()).contains("launch template");
  }
}
