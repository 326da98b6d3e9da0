package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.aws.AccountTarget;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a validated spec into the domain's desired settings, account target and resync interval.
 */
public final class SpecMapper {
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(h|m|s)");

  private SpecMapper() {}

  public static DesiredSettings desired(AllowedAmiPolicySpec spec) {
    AllowedImagesState state = Mode.fromValue(spec.getMode()).orElseThrow().state();
    if (spec.getProviders() != null) {
      return DesiredSettings.of(
          state, ImageCriteria.of(List.of(ImageCriterion.ofProviders(spec.getProviders()))));
    }
    if (spec.getImageCriteria() != null) {
      return DesiredSettings.of(
          state,
          ImageCriteria.of(spec.getImageCriteria().stream().map(SpecMapper::criterion).toList()));
    }
    return DesiredSettings.stateOnly(state);
  }

  private static ImageCriterion criterion(ImageCriterionSpec c) {
    return new ImageCriterion(
        c.getImageProviders(),
        c.getImageNames(),
        c.getMarketplaceProductCodes(),
        c.getCreationDateCondition() == null
            ? null
            : c.getCreationDateCondition().getMaximumDaysSinceCreated(),
        c.getDeprecationTimeCondition() == null
            ? null
            : c.getDeprecationTimeCondition().getMaximumDaysSinceDeprecated(),
        c.getImageWatermarks() == null
            ? null
            : c.getImageWatermarks().stream()
                .map(
                    w ->
                        new WatermarkFilter(
                            w.getWatermarkKey(),
                            w.getSourceImageRegion(),
                            w.getMaximumDaysSinceSourceImageCreated(),
                            w.getMaximumDaysSinceWatermarkCreated()))
                .toList());
  }

  public static AccountTarget accountTarget(AllowedAmiPolicySpec spec) {
    if (spec.getAssumeRole() == null) {
      return AccountTarget.OPERATOR_CREDENTIALS;
    }
    return AccountTarget.assumeRole(
        spec.getAssumeRole().getRoleArn(), spec.getAssumeRole().getExternalId());
  }

  /** The spec's resync interval, or {@code fallback} when it sets none. */
  public static Duration resyncInterval(AllowedAmiPolicySpec spec, Duration fallback) {
    String text = spec.getResyncInterval();
    return text == null ? fallback : parseDuration(text);
  }

  /** Parses Go-style durations of whole units (1h30m, 45s); the pattern was validated before. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    int consumed = 0;
    while (m.find()) {
      if (m.start() != consumed) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      long amount = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
              });
      consumed = m.end();
    }
    if (consumed == 0 || consumed != text.length()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    return total;
  }
}
