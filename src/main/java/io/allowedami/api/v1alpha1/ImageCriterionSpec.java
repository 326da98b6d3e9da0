package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One criterion of AWS's full model (ImageCriterionRequest). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.imageProviders) || has(self.imageNames) || has(self.marketplaceProductCodes) ||"
            + " has(self.creationDateCondition) || has(self.deprecationTimeCondition) ||"
            + " has(self.imageWatermarks)",
    message = "a criterion must set at least one field",
    reason = "FieldValueRequired")
public class ImageCriterionSpec {

  @Size(min = 1, max = Limits.MAX_PROVIDERS)
  @ValidationRule(
      value = "!self.exists(p, p == 'none') || self.size() == 1",
      message = "'none' cannot be combined with other providers")
  @JsonPropertyDescription(
      "Image providers, any of which matches: 'amazon', 'aws-marketplace', 'aws-backup-vault', a"
          + " 12-digit account ID, or 'none' alone (no provider: only the account's own AMIs).")
  private List<@Pattern(Patterns.PROVIDER) @Size(min = 1, max = Limits.MAX_PROVIDER_LENGTH) String>
      imageProviders;

  @Size(min = 1, max = Limits.MAX_VALUES)
  @ValidationRule(
      value = "self.all(n, !n.contains('?') || n.size() >= 3)",
      message = "an image name that uses '?' must be at least 3 characters long")
  @JsonPropertyDescription(
      "Image names, any of which matches; exact names or wildcards '*' (any characters) and '?'"
          + " (one character). 1-128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _ *"
          + " ?.")
  private List<
          @Pattern(Patterns.IMAGE_NAME) @Size(min = 1, max = Limits.MAX_IMAGE_NAME_LENGTH) String>
      imageNames;

  @Size(min = 1, max = Limits.MAX_VALUES)
  @JsonPropertyDescription(
      "AWS Marketplace product codes, any of which matches: 1-25 letters and digits.")
  private List<
          @Pattern(Patterns.PRODUCT_CODE) @Size(min = 1, max = Limits.MAX_PRODUCT_CODE_LENGTH)
          String>
      marketplaceProductCodes;

  @JsonPropertyDescription("Matches images created at most this many days ago.")
  private CreationDateConditionSpec creationDateCondition;

  @JsonPropertyDescription(
      "Matches images that are not deprecated, or were deprecated at most this many days ago.")
  private DeprecationTimeConditionSpec deprecationTimeCondition;

  @Size(min = 1, max = Limits.MAX_VALUES)
  @JsonPropertyDescription(
      "Image watermark filters, any of which matches; all fields of one filter must match the same"
          + " watermark on the image.")
  private List<ImageWatermarkFilterSpec> imageWatermarks;

  public List<String> getImageProviders() {
    return imageProviders;
  }

  public void setImageProviders(List<String> imageProviders) {
    this.imageProviders = imageProviders;
  }

  public List<String> getImageNames() {
    return imageNames;
  }

  public void setImageNames(List<String> imageNames) {
    this.imageNames = imageNames;
  }

  public List<String> getMarketplaceProductCodes() {
    return marketplaceProductCodes;
  }

  public void setMarketplaceProductCodes(List<String> marketplaceProductCodes) {
    this.marketplaceProductCodes = marketplaceProductCodes;
  }

  public CreationDateConditionSpec getCreationDateCondition() {
    return creationDateCondition;
  }

  public void setCreationDateCondition(CreationDateConditionSpec creationDateCondition) {
    this.creationDateCondition = creationDateCondition;
  }

  public DeprecationTimeConditionSpec getDeprecationTimeCondition() {
    return deprecationTimeCondition;
  }

  public void setDeprecationTimeCondition(DeprecationTimeConditionSpec deprecationTimeCondition) {
    this.deprecationTimeCondition = deprecationTimeCondition;
  }

  public List<ImageWatermarkFilterSpec> getImageWatermarks() {
    return imageWatermarks;
  }

  public void setImageWatermarks(List<ImageWatermarkFilterSpec> imageWatermarks) {
    this.imageWatermarks = imageWatermarks;
  }
}
