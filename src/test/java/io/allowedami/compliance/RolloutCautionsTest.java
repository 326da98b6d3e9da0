package io.allowedami.compliance;

import static io.allowedami.compliance.Fixtures.AMAZON_OWNER;
import static io.allowedami.compliance.Fixtures.NOW;
import static io.allowedami.compliance.Fixtures.OWN_ACCOUNT;
import static io.allowedami.compliance.Fixtures.criteria;
import static io.allowedami.compliance.Fixtures.criterion;
import static io.allowedami.compliance.Fixtures.daysAgo;
import static io.allowedami.compliance.Fixtures.instance;
import static io.allowedami.compliance.RolloutCautions.AMAZON_NOT_ALLOWED;
import static io.allowedami.compliance.RolloutCautions.CREATION_DATE_LIMIT;
import static io.allowedami.compliance.RolloutCautions.NAMES_WITHOUT_PROVIDER;
import static io.allowedami.compliance.RolloutCautions.Use.INSTANCE;
import static io.allowedami.compliance.RolloutCautions.Use.LAUNCH_TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allowedami.compliance.RolloutCautions.Caution;
import io.allowedami.domain.ImageCriteria;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutCautionsTest {
  private static final String MARKETPLACE_OWNER = "679593333241";
  private static final ImageCriteria MARKETPLACE_ONLY =
      criteria(criterion().providers("aws-marketplace"));
  private static final ImageCriteria AMAZON_90_DAYS =
      criteria(criterion().providers("amazon").names("al2023-*").createdWithinDays(90));

  private static RolloutCautions cautions(ImageCriteria criteria) {
    return new RolloutCautions(criteria, OWN_ACCOUNT, NOW);
  }

  private static Fixtures.Instance amazon(String imageId) {
    return instance().image(imageId).owner(AMAZON_OWNER, "amazon").name("al2023-ami-x");
  }

  private static Fixtures.Instance marketplace(String imageId) {
    return instance().image(imageId).owner(MARKETPLACE_OWNER, "aws-marketplace").name("vendor");
  }

  private static List<String> reasons(RolloutCautions cautions) {
    return cautions.cautions().stream().map(Caution::reason).toList();
  }

  private static String message(RolloutCautions cautions, String reason) {
    return cautions.cautions().stream()
        .filter(c -> c.reason().equals(reason))
        .map(Caution::message)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void whenNoCriterionListsAmazonAndAmazonImagesAreInUse_thenAmazonNotAllowedWithCountsAndIds() {
    RolloutCautions cautions = cautions(MARKETPLACE_ONLY);
    cautions.add(amazon("ami-a").build(), INSTANCE, 3);
    cautions.add(amazon("ami-b").build(), INSTANCE, 1);
    cautions.add(amazon("ami-c").build(), LAUNCH_TEMPLATE, 2);
    cautions.add(amazon("ami-d").build(), LAUNCH_TEMPLATE, 1);
    cautions.add(marketplace("ami-m").build(), INSTANCE, 10);

    assertThat(reasons(cautions)).containsExactly(AMAZON_NOT_ALLOWED);
    assertThat(message(cautions, AMAZON_NOT_ALLOWED))
        .isEqualTo(
            "no criterion lists provider amazon, yet 4 running instances and 3 launch template"
                + " versions use images AWS reports with owner alias amazon (ami-a, ami-b, ami-c"
                + " and 1 more): ECS, EKS and Lambda managed instances launch Amazon images, and"
                + " AWS advises keeping amazon among the providers where they run");
  }

  @Test
  void whenThereAreNoCriteriaAtAll_thenAmazonImagesInUseStillRaiseTheCaution() {
    RolloutCautions cautions = cautions(criteria());
    cautions.add(amazon("ami-a").build(), LAUNCH_TEMPLATE, 1);

    assertThat(reasons(cautions)).containsExactly(AMAZON_NOT_ALLOWED);
    assertThat(message(cautions, AMAZON_NOT_ALLOWED))
        .contains("yet 1 launch template version use images")
        .contains("(ami-a)");
  }

  @Test
  void whenACriterionListsAmazon_thenNoAmazonCaution() {
    RolloutCautions cautions =
        cautions(
            criteria(criterion().providers("aws-marketplace"), criterion().providers("amazon")));
    cautions.add(amazon("ami-a").build(), INSTANCE, 5);

    assertThat(cautions.cautions()).isEmpty();
  }

  @Test
  void whenNoAmazonImageIsInUse_thenNoAmazonCaution() {
    RolloutCautions cautions = cautions(MARKETPLACE_ONLY);
    cautions.add(marketplace("ami-m").build(), INSTANCE, 5);
    cautions.add(amazon("ami-a").build(), INSTANCE, 0);
    cautions.add(instance().owner(MARKETPLACE_OWNER, null).build(), LAUNCH_TEMPLATE, 1);

    assertThat(cautions.cautions()).isEmpty();
  }

  @Test
  void whenTheAccountOwnsTheImages_thenTheyRaiseNoCaution() {
    RolloutCautions cautions = cautions(AMAZON_90_DAYS);
    cautions.add(
        instance().owner(OWN_ACCOUNT, "amazon").name("al2023-own").created(daysAgo(400)).build(),
        INSTANCE,
        7);
    RolloutCautions withoutAmazon = cautions(MARKETPLACE_ONLY);
    withoutAmazon.add(instance().owner(OWN_ACCOUNT, "amazon").build(), INSTANCE, 7);

    assertThat(cautions.cautions()).isEmpty();
    assertThat(withoutAmazon.cautions()).isEmpty();
  }

  @Test
  void whenImagesOtherwiseMatchingAreOlderThanTheLimit_thenCreationDateLimitNamesCriterionAndAge() {
    RolloutCautions cautions = cautions(AMAZON_90_DAYS);
    cautions.add(amazon("ami-old").created(daysAgo(212)).build(), INSTANCE, 2);
    cautions.add(amazon("ami-older").created(daysAgo(300)).build(), LAUNCH_TEMPLATE, 1);
    cautions.add(amazon("ami-new").created(daysAgo(10)).build(), INSTANCE, 9);

    assertThat(reasons(cautions)).containsExactly(CREATION_DATE_LIMIT);
    assertThat(message(cautions, CREATION_DATE_LIMIT))
        .isEqualTo(
            "criterion 1 allows images created less than 90 days ago, but 2 images in use (2"
                + " running instances and 1 launch template version) match its other conditions"
                + " and are older (oldest 300 days: ami-old, ami-older): launches from them fail"
                + " once enabled");
  }

  @Test
  void whenTheImageIsExactlyTheLimitOld_thenItCountsAsTheEvaluatorBlocksIt() {
    RolloutCautions exactly = cautions(AMAZON_90_DAYS);
    exactly.add(amazon("ami-a").created(daysAgo(90)).build(), INSTANCE, 1);
    RolloutCautions justUnder = cautions(AMAZON_90_DAYS);
    justUnder.add(amazon("ami-a").created(daysAgo(90).plusNanos(1)).build(), INSTANCE, 1);

    assertThat(reasons(exactly)).containsExactly(CREATION_DATE_LIMIT);
    assertThat(message(exactly, CREATION_DATE_LIMIT)).contains("(oldest 90 days: ami-a)");
    assertThat(justUnder.cautions()).isEmpty();
  }

  @Test
  void whenAnotherConditionOfTheCriterionFails_thenTheAgeIsNotTheCause() {
    RolloutCautions cautions = cautions(AMAZON_90_DAYS);
    cautions.add(amazon("ami-a").name("ubuntu-24.04").created(daysAgo(400)).build(), INSTANCE, 1);
    cautions.add(marketplace("ami-m").name("al2023-m").created(daysAgo(400)).build(), INSTANCE, 1);

    assertThat(cautions.cautions()).isEmpty();
  }

  @Test
  void whenAnotherCriterionAllowsTheOldImage_thenLaunchesDoNotFailAndThereIsNoCaution() {
    RolloutCautions cautions =
        cautions(
            criteria(
                criterion().providers("amazon").createdWithinDays(90),
                criterion().names("al2023-*")));
    cautions.add(amazon("ami-a").created(daysAgo(400)).build(), INSTANCE, 1);

    assertThat(reasons(cautions)).containsExactly(NAMES_WITHOUT_PROVIDER);
  }

  @Test
  void whenCreationDatesAreNotReported_thenThoseImagesAreNotCountedAndTheMessageSaysSo() {
    RolloutCautions onlyUndated = cautions(AMAZON_90_DAYS);
    onlyUndated.add(amazon("ami-undated").created(null).build(), INSTANCE, 4);
    RolloutCautions mixed = cautions(AMAZON_90_DAYS);
    mixed.add(amazon("ami-undated").created(null).build(), INSTANCE, 4);
    mixed.add(amazon("ami-old").created(daysAgo(100)).build(), INSTANCE, 1);

    assertThat(onlyUndated.cautions()).isEmpty();
    assertThat(message(mixed, CREATION_DATE_LIMIT))
        .contains("but 1 image in use (1 running instance)")
        .contains("(oldest 100 days: ami-old)")
        .endsWith("; 1 more with no creation date reported were not counted");
  }

  @Test
  void whenTwoCriteriaHaveLimits_thenOneCautionNamesEach() {
    ImageCriteria criteria =
        criteria(
            criterion().providers("amazon").createdWithinDays(30),
            criterion().providers("aws-marketplace").createdWithinDays(60));
    RolloutCautions cautions = cautions(criteria);
    cautions.add(amazon("ami-a").created(daysAgo(45)).build(), INSTANCE, 1);
    cautions.add(marketplace("ami-m").created(daysAgo(61)).build(), INSTANCE, 1);

    int amazonIndex = criteria.criteria().get(0).imageProviders().contains("amazon") ? 1 : 2;
    assertThat(reasons(cautions)).containsExactly(CREATION_DATE_LIMIT);
    assertThat(message(cautions, CREATION_DATE_LIMIT))
        .contains("criterion " + amazonIndex + " allows images created less than 30 days ago")
        .contains("criterion " + (3 - amazonIndex) + " allows images created less than 60 days ago")
        .contains("oldest 45 days: ami-a")
        .contains("oldest 61 days: ami-m");
  }

  @Test
  void whenACriterionSetsNamesWithoutProvider_thenNamesWithoutProviderWithoutAnyData() {
    ImageCriteria criteria =
        criteria(
            criterion().names("golden-*"),
            criterion().providers("amazon").names("al2023-*"),
            criterion().names("base-*").createdWithinDays(30));
    RolloutCautions cautions = cautions(criteria);

    // Numbered in the canonical order, as the reasons number them.
    List<Integer> namesOnly = new ArrayList<>();
    for (int i = 0; i < criteria.size(); i++) {
      if (criteria.criteria().get(i).imageProviders().isEmpty()) {
        namesOnly.add(i + 1);
      }
    }
    assertThat(namesOnly).hasSize(2);
    assertThat(reasons(cautions)).containsExactly(NAMES_WITHOUT_PROVIDER);
    assertThat(message(cautions, NAMES_WITHOUT_PROVIDER))
        .startsWith(
            "criteria "
                + namesOnly.get(0)
                + ", "
                + namesOnly.get(1)
                + " set image names without a provider")
        .contains("AWS advises pairing image names with providers");
  }

  @Test
  void whenEveryCriterionWithNamesHasAProvider_thenNoNamesCaution() {
    RolloutCautions cautions =
        cautions(
            criteria(
                criterion().providers("amazon").names("al2023-*"),
                criterion().providers(MARKETPLACE_OWNER)));

    assertThat(cautions.cautions()).isEmpty();
  }

  @Test
  void whenRegionsAreMerged_thenCountsAddUpIdsUniteAndTheOldestAgeWins() {
    ImageCriteria criteria =
        criteria(criterion().providers(MARKETPLACE_OWNER).createdWithinDays(30));
    RolloutCautions east = cautions(criteria);
    east.add(amazon("ami-a").build(), INSTANCE, 2);
    east.add(marketplace("ami-m1").created(daysAgo(40)).build(), INSTANCE, 1);
    RolloutCautions west = cautions(criteria);
    west.add(amazon("ami-a").build(), LAUNCH_TEMPLATE, 1);
    west.add(amazon("ami-b").build(), INSTANCE, 1);
    west.add(marketplace("ami-m2").created(daysAgo(70)).build(), LAUNCH_TEMPLATE, 3);
    RolloutCautions empty = cautions(criteria);

    List<Caution> eastAlone = east.cautions();
    List<Caution> merged = empty.merge(east).merge(west).cautions();

    assertThat(east.cautions()).as("merging leaves its inputs alone").isEqualTo(eastAlone);
    assertThat(empty.cautions()).isEmpty();
    assertThat(merged)
        .extracting(Caution::reason)
        .containsExactly(AMAZON_NOT_ALLOWED, CREATION_DATE_LIMIT);
    assertThat(merged.get(0).message())
        .contains("yet 3 running instances and 1 launch template version use")
        .contains("(ami-a, ami-b)");
    assertThat(merged.get(1).message())
        .contains("2 images in use (1 running instance and 3 launch template versions)")
        .contains("oldest 70 days: ami-m1, ami-m2");
  }

  @Test
  void whenCriteriaDiffer_thenMergingIsRefused() {
    assertThatThrownBy(() -> cautions(MARKETPLACE_ONLY).merge(cautions(AMAZON_90_DAYS)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                cautions(MARKETPLACE_ONLY)
                    .merge(new RolloutCautions(MARKETPLACE_ONLY, "999999999999", NOW)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void whenThousandsOfImagesAreInUse_thenTheFactsStayBoundedAndTheCountSaysSo() {
    RolloutCautions cautions = cautions(MARKETPLACE_ONLY);
    for (int i = 5_000; i > 0; i--) {
      cautions.add(amazon("ami-%05d".formatted(i)).build(), INSTANCE, 1);
    }
    RolloutCautions few = cautions(MARKETPLACE_ONLY);
    for (int i = 1; i <= RolloutCautions.MAX_TRACKED_IMAGES - 1; i++) {
      few.add(amazon("ami-%05d".formatted(i)).build(), INSTANCE, 1);
    }

    assertThat(message(cautions, AMAZON_NOT_ALLOWED))
        .contains("yet 5000 running instances use")
        .contains(
            "(ami-00001, ami-00002, ami-00003 and at least "
                + (RolloutCautions.MAX_TRACKED_IMAGES - 3)
                + " more)");
    assertThat(message(few, AMAZON_NOT_ALLOWED))
        .contains("and " + (RolloutCautions.MAX_TRACKED_IMAGES - 4) + " more)");
  }

  @Test
  void whenEveryCautionApplies_thenTheyAreSortedByReason() {
    RolloutCautions cautions = cautions(criteria(criterion().names("app-*").createdWithinDays(30)));
    cautions.add(amazon("ami-a").name("app-1").created(daysAgo(31)).build(), INSTANCE, 1);

    assertThat(reasons(cautions))
        .containsExactly(AMAZON_NOT_ALLOWED, CREATION_DATE_LIMIT, NAMES_WITHOUT_PROVIDER);
  }

  @Test
  void whenImagesComeFromDescribeImages_thenTheyAreJudgedLikeInstanceImages() {
    RolloutCautions cautions = cautions(AMAZON_90_DAYS);
    cautions.add(
        new DescribedImage(
            "ami-lt",
            "al2023-ami-lt",
            AMAZON_OWNER,
            "amazon",
            NOW.minus(Duration.ofDays(120)),
            null,
            "available",
            Verdict.UNKNOWN,
            Set.of(),
            Set.of()),
        LAUNCH_TEMPLATE,
        2);

    assertThat(message(cautions, CREATION_DATE_LIMIT))
        .contains("1 image in use (2 launch template versions)")
        .contains("oldest 120 days: ami-lt");
  }
}
