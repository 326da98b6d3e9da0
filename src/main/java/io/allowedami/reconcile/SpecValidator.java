package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.ImageWatermarkFilterSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reconciler's own check of a spec, the same rules as the CRD schema and its CEL rules. It
 * exists because the schema can be bypassed (an old CRD, a cluster without CEL, a hand-edited
 * object), and a bad spec must never reach AWS.
 */
public final class SpecValidator {
  static final int MAX_CRITERIA = 10;
  static final int MAX_PROVIDERS = 200;
  static final int MAX_VALUES = 50;
  static final int MAX_REGIONS = 40;

  private static final Pattern REGION = Pattern.compile(Patterns.REGION);
  private static final Pattern PROVIDER = Pattern.compile(Patterns.PROVIDER);
  private static final Pattern IMAGE_NAME = Pattern.compile(Patterns.IMAGE_NAME);
  private static final Pattern PRODUCT_CODE = Pattern.compile(Patterns.PRODUCT_CODE);
  private static final Pattern WATERMARK_KEY = Pattern.compile(Patterns.WATERMARK_KEY);
  private static final Pattern ROLE_ARN = Pattern.compile(Patterns.ROLE_ARN);
  private static final Pattern EXTERNAL_ID = Pattern.compile(Patterns.EXTERNAL_ID);
  private static final Pattern DURATION = Pattern.compile(Patterns.DURATION);

  private SpecValidator() {}

