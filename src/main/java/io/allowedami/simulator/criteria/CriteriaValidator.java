package io.allowedami.simulator.criteria;

import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.WatermarkFilter;
import io.allowedami.simulator.protocol.ApiException;
import java.util.List;
import java.util.regex.Pattern;

/** AWS's input validation and limits for ReplaceImageCriteriaInAllowedImagesSettings. */
public final class CriteriaValidator {

  public static final int MAX_CRITERIA = 10;
  public static final int MAX_PROVIDERS = 200;
  public static final int MAX_VALUES = 50;

  private static final Pattern PROVIDER =
      Pattern.compile("amazon|aws-marketplace|aws-backup-vault|none|\\d{12}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 ()\\[\\]./\\-'@_*?]{1,128}");
  private static final Pattern PRODUCT_CODE = Pattern.compile("[A-Za-z0-9]{1,25}");
  private static final Pattern WATERMARK_KEY =
      Pattern.compile("[A-Za-z0-9*?]{1,12}:[A-Za-z0-9 ()\\[\\]./\\-'@_*?]{1,128}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  private CriteriaValidator() {}

  public static void validate(List<Criterion> criteria) {
    if (criteria.size() > MAX_CRITERIA) {
      throw invalid(
          "The number of image criteria ("
              + criteria.size()
              + ") exceeds the limit of "
              + MAX_CRITERIA);
    }
    criteria.forEach(CriteriaValidator::validate);
  }

  private static void validate(Criterion criterion) {
    if (criterion.isEmpty()) {
      throw invalid(
          "An image criterion must specify at least one of ImageProviders, ImageNames,"
              + " MarketplaceProductCodes, CreationDateCondition, DeprecationTimeCondition or"
              + " ImageWatermarks");
    }
    checkValues(
        "ImageProviders",
        criterion.imageProviders(),
        MAX_PROVIDERS,
        PROVIDER,
        "must be amazon, aws-marketplace, aws-backup-vault, none or a 12-digit account ID");
    if (criterion.imageProviders().contains(ImageAllowance.PROVIDER_NONE)
        && criterion.imageProviders().size() > 1) {
      throw invalid("The image provider 'none' cannot be combined with other image providers");
    }
    checkValues(
        "ImageNames",
        criterion.imageNames(),
        MAX_VALUES,
        NAME,
        "must be 1-128 letters, digits, spaces or ( ) [ ] . / - ' @ _ * ?");
    criterion.imageNames().stream()
        .filter(n -> n.contains("?") && n.length() < 3)
        .findFirst()
        .ifPresent(
            n -> {
              throw invalid(
                  "The image name '" + n + "' must be at least 3 characters when it contains '?'");
            });
    checkValues(
        "MarketplaceProductCodes",
        criterion.marketplaceProductCodes(),
        MAX_VALUES,
        PRODUCT_CODE,
        "must be 1-25 letters and digits");
    checkDays("CreationDateCondition.MaximumDaysSinceCreated", criterion.maximumDaysSinceCreated());
    checkDays(
        "DeprecationTimeCondition.MaximumDaysSinceDeprecated",
        criterion.maximumDaysSinceDeprecated());
    if (criterion.imageWatermarks().size() > MAX_VALUES) {
      throw tooMany("ImageWatermarks", criterion.imageWatermarks().size(), MAX_VALUES);
    }
    criterion.imageWatermarks().forEach(CriteriaValidator::validate);
  }

  private static void validate(WatermarkFilter filter) {
    if (filter.isEmpty()) {
      throw invalid("An image watermark filter must specify at least one field");
    }
    if (filter.watermarkKey() != null && !WATERMARK_KEY.matcher(filter.watermarkKey()).matches()) {
      throw invalid(
          "The watermark key '" + filter.watermarkKey() + "' must have the form accountId:name");
    }
    if (filter.sourceImageRegion() != null
        && !REGION.matcher(filter.sourceImageRegion()).matches()) {
      throw invalid(
          "The source image Region '" + filter.sourceImageRegion() + "' is not a Region name");
    }
    checkDays(
        "ImageWatermark.MaximumDaysSinceSourceImageCreated",
        filter.maximumDaysSinceSourceImageCreated());
    checkDays(
        "ImageWatermark.MaximumDaysSinceWatermarkCreated",
        filter.maximumDaysSinceWatermarkCreated());
  }

  private static void checkValues(
      String field, List<String> values, int limit, Pattern pattern, String rule) {
    if (values.size() > limit) {
      throw tooMany(field, values.size(), limit);
    }
    values.stream()
        .filter(v -> !pattern.matcher(v).matches())
        .findFirst()
        .ifPresent(
            v -> {
              throw invalid("The value '" + v + "' for " + field + " is invalid: it " + rule);
            });
  }

  private static void checkDays(String field, Integer days) {
    if (days != null && days < 0) {
      throw invalid("The value " + days + " for " + field + " is invalid: it must be 0 or more");
    }
  }

  private static ApiException tooMany(String field, int count, int limit) {
    return invalid(
        "The number of values for " + field + " (" + count + ") exceeds the limit of " + limit);
  }

  private static ApiException invalid(String message) {
    return ApiException.invalidParameterValue(message);
  }
}
