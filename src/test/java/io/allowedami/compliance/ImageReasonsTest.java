package io.allowedami.compliance;

import static io.allowedami.compliance.Fixtures.AMAZON_OWNER;
import static io.allowedami.compliance.Fixtures.NOW;
import static io.allowedami.compliance.Fixtures.OWN_ACCOUNT;
import static io.allowedami.compliance.Fixtures.criteria;
import static io.allowedami.compliance.Fixtures.criterion;
import static io.allowedami.compliance.Fixtures.daysAgo;
import static io.allowedami.compliance.Fixtures.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReasonsTest {
  private static final String OTHER_ACCOUNT = "999988887777";
  private static final String VENDOR = "123456789012";

  private static String why(ImageCriteria criteria, Fixtures.Instance image) {
    return ImageReasons.whyNotAllowed(criteria, image.build(), NOW);
  }

  /** The 1-based number a criterion gets in the canonical order of {@code criteria}. */
  private static int numberOf(ImageCriteria criteria, Fixtures.Criterion criterion) {
    int index = criteria.criteria().indexOf(criterion.build());
    assertThat(index).isNotNegative();
    return index + 1;
  }

  @Test
  void whenThereAreNoCriteria_thenOnlyTheAccountsOwnImagesAreAllowed() {
    assertThat(why(criteria(), instance())).isEqualTo(ImageReasons.NO_CRITERIA);
  }

  @Test
  void whenTheNameFails_thenTheFailingNameComesBeforeTheMatchingProvider() {
    assertThat(
            why(
                criteria(criterion().providers("amazon").names("al2023-ami-*")),
                instance().owner(AMAZON_OWNER, "amazon").name("ubuntu-noble-24.04")))
        .isEqualTo(
            "criterion 1 closest: name 'ubuntu-noble-24.04' matches none of 'al2023-ami-*';"
                + " provider amazon matches");
  }

  @Test
  void whenTheCriterionWithFewerFailuresIsSecond_thenItIsTheOneReported() {
    Fixtures.Criterion tight = criterion().providers("amazon").names("x*").createdWithinDays(1);
    Fixtures.Criterion vendor = criterion().providers(VENDOR).createdWithinDays(90);
    ImageCriteria criteria = criteria(tight, vendor);

    assertThat(
            why(
                criteria,
                instance().owner(OTHER_ACCOUNT, null).name("app-1").created(daysAgo(212))))
        .isEqualTo(
            "criterion "
                + numberOf(criteria, vendor)
                + " closest: provider 123456789012 does not match owner 999988887777 (alias"
                + " none); created 212 days ago, limit 90");
  }

  static Stream<Arguments> providers() {
    return Stream.of(
        arguments(
            "alias matches",
            criterion().providers("amazon").names("nothing"),
            instance().owner(AMAZON_OWNER, "amazon").name("al2023-ami"),
            "name 'al2023-ami' matches none of 'nothing';" + " provider amazon matches"),
        arguments(
            "account ID matches, among other providers",
            criterion().providers("aws-marketplace", VENDOR).names("nothing"),
            instance().owner(VENDOR, null).name("al2023-ami"),
            "name 'al2023-ami' matches none of 'nothing';" + " provider 123456789012 matches"),
        arguments(
            "alias differs",
            criterion().providers("aws-marketplace"),
            instance().owner(AMAZON_OWNER, "amazon"),
            "provider aws-marketplace does not match owner 137112412989 (alias amazon)"),
        arguments(
            "no alias, several providers",
            criterion().providers("amazon", "aws-backup-vault", VENDOR),
            instance().owner(OTHER_ACCOUNT, null),
            "providers 123456789012, amazon and 1 more do not match owner 999988887777 (alias"
                + " none)"),
        arguments(
            "two providers",
            criterion().providers("amazon", VENDOR),
            instance().owner(OTHER_ACCOUNT, null),
            "providers 123456789012 and amazon do not match owner 999988887777 (alias none)"),
        arguments(
            "only the alias is reported",
            criterion().providers("aws-marketplace"),
            instance().owner(null, "amazon"),
            "provider aws-marketplace does not match owner not reported (alias amazon)"),
        arguments(
            "provider none",
            criterion().providers("none"),
            instance().owner(AMAZON_OWNER, "amazon"),
            "provider none allows only the account's own images"),
        arguments(
            "owner not reported, another condition fails",
            criterion().providers("amazon").names("nothing"),
            instance().owner(null, null).name("al2023-ami"),
            "name 'al2023-ami' matches none of 'nothing';" + " image owner not reported"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void whenProviderIsSet_thenTheLineSaysWhichProviderMatchedOrWhichOwnerItMissed(
      String description, Fixtures.Criterion criterion, Fixtures.Instance image, String expected) {
    assertThat(why(criteria(criterion), image)).isEqualTo("criterion 1 closest: " + expected);
  }

  static Stream<Arguments> names() {
    return Stream.of(
        arguments(
            "one pattern matches",
            criterion().names("debian-*", "ubuntu-*").providers("aws-marketplace"),
            instance().name("ubuntu-24.04"),
            "provider aws-marketplace does not match owner 137112412989 (alias amazon);"
                + " name 'ubuntu-24.04' matches 'ubuntu-*'"),
        arguments(
            "two patterns, neither matches",
            criterion().names("debian-*", "rhel-?"),
            instance().name("ubuntu-24.04"),
            "name 'ubuntu-24.04' matches none of 'debian-*' and 'rhel-?'"),
        arguments(
            "many patterns",
            criterion().names("a*", "b*", "c*", "d*", "e*"),
            instance().name("ubuntu-24.04"),
            "name 'ubuntu-24.04' matches none of 'a*', 'b*' and 3 more"),
        arguments(
            "name not reported",
            criterion().names("a*").providers("aws-marketplace"),
            instance().name(null),
            "provider aws-marketplace does not match owner 137112412989 (alias amazon);"
                + " name not reported"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void whenNamesAreSet_thenTheLineQuotesTheNameAndThePatterns(
      String description, Fixtures.Criterion criterion, Fixtures.Instance image, String expected) {
    assertThat(why(criteria(criterion), image)).isEqualTo("criterion 1 closest: " + expected);
  }

  static Stream<Arguments> productCodes() {
    Fixtures.Criterion wantsCodes = criterion().productCodes("abc123", "def456").names("x*");
    return Stream.of(
        arguments(
            "a code matches",
            wantsCodes,
            instance().name("y").productCodes("def456"),
            "name 'y' matches none of 'x*'; product code 'def456' matches"),
        arguments(
            "codes known, none listed",
            wantsCodes,
            instance().name("y").productCodes("zzz"),
            "name 'y' matches none of 'x*'; product codes match none of 'abc123' and 'def456'"),
        arguments(
            "known to have no codes",
            wantsCodes,
            instance().name("y").productCodes(),
            "name 'y' matches none of 'x*'; no product codes match none of 'abc123' and"
                + " 'def456'"),
        arguments(
            "codes not reported",
            wantsCodes,
            instance().name("y"),
            "name 'y' matches none of 'x*'; product codes not reported"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("productCodes")
  void whenProductCodesAreSet_thenTheLineSaysWhetherTheyAreKnown(
      String description, Fixtures.Criterion criterion, Fixtures.Instance image, String expected) {
    assertThat(why(criteria(criterion), image)).isEqualTo("criterion 1 closest: " + expected);
  }

  static Stream<Arguments> creationDates() {
    return Stream.of(
        arguments("212 days, limit 90", 90, daysAgo(212), "created 212 days ago, limit 90", true),
        arguments("exactly the limit", 30, daysAgo(30), "created 30 days ago, limit 30", true),
        arguments(
            "1 ns short of the limit",
            30,
            daysAgo(30).plusNanos(1),
            "created 29 days ago, limit 30",
            false),
        arguments("one day", 30, daysAgo(1), "created 1 day ago, limit 30", false),
        arguments("0 days, limit 0", 0, NOW, "created 0 days ago, limit 0", true),
        arguments("clock skew", 0, NOW.plusSeconds(5), "created in the future, limit 0", false),
        arguments("not reported", 30, null, "creation date not reported", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creationDates")
  void whenCreationLimitIsSet_thenTheAgeInWholeDaysFailsExactlyWhenTheEvaluatorSaysSo(
      String description, int limit, Instant created, String expected, boolean fails) {
    assertThat(
            CriteriaEvaluator.Condition.CREATED.judge(
                criterion().createdWithinDays(limit).build(),
                instance().created(created).build(),
                NOW))
        .isEqualTo(
            fails ? Verdict.NOT_ALLOWED : created == null ? Verdict.UNKNOWN : Verdict.ALLOWED);
    ImageCriteria criteria =
        criteria(criterion().createdWithinDays(limit).providers("aws-marketplace"));
    String line = why(criteria, instance().created(created));

    String provider = "provider aws-marketplace does not match owner 137112412989 (alias amazon)";
    assertThat(line).isEqualTo("criterion 1 closest: " + provider + "; " + expected);
  }

  static Stream<Arguments> deprecations() {
    return Stream.of(
        arguments("not deprecated", null, "not deprecated", false),
        arguments("deprecation in the future", NOW.plusSeconds(60), "not deprecated", false),
        arguments("deprecated 8 days ago", daysAgo(8), "deprecated 8 days ago, limit 7", true),
        arguments("deprecated 3 days ago", daysAgo(3), "deprecated 3 days ago, limit 7", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deprecations")
  void whenDeprecationLimitIsSet_thenTheLineSaysHowLongAgoOrNotDeprecated(
      String description, Instant deprecated, String expected, boolean fails) {
    assertThat(
            CriteriaEvaluator.Condition.DEPRECATED.judge(
                criterion().deprecatedWithinDays(7).build(),
                instance().deprecated(deprecated).build(),
                NOW))
        .isEqualTo(fails ? Verdict.NOT_ALLOWED : Verdict.ALLOWED);
    ImageCriteria criteria =
        criteria(criterion().deprecatedWithinDays(7).providers("aws-marketplace"));
    String line = why(criteria, instance().deprecated(deprecated));

    String provider = "provider aws-marketplace does not match owner 137112412989 (alias amazon)";
    assertThat(line).isEqualTo("criterion 1 closest: " + provider + "; " + expected);
  }

  static Stream<Arguments> watermarks() {
    WatermarkFilter golden = new WatermarkFilter(VENDOR + ":golden-*", "us-east-1", null, null);
    WatermarkFilter recent = new WatermarkFilter(null, null, null, 30);
    ImageWatermark goldenHere =
        new ImageWatermark(VENDOR + ":golden-linux", "us-east-1", daysAgo(5), daysAgo(5));
    ImageWatermark goldenNoRegion = new ImageWatermark(VENDOR + ":golden-linux", null, null, null);
    ImageWatermark other = new ImageWatermark(VENDOR + ":other", "us-east-1", null, null);
    Fixtures.Criterion both = criterion().watermarks(golden, recent).names("x*");
    return Stream.of(
        arguments(
            "a filter matches",
            both,
            instance().name("y").watermarks(goldenHere),
            "name 'y' matches none of 'x*'; a watermark matches"),
        arguments(
            "no filter matches",
            criterion().watermarks(golden).names("x*"),
            instance().name("y").watermarks(other),
            "name 'y' matches none of 'x*'; watermarks match none of '123456789012:golden-*'"),
        arguments(
            "image has no watermarks",
            both,
            instance().name("y").watermarks(),
            "name 'y' matches none of 'x*'; no watermarks match none of 'day limits' and"
                + " '123456789012:golden-*'"),
        arguments(
            "watermarks not reported",
            both,
            instance().name("y"),
            "name 'y' matches none of 'x*'; watermarks not reported"),
        arguments(
            "the matching watermark's Region not reported",
            criterion().watermarks(golden).names("x*"),
            instance().name("y").watermarks(goldenNoRegion),
            "name 'y' matches none of 'x*'; watermark details not reported for"
                + " '123456789012:golden-*'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("watermarks")
  void whenWatermarksAreSet_thenTheLineNamesTheFiltersByKey(
      String description, Fixtures.Criterion criterion, Fixtures.Instance image, String expected) {
    assertThat(why(criteria(criterion), image)).isEqualTo("criterion 1 closest: " + expected);
  }

  @Test
  void whenFewerFailuresMeetMoreMatches_thenFewerFailuresWin() {
    Fixtures.Criterion oneFailing = criterion().names("x*");
    Fixtures.Criterion twoFailingThreeMatching =
        criterion()
            .providers("amazon")
            .createdWithinDays(365)
            .deprecatedWithinDays(10)
            .names("y*")
            .productCodes("abc");
    ImageCriteria criteria = criteria(oneFailing, twoFailingThreeMatching);

    assertThat(why(criteria, instance().name("z").productCodes()))
        .startsWith("criterion " + numberOf(criteria, oneFailing) + " closest: name 'z'");
  }

  @Test
  void whenFailuresTie_thenMoreMatchingConditionsWin() {
    Fixtures.Criterion failsAlone = criterion().names("x*");
    Fixtures.Criterion failsBesideAMatch = criterion().names("y*").providers("amazon");
    ImageCriteria criteria = criteria(failsAlone, failsBesideAMatch);

    assertThat(why(criteria, instance().name("z")))
        .isEqualTo(
            "criterion "
                + numberOf(criteria, failsBesideAMatch)
                + " closest: name 'z' matches none of 'y*'; provider amazon matches");
  }

  @Test
  void whenFailuresAndMatchesTie_thenTheFirstCriterionWins() {
    ImageCriteria criteria = criteria(criterion().names("y*"), criterion().names("x*"));

    assertThat(why(criteria, instance().name("z")))
        .isEqualTo(
            "criterion 1 closest: name 'z' matches none of '"
                + criteria.criteria().get(0).imageNames().get(0)
                + "'");
  }

  @Test
  void whenAConditionIsUnknown_thenItCountsNeitherAsFailingNorAsMatching() {
    // Unknown product codes beside a failing name: one failure, like the plain name criterion,
    // and no match, so the criterion with a matching provider is closer.
    Fixtures.Criterion unknownBesideFailure = criterion().names("x*").productCodes("abc");
    Fixtures.Criterion matchBesideFailure = criterion().names("w*").providers("amazon");
    ImageCriteria criteria = criteria(unknownBesideFailure, matchBesideFailure);

    assertThat(why(criteria, instance().name("z")))
        .startsWith("criterion " + numberOf(criteria, matchBesideFailure) + " closest:");
    assertThat(why(criteria(unknownBesideFailure), instance().name("z")))
        .isEqualTo(
            "criterion 1 closest: name 'z' matches none of 'x*'; product codes not reported");
  }

  @Test
  void whenUnknownsAndMatchesBothFit_thenUnknownsComeBeforeMatches() {
    assertThat(
            why(
                criteria(criterion().names("x*").productCodes("abc").providers("amazon")),
                instance().name("z")))
        .isEqualTo(
            "criterion 1 closest: name 'z' matches none of 'x*'; product codes not reported;"
                + " provider amazon matches");
  }

  @Test
  void whenTheImageIsAllowedOrUndecided_thenTheLineSaysMatchesInsteadOfClosest() {
    assertThat(why(criteria(criterion().providers("amazon")), instance()))
        .isEqualTo("criterion 1 matches: provider amazon matches");
    assertThat(why(criteria(criterion().productCodes("abc").providers("amazon")), instance()))
        .isEqualTo("criterion 1 matches: product codes not reported; provider amazon matches");
  }

  @Test
  void whenValuesAreLong_thenEachIsShortenedInTheMiddleAndTheLineStaysUnderTheCap() {
    String longName = "ubuntu/images/" + "x".repeat(500) + "-20250101";
    String longPattern = "debian-" + "y".repeat(300) + "*";
    String line = why(criteria(criterion().names(longPattern)), instance().name(longName));

    assertThat(line).hasSizeLessThanOrEqualTo(ImageReasons.MAX_LENGTH);
    assertThat(line).startsWith("criterion 1 closest: name 'ubuntu/images/xxxxx");
    assertThat(line).contains("…", "-20250101'", "matches none of 'debian-");
  }

  @Test
  void whenNamesCarryControlCharacters_thenTheLineStaysOneLine() {
    String line =
        why(criteria(criterion().names("x*")), instance().name("evil\nname\r\twith\u0000nul"));

    assertThat(line).doesNotContain("\n", "\r", "\t", "\u0000");
    assertThat(line).contains("'evil name  with nul'");
  }

  @Test
  void whenEveryConditionFailsWithLongValues_thenFailuresComeFirstAndTheRestIsElided() {
    String longValue = "z".repeat(120);
    ImageCriteria criteria =
        criteria(
            criterion()
                .providers(VENDOR)
                .names("a" + longValue, "b" + longValue, "c" + longValue)
                .productCodes("abc")
                .createdWithinDays(1)
                .deprecatedWithinDays(1)
                .watermarks(new WatermarkFilter(VENDOR + ":" + longValue, null, null, null)));
    String line =
        why(
            criteria,
            instance()
                .owner(OTHER_ACCOUNT, null)
                .name("n" + longValue)
                .productCodes()
                .deprecated(daysAgo(2))
                .watermarks());

    assertThat(line).hasSizeLessThanOrEqualTo(ImageReasons.MAX_LENGTH);
    assertThat(line).startsWith("criterion 1 closest: provider 123456789012 does not match");
    assertThat(line).endsWith("; …");
  }

  @Test
  void whenThereAreTenCriteria_thenTheClosestIsFoundAmongThemAndTheLineStaysShort() {
    List<Fixtures.Criterion> ten = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ten.add(criterion().names("name-" + i + "-*").providers("aws-marketplace"));
    }
    Fixtures.Criterion closest = criterion().names("ubuntu-*").providers("amazon");
    ten.add(closest);
    ImageCriteria criteria = criteria(ten.toArray(Fixtures.Criterion[]::new));
    assertThat(criteria.size()).isEqualTo(10);

    String line = why(criteria, instance().name("debian-12"));

    assertThat(line)
        .isEqualTo(
            "criterion "
                + numberOf(criteria, closest)
                + " closest: name 'debian-12' matches none of 'ubuntu-*'; provider amazon"
                + " matches");
  }

  /**
   * The line and the evaluator judge with the same code: over a grid of images and criteria, the
   * closest criterion has a failing condition exactly when the evaluator says NOT_ALLOWED (owner
   * reported, not the account's own), and names a failing condition in its line.
   */
  @Test
  void
      overAGridOfImagesAndCriteria_theClosestCriterionFailsExactlyWhenTheEvaluatorSaysNotAllowed() {
    List<ImageCriterion> pool =
        List.of(
            criterion().providers("amazon").build(),
            criterion().providers(VENDOR).createdWithinDays(30).build(),
            criterion().names("al2023-*").deprecatedWithinDays(0).build(),
            criterion().productCodes("abc").build(),
            criterion().names("ubuntu-*", "debian-*").providers("aws-marketplace").build(),
            criterion()
                .watermarks(new WatermarkFilter(VENDOR + ":golden-*", null, null, null))
                .build());
    List<Fixtures.Instance> images = new ArrayList<>();
    for (String[] owner :
        new String[][] {
          {AMAZON_OWNER, "amazon"}, {VENDOR, null}, {OTHER_ACCOUNT, "aws-marketplace"}
        }) {
      for (String name : new String[] {"al2023-ami", "ubuntu-24.04", null}) {
        for (Instant created : new Instant[] {daysAgo(10), daysAgo(40), null}) {
          images.add(
              instance()
                  .owner(owner[0], owner[1])
                  .name(name)
                  .created(created)
                  .deprecated(created == null ? null : daysAgo(1)));
          images.add(
              instance()
                  .owner(owner[0], owner[1])
                  .name(name)
                  .created(created)
                  .productCodes("abc")
                  .watermarks(new ImageWatermark(VENDOR + ":golden-x", null, null, null)));
        }
      }
    }
    int checked = 0;
    int notAllowed = 0;
    for (int mask = 1; mask < 1 << pool.size(); mask++) {
      List<ImageCriterion> chosen = new ArrayList<>();
      for (int i = 0; i < pool.size(); i++) {
        if ((mask & 1 << i) != 0) {
          chosen.add(pool.get(i));
        }
      }
      ImageCriteria criteria = ImageCriteria.of(chosen);
      for (Fixtures.Instance builder : images) {
        InstanceImage image = builder.build();
        Verdict verdict = CriteriaEvaluator.evaluate(criteria, image, OWN_ACCOUNT, NOW);
        ImageReasons.Closest closest = ImageReasons.closest(criteria, image, NOW);
        assertThat(closest.failing() > 0)
            .as("%s against %s", image, criteria)
            .isEqualTo(verdict == Verdict.NOT_ALLOWED);
        String line = ImageReasons.whyNotAllowed(criteria, image, NOW);
        assertThat(line).hasSizeLessThanOrEqualTo(ImageReasons.MAX_LENGTH);
        assertThat(line).contains(verdict == Verdict.NOT_ALLOWED ? " closest: " : " matches: ");
        checked++;
        notAllowed += verdict == Verdict.NOT_ALLOWED ? 1 : 0;
      }
    }
    // The grid must exercise both sides, or the agreement says nothing.
    assertThat(notAllowed).isBetween(checked / 10, checked - checked / 10);
  }

  @Test
  void whenDaysAreCounted_thenAnAgeJustOverTheLimitReadsAsTheLimit() {
    String line =
        why(
            criteria(criterion().createdWithinDays(90).providers("aws-marketplace")),
            instance().created(daysAgo(90).minus(Duration.ofHours(23))));

    assertThat(line).endsWith("; created 90 days ago, limit 90");
  }

  @Test
  void criteriaAreNumberedInTheOrderTheSpecWroteThem() {
    ImageCriteria written =
        Fixtures.criteria(
            Fixtures.criterion().providers("aws-marketplace"),
            Fixtures.criterion().providers("amazon").names("al2023-ami-*"));
    InstanceImage ubuntu = Fixtures.instance().name("ubuntu-noble-24.04").build();

    assertThat(ImageReasons.whyNotAllowed(written, ubuntu, Fixtures.NOW))
        .startsWith("criterion 2 closest:");
  }
}
