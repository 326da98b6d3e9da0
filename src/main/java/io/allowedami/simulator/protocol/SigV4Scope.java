package io.allowedami.simulator.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caller's access key, Region and service, read from the SigV4 credential scope of the
 * Authorization header. Signatures themselves are not verified.
 */
public record SigV4Scope(String accessKeyId, String region, String service) {

  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "^AWS4-HMAC-SHA256\\s+.*?Credential=([A-Za-z0-9]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request[,\\s].*$",
          Pattern.DOTALL);

  public static Optional<SigV4Scope> parse(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    Matcher matcher = CREDENTIAL.matcher(authorization.trim() + ",");
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SigV4Scope(matcher.group(1), matcher.group(3), matcher.group(4)));
  }
}
