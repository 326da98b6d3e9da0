package io.allowedami.aws;

import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.CreationDateConditionRequest;
import software.amazon.awssdk.services.ec2.model.DeprecationTimeConditionRequest;
import software.amazon.awssdk.services.ec2.model.ImageCriterionRequest;
import software.amazon.awssdk.services.ec2.model.ImageWatermarkFilterRequest;

/** Translates criteria between the SDK's model and the project's canonical domain types. */
final class CriteriaMapping {
  private CriteriaMapping() {}

  static ImageCriteria fromSdk(List<software.amazon.awssdk.services.ec2.model.ImageCriterion> sdk) {
    return ImageCriteria.of(sdk.stream().map(CriteriaMapping::fromSdk).toList());
  }

  private static ImageCriterion fromSdk(
      software.amazon.awssdk.services.ec2.model.ImageCriterion c) {
    return new ImageCriterion(
        c.hasImageProviders() ? c.imageProviders() : List.of(),
        c.hasImageNames() ? c.imageNames() : List.of(),
        c.hasMarketplaceProductCodes() ? c.marketplaceProductCodes() : List.of(),
        c.creationDateCondition() == null
            ? null
            : c.creationDateCondition().maximumDaysSinceCreated(),
        c.deprecationTimeCondition() == null
            ? null
            : c.deprecationTimeCondition().maximumDaysSinceDeprecated(),
        c.hasImageWatermarks()
            ? c.imageWatermarks().stream()
                .map(
                    w ->
                        new WatermarkFilter(
                            w.watermarkKey(),
                            w.sourceImageRegion(),
                            w.maximumDaysSinceSourceImageCreated(),
                            w.maximumDaysSinceWatermarkCreated()))
                .toList()
            : List.of());
  }

  static List<ImageCriterionRequest> toSdk(ImageCriteria criteria) {
    return criteria.criteria().stream().map(CriteriaMapping::toSdk).toList();
  }

  private static ImageCriterionRequest toSdk(ImageCriterion c) {
    ImageCriterionRequest.Builder b = ImageCriterionRequest.builder();
    if (!c.imageProviders().isEmpty()) {
      b.imageProviders(c.imageProviders());
    }
    if (!c.imageNames().isEmpty()) {
      b.imageNames(c.imageNames());
    }
    if (!c.marketplaceProductCodes().isEmpty()) {
      b.marketplaceProductCodes(c.marketplaceProductCodes());
    }
    if (c.maximumDaysSinceCreated() != null) {
      b.creationDateCondition(
          CreationDateConditionRequest.builder()
              .maximumDaysSinceCreated(c.maximumDaysSinceCreated())
              .build());
    }
    if (c.maximumDaysSinceDeprecated() != null) {
      b.deprecationTimeCondition(
          DeprecationTimeConditionRequest.builder()
              .maximumDaysSinceDeprecated(c.maximumDaysSinceDeprecated())
              .build());
    }
    if (!c.imageWatermarks().isEmpty()) {
      b.imageWatermarks(
          c.imageWatermarks().stream()
              .map(
                  w ->
                      ImageWatermarkFilterRequest.builder()
                          .watermarkKey(w.watermarkKey())
                          .sourceImageRegion(w.sourceImageRegion())
                          .maximumDaysSinceSourceImageCreated(
                              w.maximumDaysSinceSourceImageCreated())
                          .maximumDaysSinceWatermarkCreated(w.maximumDaysSinceWatermarkCreated())
                          .build())
              .toList());
    }
    return b.build();
  }
}
