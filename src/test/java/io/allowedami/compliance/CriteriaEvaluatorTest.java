package io.allowedami.compliance;

import static io.allowedami.compliance.Fixtures.AMAZON_OWNER;
import static io.allowedami.compliance.Fixtures.NOW;
import static io.allowedami.compliance.Fixtures.OWN_ACCOUNT;
import static io.allowedami.compliance.Fixtures.criteria;
import static io.allowedami.compliance.Fixtures.criterion;
import static io.allowedami.compliance.Fixtures.daysAgo;
import static io.allowedami.compliance.Fixtures.instance;
import static io.allowedami.compliance.Verdict.ALLOWED;
import static io.allowedami.compliance.Verdict.NOT_ALLOWED;
import static io.allowedami.compliance.Verdict.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CriteriaEvaluatorTest {
  private static final String OTHER_ACCOUNT = "444455556666";
  private static final String CANONICAL = "099720109477";
  private static final Duration NANO = Duration.ofNanos(1);

  private static Verdict evaluate(ImageCriteria criteria, Fixtures.Instance instance) {
    return CriteriaEvaluator.evaluate(criteria, instance.build(), OWN_ACCOUNT, NOW);
  }

  static Stream<Arguments> providers() {
    return Stream.of(
        arguments(
            "amazon matches alias amazon",
            "amazon",
            instance().owner(AMAZON_OWNER, "amazon"),
            ALLOWED),
        arguments(
            "amazon matches a verified provider",
            "amazon",
            instance().owner(CANONICAL, "amazon"),
            ALLOWED),
        arguments(
            "amazon does not match marketplace",
            "amazon",
            instance().owner(OTHER_ACCOUNT, "aws-marketplace"),
            NOT_ALLOWED),
        arguments(
            "amazon does not match an owner without alias",
            "amazon",
            instance().owner(OTHER_ACCOUNT, null),
            NOT_ALLOWED),
        arguments("amazon with no owner reported", "amazon", instance().owner(null, null), UNKNOWN),
        arguments(
            "amazon with only the alias reported",
            "amazon",
            instance().owner(null, "amazon"),
            ALLOWED),
        arguments(
            "marketplace matches alias",
            "aws-marketplace",
            instance().owner(OTHER_ACCOUNT, "aws-marketplace"),
            ALLOWED),
        arguments(
            "marketplace does not match amazon",
            "aws-marketplace",
            instance().owner(AMAZON_OWNER, "amazon"),
            NOT_ALLOWED),
        arguments(
            "backup vault matches alias",
            "aws-backup-vault",
            instance().owner(OTHER_ACCOUNT, "aws-backup-vault"),
            ALLOWED),
        arguments(
            "backup vault does not match amazon",
            "aws-backup-vault",
            instance().owner(AMAZON_OWNER, "amazon"),
            NOT_ALLOWED),
        arguments(
            "account ID matches owner",
            OTHER_ACCOUNT,
            instance().owner(OTHER_ACCOUNT, null),
            ALLOWED),
        arguments(
            "account ID matches owner with alias",
            AMAZON_OWNER,
            instance().owner(AMAZON_OWNER, "amazon"),
            ALLOWED),
        arguments(
            "account ID does not match another owner",
            OTHER_ACCOUNT,
            instance().owner(CANONICAL, null),
            NOT_ALLOWED),
        arguments(
            "account ID with no owner reported",
            OTHER_ACCOUNT,
            instance().owner(null, null),
            UNKNOWN),
        arguments(
            "none does not match amazon",
            "none",
            instance().owner(AMAZON_OWNER, "amazon"),
            NOT_ALLOWED),
        arguments(
            "none does not match another account",
            "none",
            instance().owner(OTHER_ACCOUNT, null),
            NOT_ALLOWED),
        arguments(
            "none allows the account's own image",
            "none",
            instance().owner(OWN_ACCOUNT, null),
            ALLOWED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void whenProviderIsSet_thenOwnerAliasOrOwnerIdDecides(
      String description, String provider, Fixtures.Instance image, Verdict expected) {
    assertThat(evaluate(criteria(criterion().providers(provider)), image)).isEqualTo(expected);
  }

  @Test
  void whenSeveralProvidersAreListed_thenAnyOneMatching_allows() {
    ImageCriteria criteria =
        criteria(criterion().providers("aws-marketplace", OTHER_ACCOUNT, "amazon"));

    assertThat(evaluate(criteria, instance().owner(CANONICAL, "amazon"))).isEqualTo(ALLOWED);
    assertThat(evaluate(criteria, instance().owner(CANONICAL, null))).isEqualTo(NOT_ALLOWED);
  }

  static Stream<Arguments> ownImages() {
    return Stream.of(
        arguments(
            "no criteria, own image", criteria(), instance().owner(OWN_ACCOUNT, null), ALLOWED),
        arguments(
            "no criteria, Amazon image",
            criteria(),
            instance().owner(AMAZON_OWNER, "amazon"),
            NOT_ALLOWED),
        arguments(
            "no criteria, owner not reported", criteria(), instance().owner(null, null), UNKNOWN),
        arguments(
            "failing criterion, own image",
            criteria(criterion().names("nothing-matches")),
            instance().owner(OWN_ACCOUNT, null),
            ALLOWED),
        arguments(
            "unknown criterion, own image",
            criteria(criterion().productCodes("abc")),
            instance().owner(OWN_ACCOUNT, null),
            ALLOWED),
        arguments(
            "failing criterion, owner not reported",
            criteria(criterion().names("nothing-matches")),
            instance().owner(null, null),
            UNKNOWN),
        arguments(
            "matching criterion, owner not reported",
            criteria(criterion().names("al2023-*")),
            instance().owner(null, null),
            ALLOWED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownImages")
  void
      whenImageIsTheAccountsOwn_thenAllowedWhateverTheCriteria_andWhenOwnerIsUnreported_thenNeverNotAllowed(
          String description, ImageCriteria criteria, Fixtures.Instance image, Verdict expected) {
    assertThat(evaluate(criteria, image)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}'' against ''{1}'' -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          ubuntu             | ubuntu          | ALLOWED
          ubuntu             | ubuntu-22.04    | NOT_ALLOWED
          ubuntu             | my-ubuntu       | NOT_ALLOWED
          ubuntu*            | ubuntu          | ALLOWED
          ubuntu*            | ubuntu-22.04    | ALLOWED
          *ubuntu            | ubuntu          | ALLOWED
          *                  | anything at all | ALLOWED
          al2023-*-x86_64    | al2023-ami-x86_64 | ALLOWED
          al2023-*-x86_64    | al2023-ami-arm64  | NOT_ALLOWED
          al2023-*-x86_64    | al2023--x86_64  | ALLOWED
          a*b*c              | aXbYbZc         | ALLOWED
          a*b*c              | aXcYb           | NOT_ALLOWED
          al202?             | al2023          | ALLOWED
          al202?             | al202           | NOT_ALLOWED
          al202?             | al20234         | NOT_ALLOWED
          ???                | abc             | ALLOWED
          ???                | ab              | NOT_ALLOWED
          ?*                 | x               | ALLOWED
          app.v1             | app.v1          | ALLOWED
          app.v1             | appXv1          | NOT_ALLOWED
          app(1)             | app(1)          | ALLOWED
          app(1)             | app1            | NOT_ALLOWED
          img[ab]            | img[ab]         | ALLOWED
          img[ab]            | imga            | NOT_ALLOWED
          a/b@c'd_e          | a/b@c'd_e       | ALLOWED
          a/b@c'd_e          | a/b@cXd_e       | NOT_ALLOWED
          web.*              | web.2025        | ALLOWED
          web.*              | webX2025        | NOT_ALLOWED
          web*               | web*x            | ALLOWED
          w*b*x              | w*b*x            | ALLOWED
          """)
  void whenNameIsSet_thenWildcardsCoverTheWholeNameAndOtherCharactersAreLiteral(
      String pattern, String name, Verdict expected) {
    assertThat(evaluate(criteria(criterion().names(pattern)), instance().name(name)))
        .isEqualTo(expected);
  }

  @Test
  void whenSeveralNamesAreListed_thenAnyOneMatching_allows() {
    ImageCriteria criteria = criteria(criterion().names("ubuntu/*", "al2023-*"));

    assertThat(evaluate(criteria, instance().name("al2023-ami"))).isEqualTo(ALLOWED);
    assertThat(evaluate(criteria, instance().name("debian-12"))).isEqualTo(NOT_ALLOWED);
  }

  @Test
  void whenNameIsSetButNotReported_thenUnknown() {
    assertThat(evaluate(criteria(criterion().names("*")), instance().name(null)))
        .isEqualTo(UNKNOWN);
  }

  static Stream<Arguments> productCodes() {
    return Stream.of(
        arguments("code known and listed", instance().productCodes("abc123", "zzz"), ALLOWED),
        arguments("codes known, none listed", instance().productCodes("zzz"), NOT_ALLOWED),
        arguments("known to have no codes", instance().productCodes(), NOT_ALLOWED),
        arguments("codes not known", instance(), UNKNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("productCodes")
  void whenMarketplaceCodesAreSet_thenOnlyKnownCodesDecide(
      String description, Fixtures.Instance image, Verdict expected) {
    assertThat(evaluate(criteria(criterion().productCodes("abc123", "def456")), image))
        .isEqualTo(expected);
  }

  static Stream<Arguments> creationDates() {
    return Stream.of(
        arguments("created 1 ns less than 30 days ago", 30, daysAgo(30).plus(NANO), ALLOWED),
        arguments("created exactly 30 days ago", 30, daysAgo(30), NOT_ALLOWED),
        arguments("created 31 days ago", 30, daysAgo(31), NOT_ALLOWED),
        arguments("created just now", 30, NOW, ALLOWED),
        arguments("0 days: created just now", 0, NOW, NOT_ALLOWED),
        arguments("0 days: created in the future (clock skew)", 0, NOW.plusSeconds(1), ALLOWED),
        arguments("largest limit", Integer.MAX_VALUE, daysAgo(365L * 1000), ALLOWED),
        arguments("creation date not reported", 30, null, UNKNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creationDates")
  void whenCreationLimitIsSet_thenAgeMustBeStrictlyShorterThanTheLimit(
      String description, int days, Instant created, Verdict expected) {
    assertThat(evaluate(criteria(criterion().createdWithinDays(days)), instance().created(created)))
        .isEqualTo(expected);
  }

  static Stream<Arguments> deprecationTimes() {
    return Stream.of(
        arguments("not deprecated", 7, null, ALLOWED),
        arguments("deprecation scheduled in the future", 7, NOW.plusSeconds(1), ALLOWED),
        arguments("deprecated 1 ns less than 7 days ago", 7, daysAgo(7).plus(NANO), ALLOWED),
        arguments("deprecated exactly 7 days ago", 7, daysAgo(7), NOT_ALLOWED),
        arguments("deprecated 8 days ago", 7, daysAgo(8), NOT_ALLOWED),
        arguments("0 days: not deprecated", 0, null, ALLOWED),
        arguments("0 days: deprecation in the future", 0, NOW.plusSeconds(1), ALLOWED),
        arguments("0 days: deprecated at this instant", 0, NOW, NOT_ALLOWED),
        arguments("0 days: deprecated 1 s ago", 0, NOW.minusSeconds(1), NOT_ALLOWED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deprecationTimes")
  void whenDeprecationLimitIsSet_thenOnlyRecentOrNoDeprecationIsAllowed(
      String description, int days, Instant deprecated, Verdict expected) {
    assertThat(
            evaluate(
                criteria(criterion().deprecatedWithinDays(days)),
                instance().deprecated(deprecated)))
        .isEqualTo(expected);
  }

  static Stream<Arguments> watermarks() {
    WatermarkFilter byKey = new WatermarkFilter("123456789012:golden-*", null, null, null);
    WatermarkFilter byKeyAndRegion =
        new WatermarkFilter("123456789012:golden-*", "us-east-1", null, null);
    WatermarkFilter recent = new WatermarkFilter(null, null, null, 30);
    ImageWatermark golden =
        new ImageWatermark("123456789012:golden-linux", "eu-west-1", daysAgo(10), daysAgo(10));
    ImageWatermark other =
        new ImageWatermark("123456789012:other", "us-east-1", daysAgo(10), daysAgo(10));
    ImageWatermark goldenNoRegion =
        new ImageWatermark("123456789012:golden-linux", null, null, null);
    return Stream.of(
        arguments("key wildcard matches", byKey, instance().watermarks(golden), ALLOWED),
        arguments("key does not match", byKey, instance().watermarks(other), NOT_ALLOWED),
        arguments("known to have no watermarks", byKey, instance().watermarks(), NOT_ALLOWED),
        arguments("watermarks not known", byKey, instance(), UNKNOWN),
        arguments(
            "key on one watermark, Region on another",
            byKeyAndRegion,
            instance().watermarks(golden, other),
            NOT_ALLOWED),
        arguments(
            "Region of the matching watermark not known",
            byKeyAndRegion,
            instance().watermarks(goldenNoRegion, other),
            UNKNOWN),
        arguments(
            "watermark created 10 days ago, limit 30",
            recent,
            instance().watermarks(golden),
            ALLOWED),
        arguments(
            "watermark creation not known",
            recent,
            instance().watermarks(goldenNoRegion),
            UNKNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("watermarks")
  void whenWatermarkFilterIsSet_thenAllItsFieldsMustMatchOneWatermark(
      String description, WatermarkFilter filter, Fixtures.Instance image, Verdict expected) {
    assertThat(evaluate(criteria(criterion().watermarks(filter)), image)).isEqualTo(expected);
  }

  static Stream<Arguments> combinations() {
    Fixtures.Instance al2023 = instance().owner(AMAZON_OWNER, "amazon").name("al2023-ami");
    return Stream.of(
        arguments(
            "AND: every set field matches",
            criteria(criterion().providers("amazon").names("al2023-*").createdWithinDays(365)),
            al2023,
            ALLOWED),
        arguments(
            "AND: one field fails",
            criteria(criterion().providers("amazon").names("ubuntu*")),
            al2023,
            NOT_ALLOWED),
        arguments(
            "AND: one field unknown, the rest match",
            criteria(criterion().providers("amazon").productCodes("abc")),
            al2023,
            UNKNOWN),
        arguments(
            "AND: one field unknown, another fails",
            criteria(criterion().providers("aws-marketplace").productCodes("abc")),
            al2023,
            NOT_ALLOWED),
        arguments(
            "OR: one criterion fails, another matches",
            criteria(criterion().names("ubuntu*"), criterion().providers("amazon")),
            al2023,
            ALLOWED),
        arguments(
            "OR: one criterion unknown, another matches",
            criteria(criterion().productCodes("abc"), criterion().providers("amazon")),
            al2023,
            ALLOWED),
        arguments(
            "OR: one criterion unknown, another fails",
            criteria(criterion().productCodes("abc"), criterion().names("ubuntu*")),
            al2023,
            UNKNOWN),
        arguments(
            "OR: every criterion fails",
            criteria(criterion().providers("aws-marketplace"), criterion().names("ubuntu*")),
            al2023,
            NOT_ALLOWED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void whenCriteriaCombine_thenFieldsAreAndedCriteriaOredInKleeneLogic(
      String description, ImageCriteria criteria, Fixtures.Instance image, Verdict expected) {
    assertThat(evaluate(criteria, image)).isEqualTo(expected);
  }

  @Test
  void whenCriterionSetsNoField_thenItIsRejectedAsAwsDoes() {
    assertThatThrownBy(() -> evaluate(criteria(criterion()), instance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one field");
  }
}
