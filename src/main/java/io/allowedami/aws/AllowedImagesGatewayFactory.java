package io.allowedami.aws;

/** Hands out one gateway per account target; implementations cache clients and credentials. */
public interface AllowedImagesGatewayFactory extends AutoCloseable {

  AllowedImagesGateway forAccount(AccountTarget target);

  @Override
  void close();
}