  /** Returns the problems found, each naming the field; empty when the spec is valid. */
  public static List<String> validate(AllowedAmiPolicySpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is required");
      return problems;
    }
    if (spec.getMode() == null) {
      problems.add("spec.mode is required: one of enabled, audit-mode, disabled");
    } else if (Mode.fromValue(spec.getMode()).isEmpty()) {
      problems.add(
          "spec.mode '" + spec.getMode() + "' is not one of enabled, audit-mode, disabled");
    }
    Mode mode = spec.getMode() == null ? null : Mode.fromValue(spec.getMode()).orElse(null);
    validateRegions(spec.getRegions(), problems);
    boolean hasProviders = spec.getProviders() != null;
    boolean hasCriteria = spec.getImageCriteria() != null;
    if (hasProviders && hasCriteria) {
      problems.add("set either spec.providers or spec.imageCriteria, not both");
    }
    if (!hasProviders && !hasCriteria && mode != null && mode != Mode.DISABLED) {
      problems.add(
          "mode " + mode.state().wireValue() + " needs spec.providers or spec.imageCriteria");
    }
    if (hasProviders) {
      validateProviders("spec.providers", spec.getProviders(), problems);
    }
    if (hasCriteria) {
      validateCriteria(spec.getImageCriteria(), problems);
    }
    if (spec.getResyncInterval() != null && !DURATION.matcher(spec.getResyncInterval()).matches()) {
      problems.add(
          "spec.resyncInterval '"
              + spec.getResyncInterval()
              + "' is not a duration such as 30s, 5m or 1h");
    }
    validateAssumeRole(spec.getAssumeRole(), problems);
    if (spec.getRollout() != null
        && spec.getRollout().getMaxBlockedInstances() != null
        && spec.getRollout().getMaxBlockedInstances() < 0) {
      problems.add("spec.rollout.maxBlockedInstances must be 0 or more");
    }
    if (spec.getCompliance() != null && spec.getCompliance().getSampleSize() != null) {
      int size = spec.getCompliance().getSampleSize();
      if (size < 0 || size > 50) {
        problems.add("spec.compliance.sampleSize must be between 0 and 50, was " + size);
      }
    }
    return problems;
  }

  private static void validateRegions(List<String> regions, List<String> problems) {
    if (regions == null || regions.isEmpty()) {
      problems.add("spec.regions must list at least one Region");
      return;
    }
    if (regions.size() > MAX_REGIONS) {
      problems.add(
          "spec.regions lists "
              + regions.size()
              + " Regions; at most "
              + MAX_REGIONS
              + " are allowed");
    }
    var seen = new HashSet<String>();
    for (String region : regions) {
      if (region == null || !REGION.matcher(region).matches()) {
        problems.add("spec.regions: '" + region + "' is not an AWS Region name such as us-east-1");
      } else if (!seen.add(region)) {
        problems.add("spec.regions: '" + region + "' is listed more than once");
      }
    }
  }

  private static void validateProviders(
      String field, List<String> providers, List<String> problems) {
    if (providers.isEmpty()) {
      problems.add(field + " must not be empty");
      return;
    }
    if (providers.size() > MAX_PROVIDERS) {
      problems.add(
          field + " lists " + providers.size() + " providers; AWS allows at most " + MAX_PROVIDERS);
    }
    for (String provider : providers) {
      if (provider == null || !PROVIDER.matcher(provider).matches()) {
        problems.add(
            field
                + ": '"
                + provider
                + "' is not a provider: use amazon, aws-marketplace, aws-backup-vault,"
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
    if (criteria.size() > MAX_CRITERIA) {
      problems.add(
          "spec.imageCriteria has "
              + criteria.size()
              + " criteria; AWS allows at most "
              + MAX_CRITERIA);
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
          "an image name (1-128 characters of"
              + " letters, digits, spaces and ( ) [ ] . / - ' @ _ * ?)",
          problems);
      for (String name : c.getImageNames()) {
        if (name != null && name.contains("?") && name.length() < 3) {
          problems.add(
              field
                  + ".imageNames: '"
                  + name
                  + "' uses '?' and must be at least 3 characters long");
        }
      }
    }
    if (c.getMarketplaceProductCodes() != null) {
      validateValues(
          field + ".marketplaceProductCodes",
          c.getMarketplaceProductCodes(),
          PRODUCT_CODE,
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
    if (filters.isEmpty() || filters.size() > MAX_VALUES) {
      problems.add(field + " must list 1 to " + MAX_VALUES + " filters, has " + filters.size());
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
      if (w.getWatermarkKey() != null && !WATERMARK_KEY.matcher(w.getWatermarkKey()).matches()) {
        problems.add(at + ".watermarkKey '" + w.getWatermarkKey() + "' is not accountId:name");
      }
      if (w.getSourceImageRegion() != null && !REGION.matcher(w.getSourceImageRegion()).matches()) {
        problems.add(
            at + ".sourceImageRegion '" + w.getSourceImageRegion() + "' is not an AWS Region name");
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
      String field, List<String> values, Pattern pattern, String what, List<String> problems) {
    if (values.isEmpty() || values.size() > MAX_VALUES) {
      problems.add(field + " must list 1 to " + MAX_VALUES + " values, has " + values.size());
    }
    for (String value : values) {
      if (value == null || !pattern.matcher(value).matches()) {
        problems.add(field + ": '" + value + "' is not " + what);
      }
    }
  }

  private static void requireDays(
      String field, Integer days, boolean required, List<String> problems) {
    if (days == null) {
      if (required) {
        problems.add(field + " is required");
      }
    } else if (days < 0) {
      problems.add(field + " must be 0 or more, was " + days);
    }
  }

  private static void validateAssumeRole(AssumeRoleSpec role, List<String> problems) {
    if (role == null) {
      return;
    }
    if (role.getRoleArn() == null || !ROLE_ARN.matcher(role.getRoleArn()).matches()) {
      problems.add("spec.assumeRole.roleArn '" + role.getRoleArn() + "' is not an IAM role ARN");
    }
    String externalId = role.getExternalId();
    if (externalId != null
        && (externalId.length() < 2
            || externalId.length() > 1224
            || !EXTERNAL_ID.matcher(externalId).matches())) {
      // Never echo the external ID itself.
      problems.add(
          "spec.assumeRole.externalId must be 2-1224 characters of letters, digits and +=,.@:/-");
    }
  }
}
