package io.allowedami.aws;

/** Hands out one gateway per account target; implementations cache clients and credentials. */
public interface AllowedImagesGatewayFactory extends AutoCloseable {

  AllowedImagesGateway forAccount(AccountTarget target);

  /** Whether a Region name is one AWS has: checked before any call is made for it. */
  default boolean isKnownRegion(String region) {
    return KnownRegions.isKnown(region);
  }

  @Override
  void close();
}
