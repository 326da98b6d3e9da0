package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.ComplianceSpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.aws.AccountTarget;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns a validated spec into the domain's desired settings, account target and resync interval.
 */
public final class SpecMapper {
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
        spec.getAssumeRole().getRoleArn(),
        spec.getAssumeRole().getExternalId(),
        spec.getAssumeRole().getSessionName());
  }

  /** The spec's resync interval, or {@code fallback} when it sets none; validated before. */
  public static Duration resyncInterval(AllowedAmiPolicySpec spec, Duration fallback) {
    String text = spec.getResyncInterval();
    return text == null ? fallback : parseDuration(text);
  }

  /**
   * How often the policy's launch templates are read again; empty when the policy does not scan
   * them. Validated before.
   */
  public static Optional<Duration> launchTemplateScanInterval(AllowedAmiPolicySpec spec) {
    ComplianceSpec compliance = spec.getCompliance();
    if (compliance != null && Boolean.FALSE.equals(compliance.getScanLaunchTemplates())) {
      return Optional.empty();
    }
    String text =
        compliance == null || compliance.getLaunchTemplateScanInterval() == null
            ? Limits.DEFAULT_LAUNCH_TEMPLATE_SCAN_INTERVAL
            : compliance.getLaunchTemplateScanInterval();
    return Optional.of(parseDuration(text));
  }

  /**
   * Parses a validated duration (30s, 5m, 1h30m) with fabric8's parser for Kubernetes durations.
   */
  public static Duration parseDuration(String text) {
    return SpecValidator.parseDuration(text)
        .orElseThrow(() -> new IllegalArgumentException("not a duration: " + Messages.quote(text)));
  }
}
