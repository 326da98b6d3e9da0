package io.allowedami.simulator.criteria;

import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.Watermark;
import io.allowedami.simulator.model.WatermarkFilter;
import io.allowedami.simulator.model.WorldImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Computes ImageAllowed with AWS's semantics: the account's own images always, otherwise any
 * criterion whose every set field matches; unknown (null) while the setting is disabled.
 */
public final class ImageAllowance {

  public static final String PROVIDER_NONE = "none";

  private final Clock clock;

  public ImageAllowance(Clock clock) {
    this.clock = clock;
  }

  /** True/false in enabled and audit-mode, null while disabled. */
  public Boolean imageAllowed(
      AllowedImagesSettings settings, WorldImage image, String callerAccountId) {
    if (settings.state() == SettingsState.DISABLED) {
      return null;
    }
    return wouldBeAllowed(settings.imageCriteria(), image, callerAccountId);
  }

  public boolean wouldBeAllowed(
      List<Criterion> criteria, WorldImage image, String callerAccountId) {
    if (callerAccountId.equals(image.ownerId())) {
      return true;
    }
    Instant now = clock.instant();
    return criteria.stream().anyMatch(c -> matches(c, image, now));
  }

  private static boolean matches(Criterion criterion, WorldImage image, Instant now) {
    return (criterion.imageProviders().isEmpty()
            || criterion.imageProviders().stream().anyMatch(p -> providerMatches(p, image)))
        && (criterion.imageNames().isEmpty()
            || criterion.imageNames().stream().anyMatch(n -> GlobPattern.matches(n, image.name())))
        && (criterion.marketplaceProductCodes().isEmpty()
            || criterion.marketplaceProductCodes().stream()
                .anyMatch(image.productCodes()::contains))
        && (criterion.maximumDaysSinceCreated() == null
            || withinDays(image.creationDate(), criterion.maximumDaysSinceCreated(), now))
        && (criterion.maximumDaysSinceDeprecated() == null
            || deprecationMatches(
                image.deprecationTime(), criterion.maximumDaysSinceDeprecated(), now))
        && (criterion.imageWatermarks().isEmpty()
            || criterion.imageWatermarks().stream()
                .anyMatch(
                    f -> image.watermarks().stream().anyMatch(w -> watermarkMatches(f, w, now))));
  }

  private static boolean providerMatches(String provider, WorldImage image) {
    if (PROVIDER_NONE.equals(provider)) {
      return false;
    }
    return provider.equals(image.ownerAlias()) || provider.equals(image.ownerId());
  }

  private static boolean deprecationMatches(Instant deprecationTime, int maxDays, Instant now) {
    if (deprecationTime == null || deprecationTime.isAfter(now)) {
      return true;
    }
    return maxDays > 0 && withinDays(deprecationTime, maxDays, now);
  }

  private static boolean watermarkMatches(
      WatermarkFilter filter, Watermark watermark, Instant now) {
    return (filter.watermarkKey() == null
            || GlobPattern.matches(filter.watermarkKey(), watermark.watermarkKey()))
        && (filter.sourceImageRegion() == null
            || filter.sourceImageRegion().equals(watermark.sourceImageRegion()))
        && (filter.maximumDaysSinceSourceImageCreated() == null
            || withinDays(
                watermark.sourceImageCreationTime(),
                filter.maximumDaysSinceSourceImageCreated(),
                now))
        && (filter.maximumDaysSinceWatermarkCreated() == null
            || withinDays(
                watermark.watermarkCreationTime(), filter.maximumDaysSinceWatermarkCreated(), now));
  }

  private static boolean withinDays(Instant time, int days, Instant now) {
    return time != null && Duration.between(time, now).compareTo(Duration.ofDays(days)) <= 0;
  }
}
