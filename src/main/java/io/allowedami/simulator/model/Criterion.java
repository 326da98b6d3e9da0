package io.allowedami.simulator.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One image criterion of the Allowed AMIs setting: the fields it sets are ANDed, the values of a
 * list ORed.
 */
public record Criterion(
    List<String> imageProviders,
    List<String> imageNames,
    List<String> marketplaceProductCodes,
    Integer maximumDaysSinceCreated,
    Integer maximumDaysSinceDeprecated,
    List<WatermarkFilter> imageWatermarks) {

  public Criterion {
    imageProviders = imageProviders == null ? List.of() : List.copyOf(imageProviders);
    imageNames = imageNames == null ? List.of() : List.copyOf(imageNames);
    marketplaceProductCodes =
        marketplaceProductCodes == null ? List.of() : List.copyOf(marketplaceProductCodes);
    imageWatermarks = imageWatermarks == null ? List.of() : List.copyOf(imageWatermarks);
  }

  public static Criterion ofProviders(String... providers) {
    return builder().providers(providers).build();
  }

  @JsonIgnore
  public boolean isEmpty() {
    return imageProviders.isEmpty()
        && imageNames.isEmpty()
        && marketplaceProductCodes.isEmpty()
        && maximumDaysSinceCreated == null
        && maximumDaysSinceDeprecated == null
        && imageWatermarks.isEmpty();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds criteria in tests and in the default world without positional arguments. */
  public static final class Builder {
    private List<String> providers = List.of();
    private List<String> names = List.of();
    private List<String> productCodes = List.of();
    private Integer maxDaysSinceCreated;
    private Integer maxDaysSinceDeprecated;
    private List<WatermarkFilter> watermarks = List.of();

    public Builder providers(String... values) {
      providers = List.of(values);
      return this;
    }

    public Builder names(String... values) {
      names = List.of(values);
      return this;
    }

    public Builder productCodes(String... values) {
      productCodes = List.of(values);
      return this;
    }

    public Builder maxDaysSinceCreated(Integer days) {
      maxDaysSinceCreated = days;
      return this;
    }

    public Builder maxDaysSinceDeprecated(Integer days) {
      maxDaysSinceDeprecated = days;
      return this;
    }

    public Builder watermarks(WatermarkFilter... values) {
      watermarks = List.of(values);
      return this;
    }

    public Criterion build() {
      return new Criterion(
          providers, names, productCodes, maxDaysSinceCreated, maxDaysSinceDeprecated, watermarks);
    }
  }
}
