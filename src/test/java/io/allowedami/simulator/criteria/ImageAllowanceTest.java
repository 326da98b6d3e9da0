package io.allowedami.simulator.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.Watermark;
import io.allowedami.simulator.model.WatermarkFilter;
import io.allowedami.simulator.model.WorldImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageAllowanceTest {

  static final Instant NOW = Instant.parse("2025-11-22T12:00:00Z");
  static final String ME = "111122223333";
  final ImageAllowance allowance = new ImageAllowance(Clock.fixed(NOW, ZoneOffset.UTC));

  static WorldImage.Builder image(String owner) {
    return WorldImage.builder("ami-1", "us-east-1", owner)
        .name("al2023-ami-2023.9-x86_64")
        .creationDate(daysAgo(10));
  }

  static Instant daysAgo(int days) {
    return NOW.minus(Duration.ofDays(days));
  }

  boolean allowed(WorldImage image, Criterion... criteria) {
    return allowance.wouldBeAllowed(List.of(criteria), image, ME);
  }

  @Test
  void whenTheAccountOwnsTheImageThenItIsAllowedWhateverTheCriteria() {
    assertThat(allowed(image(ME).build())).isTrue();
    assertThat(allowed(image(ME).build(), Criterion.ofProviders("none"))).isTrue();
  }

  @Test
  void whenCriteriaAreEmptyOrNoneThenOnlyOwnImagesAreAllowed() {
    WorldImage amazon = image("137112412989").ownerAlias("amazon").build();
    assertThat(allowed(amazon)).isFalse();
    assertThat(allowed(amazon, Criterion.ofProviders("none"))).isFalse();
  }

  @Test
  void whenProvidersAreListedThenAliasOrOwnerIdMatches() {
    WorldImage verified = image("099720109477").ownerAlias("amazon").build();
    WorldImage marketplace = image("679593333241").ownerAlias("aws-marketplace").build();
    WorldImage thirdParty = image("210987654321").build();
    assertThat(allowed(verified, Criterion.ofProviders("amazon"))).isTrue();
    assertThat(allowed(marketplace, Criterion.ofProviders("amazon"))).isFalse();
    assertThat(allowed(marketplace, Criterion.ofProviders("amazon", "aws-marketplace"))).isTrue();
    assertThat(allowed(thirdParty, Criterion.ofProviders("210987654321"))).isTrue();
    assertThat(
            allowed(
                thirdParty, Criterion.ofProviders("amazon"), Criterion.ofProviders("210987654321")))
        .isTrue();
  }

  @Test
  void whenACriterionSetsSeveralFieldsThenAllMustMatch() {
    WorldImage amazon = image("137112412989").ownerAlias("amazon").build();
    assertThat(allowed(amazon, Criterion.builder().providers("amazon").names("al2023-*").build()))
        .isTrue();
    assertThat(allowed(amazon, Criterion.builder().providers("amazon").names("ubuntu*").build()))
        .isFalse();
    assertThat(allowed(amazon, Criterion.builder().providers("amazon").productCodes("abc").build()))
        .isFalse();
  }

  @Test
  void whenNamesUseWildcardsThenTheWholeNameMustMatch() {
    WorldImage amazon = image("137112412989").ownerAlias("amazon").build();
    assertThat(allowed(amazon, Criterion.builder().names("al2023-ami-2023.?-x86_64").build()))
        .isTrue();
    assertThat(allowed(amazon, Criterion.builder().names("al2023").build())).isFalse();
    assertThat(allowed(amazon, Criterion.builder().names("*x86_64").build())).isTrue();
    assertThat(allowed(amazon, Criterion.builder().names("al2023-ami-2023.9-x86_64").build()))
        .isTrue();
  }

  @Test
  void whenDateConditionsAreSetThenTheClockDecides() {
    WorldImage fresh = image("1").creationDate(daysAgo(10)).build();
    WorldImage old = image("1").creationDate(daysAgo(400)).build();
    assertThat(allowed(fresh, Criterion.builder().maxDaysSinceCreated(30).build())).isTrue();
    assertThat(allowed(old, Criterion.builder().maxDaysSinceCreated(30).build())).isFalse();

    WorldImage deprecatedLongAgo = image("1").deprecationTime(daysAgo(100)).build();
    WorldImage deprecatedRecently = image("1").deprecationTime(daysAgo(5)).build();
    WorldImage deprecatedInFuture =
        image("1").deprecationTime(NOW.plus(Duration.ofDays(5))).build();
    Criterion notDeprecated = Criterion.builder().maxDaysSinceDeprecated(0).build();
    Criterion deprecatedWithin30 = Criterion.builder().maxDaysSinceDeprecated(30).build();
    assertThat(allowed(fresh, notDeprecated)).isTrue();
    assertThat(allowed(deprecatedInFuture, notDeprecated)).isTrue();
    assertThat(allowed(deprecatedRecently, notDeprecated)).isFalse();
    assertThat(allowed(deprecatedRecently, deprecatedWithin30)).isTrue();
    assertThat(allowed(deprecatedLongAgo, deprecatedWithin30)).isFalse();
  }

  @Test
  void whenMarketplaceCodesAreListedThenAnyCodeOfTheImageMatches() {
    WorldImage marketplace =
        image("679593333241").ownerAlias("aws-marketplace").productCodes("abc", "def").build();
    assertThat(allowed(marketplace, Criterion.builder().productCodes("xyz", "def").build()))
        .isTrue();
    assertThat(allowed(marketplace, Criterion.builder().productCodes("xyz").build())).isFalse();
  }

  @Test
  void whenWatermarkFiltersAreSetThenOneWatermarkMustMatchEveryField() {
    WorldImage watermarked =
        image("1")
            .watermarks(
                new Watermark(
                    "444455556666:golden", "us-east-1", "ami-src", daysAgo(40), daysAgo(2)),
                new Watermark(
                    "444455556666:other", "eu-west-1", "ami-src2", daysAgo(1), daysAgo(1)))
            .build();
    assertThat(
            allowed(
                watermarked,
                Criterion.builder()
                    .watermarks(new WatermarkFilter("444455556666:gold*", "us-east-1", null, 7))
                    .build()))
        .isTrue();
    assertThat(
            allowed(
                watermarked,
                Criterion.builder()
                    .watermarks(new WatermarkFilter("444455556666:gold*", "eu-west-1", null, null))
                    .build()))
        .isFalse();
    assertThat(
            allowed(
                watermarked,
                Criterion.builder()
                    .watermarks(new WatermarkFilter("444455556666:golden", null, 30, null))
                    .build()))
        .isFalse();
    assertThat(
            allowed(
                image("1").build(),
                Criterion.builder().watermarks(new WatermarkFilter("*", null, null, null)).build()))
        .isFalse();
  }

  @Test
  void whenTheSettingIsDisabledThenImageAllowedIsUnknownAndOtherwiseComputed() {
    WorldImage amazon = image("137112412989").ownerAlias("amazon").build();
    List<Criterion> amazonOnly = List.of(Criterion.ofProviders("amazon"));
    assertThat(
            allowance.imageAllowed(
                new AllowedImagesSettings(SettingsState.DISABLED, amazonOnly, ManagedBy.ACCOUNT),
                amazon,
                ME))
        .isNull();
    assertThat(
            allowance.imageAllowed(
                new AllowedImagesSettings(SettingsState.AUDIT_MODE, amazonOnly, ManagedBy.ACCOUNT),
                amazon,
                ME))
        .isTrue();
    assertThat(
            allowance.imageAllowed(
                new AllowedImagesSettings(SettingsState.ENABLED, List.of(), ManagedBy.ACCOUNT),
                amazon,
                ME))
        .isFalse();
  }
}
