package io.allowedami.compliance;

import static io.allowedami.compliance.Fixtures.NOW;
import static io.allowedami.compliance.Fixtures.OWN_ACCOUNT;
import static io.allowedami.compliance.Fixtures.criteria;
import static io.allowedami.compliance.Fixtures.criterion;
import static io.allowedami.compliance.Fixtures.instance;
import static io.allowedami.compliance.Verdict.ALLOWED;
import static io.allowedami.compliance.Verdict.NOT_ALLOWED;
import static io.allowedami.compliance.Verdict.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.InstanceSummary;
import io.allowedami.compliance.ComplianceReport.VerdictCounts;
import io.allowedami.domain.ImageCriteria;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComplianceAggregatorTest {
  /**
   * Amazon's images are allowed, marketplace ones are not; an image without a reported owner is
   * unknown.
   */
  private static final ImageCriteria AMAZON_ONLY = criteria(criterion().providers("amazon"));

  private final ComplianceAggregator aggregator = new ComplianceAggregator(ReportLimits.DEFAULT);

  private static PreviewBasis inForce(ImageCriteria criteria) {
    return new PreviewBasis(criteria, true, OWN_ACCOUNT, NOW);
  }

  private static PreviewBasis notInForce(ImageCriteria criteria) {
    return new PreviewBasis(criteria, false, OWN_ACCOUNT, NOW);
  }

  private static InstanceImage marketplace(
      String instanceId, String imageId, String state, Verdict reported) {
    return instance()
        .id(instanceId)
        .image(imageId)
        .name("vendor-" + imageId)
        .owner("444455556666", "aws-marketplace")
        .state(state)
        .reported(reported)
        .build();
  }

  private static InstanceImage amazon(String instanceId, String state, Verdict reported) {
    return instance().id(instanceId).state(state).reported(reported).build();
  }

  @Test
  void whenFleetIsEmpty_thenEveryCountIsZeroAndListsAreEmpty() {
    ComplianceReport report = aggregator.aggregate("us-east-1", List.of(), inForce(AMAZON_ONLY));

    assertThat(report.instances()).isZero();
    assertThat(report.reported()).isEqualTo(new VerdictCounts(0, 0, 0));
    assertThat(report.instancesByState()).isEmpty();
    assertThat(report.notAllowedImages().images()).isEmpty();
    assertThat(report.notAllowedInstances().total()).isZero();
    assertThat(report.preview().instances()).isEqualTo(new VerdictCounts(0, 0, 0));
    assertThat(report.preview().disagreements().total()).isZero();
  }

  @Test
  void whenInstancesAreReported_thenTheyAreCountedByReportedVerdictAndByState() {
    List<InstanceImage> fleet =
        List.of(
            amazon("i-1", "running", ALLOWED),
            amazon("i-2", "stopped", ALLOWED),
            marketplace("i-3", "ami-m1", "running", NOT_ALLOWED),
            amazon("i-4", "terminated", UNKNOWN),
            amazon("i-5", "running", UNKNOWN));

    ComplianceReport report = aggregator.aggregate("us-east-1", fleet, inForce(AMAZON_ONLY));

    assertThat(report.region()).isEqualTo("us-east-1");
    assertThat(report.instances()).isEqualTo(5);
    assertThat(report.reported()).isEqualTo(new VerdictCounts(2, 1, 2));
    assertThat(report.instancesByState())
        .containsExactly(
            Map.entry("running", 3), Map.entry("stopped", 1), Map.entry("terminated", 1));
  }

  @Test
  void whenImagesAreNotAllowed_thenTheyAreGroupedByImageMostUsedFirstTiesByIdAndCapped() {
    List<InstanceImage> fleet = new ArrayList<>();
    int instance = 0;
    // ami-m0 x7, ami-m1 x6, ... ami-m6 x1 (one running each); ami-tie-a and ami-tie-b x3 each.
    for (int image = 0; image < 7; image++) {
      for (int n = 0; n < 7 - image; n++) {
        fleet.add(
            marketplace(
                "i-" + instance++, "ami-m" + image, n == 0 ? "running" : "stopped", NOT_ALLOWED));
      }
    }
    for (String image : List.of("ami-tie-b", "ami-tie-a")) {
      for (int n = 0; n < 3; n++) {
        fleet.add(marketplace("i-" + instance++, image, "running", NOT_ALLOWED));
      }
    }

    ComplianceReport report = aggregator.aggregate("us-east-1", fleet, inForce(AMAZON_ONLY));

    assertThat(report.notAllowedImages().images())
        .extracting(ImageCount::id, ImageCount::instances, ImageCount::running)
        .containsExactly(tuple("ami-m0", 7, 1), tuple("ami-m1", 6, 1), tuple("ami-m2", 5, 1));
    assertThat(report.notAllowedImages().omittedImages()).isEqualTo(6);
    ImageCount top = report.notAllowedImages().images().get(0);
    assertThat(top.name()).isEqualTo("vendor-ami-m0");
    assertThat(top.ownerId()).isEqualTo("444455556666");
    assertThat(top.ownerAlias()).isEqualTo("aws-marketplace");
    assertThat(top.reason())
        .as("in force: the preview's list gives the same reason, not repeated here")
        .isNull();
    assertThat(report.preview().notAllowedImages().images())
        .extracting(ImageCount::reason)
        .containsOnly(
            "criterion 1 closest: provider amazon does not match owner 444455556666 (alias"
                + " aws-marketplace)");
  }

  @Test
  void whenCountsTie_thenImagesAreOrderedById() {
    List<InstanceImage> fleet =
        List.of(
            marketplace("i-1", "ami-b", "running", NOT_ALLOWED),
            marketplace("i-2", "ami-a", "running", NOT_ALLOWED));

    ComplianceReport report = aggregator.aggregate("us-east-1", fleet, inForce(AMAZON_ONLY));

    assertThat(report.notAllowedImages().images())
        .extracting(ImageCount::id)
        .containsExactly("ami-a", "ami-b");
  }

  @Test
  void whenManyInstancesAreNotAllowed_thenTheSampleHoldsTheFirstByInstanceIdAndTheTotal() {
    List<InstanceImage> fleet = new ArrayList<>();
    for (int n = 29; n >= 0; n--) {
      fleet.add(marketplace(String.format("i-%02d", n), "ami-m", "running", NOT_ALLOWED));
    }
    fleet.add(amazon("i-00-allowed", "running", ALLOWED));

    ComplianceReport report =
        new ComplianceAggregator(ReportLimits.DEFAULT.withSampleSize(10))
            .aggregate("us-east-1", fleet, inForce(AMAZON_ONLY));

    assertThat(report.notAllowedInstances().total()).isEqualTo(30);
    assertThat(report.notAllowedInstances().instances())
        .extracting(InstanceSummary::id)
        .containsExactly(
            "i-00", "i-01", "i-02", "i-03", "i-04", "i-05", "i-06", "i-07", "i-08", "i-09");
    InstanceSummary first = report.notAllowedInstances().instances().get(0);
    assertThat(first)
        .isEqualTo(
            new InstanceSummary(
                "i-00", "m5.large", "us-east-1a", "running", Fixtures.daysAgo(3), "ami-m"));
  }

  @Test
  void whenPagesArriveOutOfOrder_thenTheSampleIsTheFirstIdsOfAllPagesAsIfSortedWhole() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    List<InstanceImage> all = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      all.add(marketplace("i-%08x".formatted(random.nextInt()), "ami-m", "running", NOT_ALLOWED));
    }
    ComplianceAggregator.RegionFold fold = aggregator.start("us-east-1", inForce(AMAZON_ONLY));
    for (int from = 0; from < all.size(); from += 300) {
      fold.accept(all.subList(from, Math.min(all.size(), from + 300)));
    }

    ComplianceReport report = fold.finish();

    assertThat(report.notAllowedInstances().instances())
        .extracting(InstanceSummary::id)
        .containsExactlyElementsOf(
            all.stream()
                .map(InstanceImage::instanceId)
                .sorted()
                .limit(ReportLimits.DEFAULT.sampleSize())
                .toList());
    assertThat(report.notAllowedInstances().total()).isEqualTo(2_000);
    assertThat(report.instances()).isEqualTo(2_000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fold.accept(all))
        .as("a finished fold takes no more pages")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void whenSampleSizeIsZero_thenNoInstanceIsListedButTheTotalIsKept() {
    ComplianceAggregator noSample =
        new ComplianceAggregator(ReportLimits.DEFAULT.withSampleSize(0));

    ComplianceReport report =
        noSample.aggregate(
            "us-east-1",
            List.of(marketplace("i-1", "ami-m", "running", NOT_ALLOWED)),
            inForce(AMAZON_ONLY));

    assertThat(report.notAllowedInstances().instances()).isEmpty();
    assertThat(report.notAllowedInstances().total()).isEqualTo(1);
  }

  @Test
  void whenDesiredCriteriaAreNotInForce_thenThePreviewJudgesThemLocallyWithoutDisagreements() {
    List<InstanceImage> fleet =
        List.of(
            amazon("i-1", "running", ALLOWED),
            marketplace("i-2", "ami-m", "running", ALLOWED),
            marketplace("i-3", "ami-m", "pending", ALLOWED),
            marketplace("i-4", "ami-m", "stopped", ALLOWED),
            instance().id("i-5").image("ami-unowned").owner(null, null).state("running").build(),
            instance()
                .id("i-6")
                .image("ami-unowned")
                .owner(null, null)
                .state("terminated")
                .build());

    ComplianceReport.Preview preview =
        aggregator.aggregate("us-east-1", fleet, notInForce(AMAZON_ONLY)).preview();

    assertThat(preview.instances()).isEqualTo(new VerdictCounts(1, 3, 2));
    assertThat(preview.runningNotAllowed()).as("running and pending").isEqualTo(2);
    assertThat(preview.runningUnknown()).isEqualTo(1);
    assertThat(preview.notAllowedImages().images())
        .containsExactly(
            new ImageCount(
                "ami-m",
                "vendor-ami-m",
                "444455556666",
                "aws-marketplace",
                3,
                2,
                "criterion 1 closest: provider amazon does not match owner 444455556666 (alias"
                    + " aws-marketplace)"));
    assertThat(preview.unknownImages().images())
        .extracting(ImageCount::id, ImageCount::instances, ImageCount::reason)
        .as("only images the preview does not allow carry a reason")
        .containsExactly(tuple("ami-unowned", 2, null));
    assertThat(preview.disagreements()).isNull();
  }

  @Test
  void whenInstancesRun_thenTheirImagesFeedTheRolloutCautions_andStoppedOrOwnImagesDoNot() {
    ImageCriteria marketplaceOnly = criteria(criterion().providers("aws-marketplace"));
    List<InstanceImage> fleet =
        List.of(
            amazon("i-1", "running", UNKNOWN),
            amazon("i-2", "pending", UNKNOWN),
            amazon("i-3", "stopped", UNKNOWN),
            instance().id("i-4").image("ami-own").owner(OWN_ACCOUNT, "amazon").build(),
            marketplace("i-5", "ami-m", "running", UNKNOWN));

    RolloutCautions facts =
        aggregator.aggregate("us-east-1", fleet, notInForce(marketplaceOnly)).cautionFacts();

    assertThat(facts.cautions())
        .singleElement()
        .satisfies(
            caution -> {
              assertThat(caution.reason()).isEqualTo(RolloutCautions.AMAZON_NOT_ALLOWED);
              assertThat(caution.message())
                  .contains("yet 2 running instances use")
                  .contains("(ami-0aaaaaaaaaaaaaaaa)");
            });
    assertThat(
            aggregator
                .aggregate("us-east-1", fleet.subList(2, 5), notInForce(marketplaceOnly))
                .cautionFacts()
                .cautions())
        .isEmpty();
  }

  @Test
  void whenDesiredCriteriaAreInForce_thenOppositeDefiniteVerdictsAreDisagreementsByDirection() {
    List<InstanceImage> fleet =
        List.of(
            amazon("i-agree", "running", ALLOWED),
            marketplace("i-agree-not", "ami-agree", "running", NOT_ALLOWED),
            marketplace("i-1", "ami-aws-says-yes", "running", ALLOWED),
            marketplace("i-2", "ami-aws-says-yes", "running", ALLOWED),
            amazon("i-3", "running", NOT_ALLOWED),
            marketplace("i-aws-silent", "ami-x", "running", UNKNOWN),
            instance().id("i-local-unknown").owner(null, null).reported(NOT_ALLOWED).build());

    ComplianceReport.Disagreements disagreements =
        aggregator.aggregate("us-east-1", fleet, inForce(AMAZON_ONLY)).preview().disagreements();

    assertThat(disagreements.reportedAllowedLocallyNotAllowed()).isEqualTo(2);
    assertThat(disagreements.reportedNotAllowedLocallyAllowed()).isEqualTo(1);
    assertThat(disagreements.total()).isEqualTo(3);
    assertThat(disagreements.imageIds())
        .containsExactly("ami-0aaaaaaaaaaaaaaaa", "ami-aws-says-yes");
  }

  @Test
  void whenManyImagesDisagree_thenTheFirstImageIdsInOrderAreKept() {
    List<InstanceImage> fleet = new ArrayList<>();
    for (int n = 9; n >= 0; n--) {
      fleet.add(marketplace("i-" + n, "ami-" + n, "running", ALLOWED));
    }

    ComplianceReport.Disagreements disagreements =
        aggregator.aggregate("us-east-1", fleet, inForce(AMAZON_ONLY)).preview().disagreements();

    assertThat(disagreements.total()).isEqualTo(10);
    assertThat(disagreements.imageIds()).containsExactly("ami-0", "ami-1", "ami-2");
  }

  @Test
  void whenImageNameIsLong_thenItsMiddleIsReplacedByAnEllipsisKeepingBothEnds() {
    String longName = "ubuntu/images/" + "x".repeat(200) + "-20250101";
    InstanceImage image =
        instance().name(longName).owner("444455556666", null).reported(NOT_ALLOWED).build();

    ComplianceReport report =
        aggregator.aggregate("us-east-1", List.of(image), inForce(AMAZON_ONLY));

    assertThat(report.notAllowedImages().images().get(0).name())
        .hasSize(ReportLimits.DEFAULT.maxNameLength())
        .startsWith("ubuntu/images/x")
        .contains("x…x")
        .endsWith("x-20250101");
  }

  @ParameterizedTest(name = "''{0}'' shortened to 5 -> ''{1}''")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          abcde              | abcde
          abcdef             | ab…ef
          a\uD83D\uDE00defgh | a…gh
          abcde\uD83D\uDE00g | ab…g
          abcdef\uD83D\uDE00 | ab…\uD83D\uDE00
          """)
  void whenShorteningMeetsASurrogatePair_thenThePairIsKeptOrDroppedWhole(
      String value, String shortened) {
    assertThat(new ReportLimits(3, 10, 3, 5).name(value)).isEqualTo(shortened);
  }

  @Test
  void beforeTheDesiredCriteriaAreInForceImagesAwsReportsNotAllowedSayWhyUnderTheCriteriaInForce() {
    ImageCriteria desired = Fixtures.criteria(Fixtures.criterion().providers("aws-marketplace"));
    ImageCriteria current = Fixtures.criteria(Fixtures.criterion().providers("amazon"));
    List<InstanceImage> fleet = List.of(marketplace("i-1", "ami-m0", "running", NOT_ALLOWED));

    ComplianceReport report =
        aggregator.aggregate(
            "us-east-1",
            fleet,
            new PreviewBasis(desired, false, current, Fixtures.OWN_ACCOUNT, Fixtures.NOW));

    assertThat(report.notAllowedImages().images())
        .extracting(ImageCount::reason)
        .containsExactly(
            "criterion 1 closest: provider amazon does not match owner 444455556666 (alias"
                + " aws-marketplace)");
    assertThat(report.preview().notAllowedImages().images()).isEmpty();
  }
}
