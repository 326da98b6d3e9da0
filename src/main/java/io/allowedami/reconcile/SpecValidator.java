package io.allowedami.reconcile;

import static io.allowedami.reconcile.Messages.quote;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.DeletionPolicy;
import io.allowedami.api.v1alpha1.Enforcement;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.ImageWatermarkFilterSpec;
import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.Patterns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The reconciler's own check of a spec: the rules of the CRD schema and its CEL rules, read from
 * the same {@link Limits} and {@link Patterns}, so that a spec that reaches the operator around the
 * schema (an old CRD, a hand-edited object) is judged as the API server would have judged it, and
 * never reaches AWS. {@code SpecRulesAgreeWithTheCrdTest} feeds both the same generated specs.
 *
 * <p>Beyond the schema, the operator also knows which Region names exist (see {@link
 * #validate(AllowedAmiPolicySpec, Predicate)}).
 */
public final class SpecValidator {
  private static final Pattern REGION = Pattern.compile(Patterns.REGION);
  private static final Pattern PROVIDER = Pattern.compile(Patterns.PROVIDER);
  private static final Pattern IMAGE_NAME = Pattern.compile(Patterns.IMAGE_NAME);
  private static final Pattern PRODUCT_CODE = Pattern.compile(Patterns.PRODUCT_CODE);
  private static final Pattern WATERMARK_KEY = Pattern.compile(Patterns.WATERMARK_KEY);
  private static final Pattern ROLE_ARN = Pattern.compile(Patterns.ROLE_ARN);
  private static final Pattern EXTERNAL_ID = Pattern.compile(Patterns.EXTERNAL_ID);
  private static final Pattern SESSION_NAME = Pattern.compile(Patterns.SESSION_NAME);
  private static final Pattern DURATION = Pattern.compile(Patterns.DURATION);

  private SpecValidator() {}

  /**
   * The schema's rules only: returns the problems found, each naming the field; empty when the spec
   * is valid.
   */
  public static List<String> validate(AllowedAmiPolicySpec spec) {
    return validate(spec, region -> true);
  }

  /**
   * The schema's rules, and every Region must be one that {@code knownRegion} accepts. Returns the
   * problems found, each naming the field; empty when the spec is valid.
   */
  public static List<String> validate(AllowedAmiPolicySpec spec, Predicate<String> knownRegion) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is required");
      return problems;
    }
    if (spec.getUnreadable().isPresent()) {
      problems.add(spec.getUnreadable().get().problem());
      return problems;
    }
    Mode mode = null;
    if (spec.getMode() == null) {
      problems.add("spec.mode is required: one of enabled, audit-mode, disabled");
    } else {
      mode = Mode.fromValue(spec.getMode()).orElse(null);
      if (mode == null) {
        problems.add(
            "spec.mode " + quote(spec.getMode()) + " is not one of enabled, audit-mode, disabled");
      }
    }
    if (spec.getEnforcement() != null && Enforcement.fromValue(spec.getEnforcement()).isEmpty()) {
      problems.add(
          "spec.enforcement "
              + quote(spec.getEnforcement())
              + " is not one of Enforce, ObserveOnly");
    }
    if (spec.getDeletionPolicy() != null
        && DeletionPolicy.fromValue(spec.getDeletionPolicy()).isEmpty()) {
      problems.add(
          "spec.deletionPolicy "
              + quote(spec.getDeletionPolicy())
              + " is not one of Retain, Disable");
    }
    validateRegions(spec.getRegions(), knownRegion, problems);
    validateExcludeRegions(spec, knownRegion, problems);
    boolean hasProviders = spec.getProviders() != null;
    boolean hasCriteria = spec.getImageCriteria() != null;
    if (hasProviders && hasCriteria) {
      problems.add("set either spec.providers or spec.imageCriteria, not both");
    }
    if (!hasProviders && !hasCriteria && mode != Mode.DISABLED && spec.getMode() != null) {
      problems.add("mode " + quote(spec.getMode()) + " needs spec.providers or spec.imageCriteria");
    }
    if (hasProviders) {
      validateProviders("spec.providers", spec.getProviders(), problems);
    }
    if (hasCriteria) {
      validateCriteria(spec.getImageCriteria(), problems);
    }
    if (spec.getResyncInterval() != null) {
      validateDuration(
          "spec.resyncInterval",
          spec.getResyncInterval(),
          Limits.MIN_RESYNC_INTERVAL,
          Limits.MAX_RESYNC_INTERVAL,
          problems);
    }
    validateAssumeRole(spec.getAssumeRole(), problems);
    if (spec.getRollout() != null && spec.getRollout().getMaxBlockedInstances() != null) {
      requireRange(
          "spec.rollout.maxBlockedInstances",
          spec.getRollout().getMaxBlockedInstances(),
          Integer.MAX_VALUE,
          problems);
    }
    if (spec.getRollout() != null && spec.getRollout().getMaxBlockedLaunchTemplates() != null) {
      requireRange(
          "spec.rollout.maxBlockedLaunchTemplates",
          spec.getRollout().getMaxBlockedLaunchTemplates(),
          Integer.MAX_VALUE,
          problems);
    }
    if (spec.getRollout() != null
        && spec.getRollout().getMaxBlockedLaunchTemplates() != null
        && spec.getCompliance() != null
        && Boolean.FALSE.equals(spec.getCompliance().getScanLaunchTemplates())) {
      problems.add("rollout.maxBlockedLaunchTemplates needs compliance.scanLaunchTemplates");
    }
    if (spec.getCompliance() != null
        && spec.getCompliance().getLaunchTemplateScanInterval() != null) {
      validateDuration(
          "spec.compliance.launchTemplateScanInterval",
          spec.getCompliance().getLaunchTemplateScanInterval(),
          Limits.MIN_LAUNCH_TEMPLATE_SCAN_INTERVAL,
          Limits.MAX_LAUNCH_TEMPLATE_SCAN_INTERVAL,
          problems);
    }
    if (spec.getCompliance() != null && spec.getCompliance().getSampleSize() != null) {
      requireRange(
          "spec.compliance.sampleSize",
          spec.getCompliance().getSampleSize(),
          Limits.MAX_SAMPLE_SIZE,
          problems);
    }
    return problems;
  }

  /**
   * Parses a resync interval as Kubernetes tools write durations, with fabric8's parser; empty when
   * the text is not a duration of whole h, m and s units of bounded length.
   */
  public static Optional<Duration> parseDuration(String text) {
    if (text == null
        || text.length() < Limits.MIN_DURATION_LENGTH
        || text.length() > Limits.MAX_DURATION_LENGTH
        || !DURATION.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(io.fabric8.kubernetes.api.model.Duration.parse(text).getDuration());
    } catch (java.text.ParseException | RuntimeException e) {
      return Optional.empty(); // out of range: more than ~292 years
    }
  }

  private static void validateDuration(
      String field, String text, String min, String max, List<String> problems) {
    Optional<Duration> interval = parseDuration(text);
    if (interval.isEmpty()) {
      problems.add(
          field
              + " "
              + quote(text)
              + " is not a duration such as 30s, 5m or 1h (whole h, m and s units, at most "
              + Limits.MAX_DURATION_LENGTH
              + " characters)");
    } else if (interval.get().compareTo(parseDuration(min).orElseThrow()) < 0
        || interval.get().compareTo(parseDuration(max).orElseThrow()) > 0) {
      problems.add(field + " " + quote(text) + " must be between " + min + " and " + max);
    }
  }

  private static void validateRegions(
      List<String> regions, Predicate<String> knownRegion, List<String> problems) {
    if (regions == null || regions.isEmpty()) {
      problems.add("spec.regions must list at least one Region");
      return;
    }
    if (regions.size() > Limits.MAX_REGIONS) {
      problems.add(
          "spec.regions lists "
              + regions.size()
              + " Regions; at most "
              + Limits.MAX_REGIONS
              + " are allowed");
    }
    if (regions.contains(Patterns.ALL_REGIONS) && regions.size() > 1) {
      problems.add("spec.regions: '*' (every Region enabled for the account) must stand alone");
    }
    var seen = new HashSet<String>();
    for (String region : regions) {
      if (Patterns.ALL_REGIONS.equals(region)) {
        if (!seen.add(region)) {
          problems.add("spec.regions: '*' is listed more than once");
        }
      } else if (!matches(REGION, region, 1, Limits.MAX_REGION_LENGTH)) {
        problems.add(
            "spec.regions: " + quote(region) + " is not an AWS Region name such as us-east-1");
      } else if (!seen.add(region)) {
        problems.add("spec.regions: " + quote(region) + " is listed more than once");
      } else if (!knownRegion.test(region)) {
        problems.add(
            "spec.regions: "
                + quote(region)
                + " is not a Region AWS has (not in this operator's AWS SDK)");
      }
    }
  }

  private static void validateExcludeRegions(
      AllowedAmiPolicySpec spec, Predicate<String> knownRegion, List<String> problems) {
    List<String> excluded = spec.getExcludeRegions();
    if (excluded == null) {
      return;
    }
    if (!spec.isAllRegions()) {
      problems.add("spec.excludeRegions needs spec.regions: ['*']");
    }
    if (excluded.isEmpty() || excluded.size() > Limits.MAX_REGIONS) {
      problems.add(
          "spec.excludeRegions must list 1 to "
              + Limits.MAX_REGIONS
              + " Regions, has "
              + excluded.size());
    }
    var seen = new HashSet<String>();
    for (String region : excluded) {
      if (!matches(REGION, region, 1, Limits.MAX_REGION_LENGTH)) {
        problems.add(
            "spec.excludeRegions: "
                + quote(region)
                + " is not an AWS Region name such as us-east-1");
      } else if (!seen.add(region)) {
        problems.add("spec.excludeRegions: " + quote(region) + " is listed more than once");
      } else if (!knownRegion.test(region)) {
        problems.add(
            "spec.excludeRegions: "
                + quote(region)
                + " is not a Region AWS has (not in this operator's AWS SDK)");
      }
    }
  }

  private static void validateProviders(
      String field, List<String> providers, List<String> problems) {
    if (providers.isEmpty()) {
      problems.add(field + " must not be empty");
      return;
    }
    if (providers.size() > Limits.MAX_PROVIDERS) {
      problems.add(
          field
              + " lists "
              + providers.size()
              + " providers; AWS allows at most "
              + Limits.MAX_PROVIDERS);
    }
    for (String provider : providers) {
      if (!matches(PROVIDER, provider, 1, Limits.MAX_PROVIDER_LENGTH)) {
        problems.add(
            field
                + ": "
                + quote(provider)
                + " is not a provider: use amazon, aws-marketplace, aws-backup-vault,"
                + " none or a 12-digit account ID");
      }
    }
    if (providers.contains("none") && providers.size() > 1) {
      problems.add(field + ": 'none' cannot be combined with other providers");
    }
  }

  private static void validateCriteria(List<ImageCriterionSpec> criteria, List<String> problems) {
    if (criteria.isEmpty()) {
      problems.add("spec.imageCriteria must not be empty");
      return;
    }
    if (criteria.size() > Limits.MAX_CRITERIA) {
      problems.add(
          "spec.imageCriteria has "
              + criteria.size()
              + " criteria; AWS allows at most "
              + Limits.MAX_CRITERIA);
    }
    for (int i = 0; i < criteria.size(); i++) {
      validateCriterion("spec.imageCriteria[" + i + "]", criteria.get(i), problems);
    }
  }

  private static void validateCriterion(String field, ImageCriterionSpec c, List<String> problems) {
    if (c == null
        || (c.getImageProviders() == null
            && c.getImageNames() == null
            && c.getMarketplaceProductCodes() == null
            && c.getCreationDateCondition() == null
            && c.getDeprecationTimeCondition() == null
            && c.getImageWatermarks() == null)) {
      problems.add(field + " must set at least one field");
      return;
    }
    if (c.getImageProviders() != null) {
      validateProviders(field + ".imageProviders", c.getImageProviders(), problems);
    }
    if (c.getImageNames() != null) {
      validateValues(
          field + ".imageNames",
          c.getImageNames(),
          IMAGE_NAME,
          Limits.MAX_IMAGE_NAME_LENGTH,
          "an image name (1-128 characters of"
              + " letters, digits, spaces and ( ) [ ] . / - ' @ _ * ?)",
          problems);
      for (String name : c.getImageNames()) {
        if (name != null
            && name.contains("?")
            && name.length() < Limits.MIN_IMAGE_NAME_WITH_QUESTION_MARK) {
          problems.add(
              field
                  + ".imageNames: "
                  + quote(name)
                  + " uses '?' and must be at least "
                  + Limits.MIN_IMAGE_NAME_WITH_QUESTION_MARK
                  + " characters long");
        }
      }
    }
    if (c.getMarketplaceProductCodes() != null) {
      validateValues(
          field + ".marketplaceProductCodes",
          c.getMarketplaceProductCodes(),
          PRODUCT_CODE,
          Limits.MAX_PRODUCT_CODE_LENGTH,
          "a product code (1-25 letters and digits)",
          problems);
    }
    if (c.getCreationDateCondition() != null) {
      requireDays(
          field + ".creationDateCondition.maximumDaysSinceCreated",
          c.getCreationDateCondition().getMaximumDaysSinceCreated(),
          true,
          problems);
    }
    if (c.getDeprecationTimeCondition() != null) {
      requireDays(
          field + ".deprecationTimeCondition.maximumDaysSinceDeprecated",
          c.getDeprecationTimeCondition().getMaximumDaysSinceDeprecated(),
          true,
          problems);
    }
    if (c.getImageWatermarks() != null) {
      validateWatermarks(field + ".imageWatermarks", c.getImageWatermarks(), problems);
    }
  }

  private static void validateWatermarks(
      String field, List<ImageWatermarkFilterSpec> filters, List<String> problems) {
    if (filters.isEmpty() || filters.size() > Limits.MAX_VALUES) {
      problems.add(
          field + " must list 1 to " + Limits.MAX_VALUES + " filters, has " + filters.size());
    }
    for (int i = 0; i < filters.size(); i++) {
      ImageWatermarkFilterSpec w = filters.get(i);
      String at = field + "[" + i + "]";
      if (w == null
          || (w.getWatermarkKey() == null
              && w.getSourceImageRegion() == null
              && w.getMaximumDaysSinceSourceImageCreated() == null
              && w.getMaximumDaysSinceWatermarkCreated() == null)) {
        problems.add(at + " must set at least one field");
        continue;
      }
      if (w.getWatermarkKey() != null
          && !matches(
              WATERMARK_KEY,
              w.getWatermarkKey(),
              Limits.MIN_WATERMARK_KEY_LENGTH,
              Limits.MAX_WATERMARK_KEY_LENGTH)) {
        problems.add(at + ".watermarkKey " + quote(w.getWatermarkKey()) + " is not accountId:name");
      }
      if (w.getSourceImageRegion() != null
          && !matches(REGION, w.getSourceImageRegion(), 1, Limits.MAX_REGION_LENGTH)) {
        problems.add(
            at
                + ".sourceImageRegion "
                + quote(w.getSourceImageRegion())
                + " is not an AWS Region name");
      }
      requireDays(
          at + ".maximumDaysSinceSourceImageCreated",
          w.getMaximumDaysSinceSourceImageCreated(),
          false,
          problems);
      requireDays(
          at + ".maximumDaysSinceWatermarkCreated",
          w.getMaximumDaysSinceWatermarkCreated(),
          false,
          problems);
    }
  }

  private static void validateValues(
      String field,
      List<String> values,
      Pattern pattern,
      int maxLength,
      String what,
      List<String> problems) {
    if (values.isEmpty() || values.size() > Limits.MAX_VALUES) {
      problems.add(
          field + " must list 1 to " + Limits.MAX_VALUES + " values, has " + values.size());
    }
    for (String value : values) {
      if (!matches(pattern, value, 1, maxLength)) {
        problems.add(field + ": " + quote(value) + " is not " + what);
      }
    }
  }

  private static void requireDays(
      String field, Integer days, boolean required, List<String> problems) {
    if (days == null) {
      if (required) {
        problems.add(field + " is required");
      }
    } else {
      requireRange(field, days, Limits.MAX_DAYS, problems);
    }
  }

  private static void requireRange(String field, int value, int max, List<String> problems) {
    if (value < 0 || value > max) {
      problems.add(field + " must be between 0 and " + max + ", was " + value);
    }
  }

  private static void validateAssumeRole(AssumeRoleSpec role, List<String> problems) {
    if (role == null) {
      return;
    }
    if (!matches(ROLE_ARN, role.getRoleArn(), 1, Integer.MAX_VALUE)) {
      problems.add(
          "spec.assumeRole.roleArn " + quote(role.getRoleArn()) + " is not an IAM role ARN");
    }
    String externalId = role.getExternalId();
    if (externalId != null
        && !matches(
            EXTERNAL_ID,
            externalId,
            Limits.MIN_EXTERNAL_ID_LENGTH,
            Limits.MAX_EXTERNAL_ID_LENGTH)) {
      // Never echo the external ID itself.
      problems.add(
          "spec.assumeRole.externalId must be "
              + Limits.MIN_EXTERNAL_ID_LENGTH
              + "-"
              + Limits.MAX_EXTERNAL_ID_LENGTH
              + " characters of letters, digits and +=,.@:/-");
    }
    String sessionName = role.getSessionName();
    if (sessionName != null
        && !matches(
            SESSION_NAME,
            sessionName,
            Limits.MIN_SESSION_NAME_LENGTH,
            Limits.MAX_SESSION_NAME_LENGTH)) {
      problems.add(
          "spec.assumeRole.sessionName "
              + quote(sessionName)
              + " must be "
              + Limits.MIN_SESSION_NAME_LENGTH
              + "-"
              + Limits.MAX_SESSION_NAME_LENGTH
              + " characters of letters, digits and _+=,.@-");
    }
  }

  /** A schema string check: pattern (Go's regexp is unanchored; ours are anchored) and length. */
  private static boolean matches(Pattern pattern, String value, int minLength, int maxLength) {
    return value != null
        && value.length() >= minLength
        && value.length() <= maxLength
        && pattern.matcher(value).matches();
  }
}
