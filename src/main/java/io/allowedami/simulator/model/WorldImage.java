package io.allowedami.simulator.model;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** An AMI of the simulated world, in one Region, with everything criteria can match on. */
public record WorldImage(
    String imageId,
    String region,
    String ownerId,
    String ownerAlias,
    String name,
    Instant creationDate,
    Instant deprecationTime,
    List<String> productCodes,
    String state,
    Boolean isPublic,
    List<Watermark> watermarks) {

  public static final String AVAILABLE = "available";
  public static final String DEREGISTERED = "deregistered";

  /** A disabled AMI: DescribeImages lists it only with IncludeDisabled. */
  public static final String DISABLED = "disabled";

  public WorldImage {
    productCodes = productCodes == null ? List.of() : List.copyOf(productCodes);
    watermarks = watermarks == null ? List.of() : List.copyOf(watermarks);
    state = state == null ? AVAILABLE : state;
    isPublic = isPublic == null || isPublic;
    name = name == null ? imageId : name;
  }

  // AWS's IDs are ami- and 8 or 17 hex digits; worlds use readable ones (ami-golden,
  // ami-mkt-eu-west-1),
  // so the simulator only requires the prefix, then letters, digits and dashes.
  private static final Pattern ID = Pattern.compile("ami-[0-9a-zA-Z][0-9a-zA-Z-]{0,63}");

  /** Whether an image ID has a shape the simulator accepts (else InvalidAMIID.Malformed). */
  public static boolean isWellFormedId(String imageId) {
    return imageId != null && ID.matcher(imageId).matches();
  }

  public boolean deregistered() {
    return DEREGISTERED.equals(state);
  }

  public WorldImage deregister() {
    return new WorldImage(
        imageId,
        region,
        ownerId,
        ownerAlias,
        name,
        creationDate,
        deprecationTime,
        productCodes,
        DEREGISTERED,
        isPublic,
        watermarks);
  }

  public static Builder builder(String imageId, String region, String ownerId) {
    return new Builder(imageId, region, ownerId);
  }

  /** Builds images in tests and in the default world; unset fields get realistic defaults. */
  public static final class Builder {
    private final String imageId;
    private final String region;
    private final String ownerId;
    private String ownerAlias;
    private String name;
    private Instant creationDate = Instant.parse("2025-01-01T00:00:00Z");
    private Instant deprecationTime;
    private List<String> productCodes = List.of();
    private String state = AVAILABLE;
    private boolean isPublic = true;
    private List<Watermark> watermarks = List.of();

    private Builder(String imageId, String region, String ownerId) {
      this.imageId = imageId;
      this.region = region;
      this.ownerId = ownerId;
    }

    public Builder ownerAlias(String value) {
      ownerAlias = value;
      return this;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder creationDate(Instant value) {
      creationDate = value;
      return this;
    }

    public Builder deprecationTime(Instant value) {
      deprecationTime = value;
      return this;
    }

    public Builder productCodes(String... values) {
      productCodes = List.of(values);
      return this;
    }

    public Builder deregistered() {
      state = DEREGISTERED;
      return this;
    }

    public Builder isPublic(boolean value) {
      isPublic = value;
      return this;
    }

    public Builder watermarks(Watermark... values) {
      watermarks = List.of(values);
      return this;
    }

    public WorldImage build() {
      return new WorldImage(
          imageId,
          region,
          ownerId,
          ownerAlias,
          name,
          creationDate,
          deprecationTime,
          productCodes,
          state,
          isPublic,
          watermarks);
    }
  }
}
