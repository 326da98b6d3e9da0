package io.allowedami.simulator.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parameters of a Query-protocol request, with typed access to EC2's flattened lists ({@code
 * Name.1}, {@code Name.1.Field.2}); every malformed value becomes an AWS error.
 */
public final class QueryParams {

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  public static QueryParams parseForm(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return new QueryParams(values);
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (values.putIfAbsent(name, value) != null) {
        throw new ApiException(
            400, "MalformedQueryString", "The parameter " + name + " is repeated");
      }
    }
    return new QueryParams(values);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400, "MalformedQueryString", "The query string is not properly URL-encoded");
    }
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw ApiException.missingParameter(name);
    }
    return value;
  }

  public boolean flag(String name) {
    return get(name).map(v -> parseBoolean(name, v)).orElse(false);
  }

  private static boolean parseBoolean(String name, String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw ApiException.invalidParameterValue(
        "Value (" + value + ") for parameter " + name + " is invalid. Expected a boolean.");
  }

  public Optional<Integer> integer(String name) {
    return get(name)
        .map(
            v -> {
              try {
                return Integer.parseInt(v.trim());
              } catch (NumberFormatException e) {
                throw ApiException.invalidParameterValue(
                    "Value ("
                        + v
                        + ") for parameter "
                        + name
                        + " is invalid. Expected an integer.");
              }
            });
  }

  /** The values of the flattened list {@code name.1 .. name.N}, in index order. */
  public List<String> list(String name) {
    List<String> result = new ArrayList<>();
    for (Map.Entry<Integer, String> entry : indexedKeys(name).entrySet()) {
      String value = values.get(entry.getValue());
      if (value == null) {
        throw ApiException.invalidParameterValue(
            "The parameter " + entry.getValue() + " must have a value");
      }
      result.add(value);
    }
    return result;
  }

  /** The members of the flattened list of structures {@code name.N.Field}, in index order. */
  public List<QueryParams> structs(String name) {
    List<QueryParams> result = new ArrayList<>();
    for (String prefix : indexedKeys(name).values()) {
      result.add(struct(prefix));
    }
    return result;
  }

  /** The fields of the structure {@code name.Field}, or empty when none is present. */
  public Optional<QueryParams> structOrEmpty(String name) {
    QueryParams struct = struct(name);
    return struct.values.isEmpty() ? Optional.empty() : Optional.of(struct);
  }

  /**
   * Answers UnknownParameter for any parameter whose first name segment is not in {@code known}.
   */
  public QueryParams rejectUnknown(Set<String> known) {
    values.keySet().stream()
        .filter(k -> !known.contains(k.contains(".") ? k.substring(0, k.indexOf('.')) : k))
        .findFirst()
        .ifPresent(
            k -> {
              throw new ApiException(
                  400, "UnknownParameter", "The parameter " + k + " is not recognized");
            });
    return this;
  }

  /**
   * A fingerprint of every parameter but the excluded ones, to bind pagination tokens to a query.
   */
  public String fingerprint(List<String> excluded) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(values)
        .forEach(
            (k, v) -> {
              if (!excluded.contains(k)) {
                text.append(k).append('=').append(v).append('&');
              }
            });
    return Integer.toHexString(text.toString().hashCode());
  }

  private QueryParams struct(String prefix) {
    String dotted = prefix + ".";
    Map<String, String> fields = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(dotted)) {
            fields.put(k.substring(dotted.length()), v);
          }
        });
    return new QueryParams(fields);
  }

  /**
   * Maps each index N of {@code name.N[.…]} to the key prefix {@code name.N}, rejecting bad
   * indexes.
   */
  private Map<Integer, String> indexedKeys(String name) {
    String dotted = name + ".";
    Map<Integer, String> indexes = new TreeMap<>();
    for (String key : values.keySet()) {
      if (!key.startsWith(dotted)) {
        continue;
      }
      String rest = key.substring(dotted.length());
      String index = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
      indexes.put(parseIndex(name, index), dotted + index);
    }
    return indexes;
  }

  private static int parseIndex(String name, String index) {
    try {
      int value = Integer.parseInt(index);
      if (value >= 1 && index.charAt(0) != '0' && index.charAt(0) != '+') {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalidParameterValue(
        "The list index '" + index + "' of parameter " + name + " is invalid");
  }
}
