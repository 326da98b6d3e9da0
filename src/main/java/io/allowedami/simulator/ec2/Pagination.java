package io.allowedami.simulator.ec2;

import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.QueryParams;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keyset pagination with opaque NextTokens: a token names the last key returned and is bound to the
 * query it came from, so pages stay consistent while items come and go, and foreign tokens are
 * rejected.
 */
final class Pagination {

  /** One page of items and the token for the next, if any. */
  record Page<T>(List<T> items, String nextToken) {}

  private static final String VERSION = "v1";
  private static final List<String> PAGING_PARAMETERS =
      List.of("NextToken", "MaxResults", "DryRun");

  private Pagination() {}

  /** Pages items sorted by {@code key}, validating MaxResults within min..max (default max). */
  static <T> Page<T> page(
      List<T> sortedItems, Function<T, String> key, QueryParams params, int min, int max) {
    int maxResults = params.integer("MaxResults").orElse(max);
    if (maxResults < min || maxResults > max) {
      throw ApiException.invalidParameterValue(
          "Value ("
              + maxResults
              + ") for parameter MaxResults is invalid. "
              + "Expected a value between "
              + min
              + " and "
              + max
              + ".");
    }
    String fingerprint = params.fingerprint(PAGING_PARAMETERS);
    Optional<String> after = params.get("NextToken").map(token -> decode(token, fingerprint));
    List<T> remaining =
        after
            .map(
                last -> sortedItems.stream().filter(i -> key.apply(i).compareTo(last) > 0).toList())
            .orElse(sortedItems);
    if (remaining.size() <= maxResults) {
      return new Page<>(remaining, null);
    }
    List<T> items = remaining.subList(0, maxResults);
    return new Page<>(items, encode(fingerprint, key.apply(items.get(items.size() - 1))));
  }

  private static String encode(String fingerprint, String lastKey) {
    String text = VERSION + "|" + fingerprint + "|" + lastKey;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token, String fingerprint) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 3);
      if (parts.length == 3
          && parts[0].equals(VERSION)
          && parts[1].equals(fingerprint)
          && !parts[2].isEmpty()) {
        return parts[2];
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw ApiException.invalidParameterValue(
        "The NextToken is invalid or does not belong to this request");
  }
}
