package io.allowedami.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens an OpenAPI schema into its nodes keyed by path, so tests can name the exact schema node
 * they complain about: {@code spec.imageCriteria[].imageNames[]} is an item of a list, {@code
 * metadata.labels{}} a value of a map, {@code ""} the root.
 */
public final class SchemaNodes {
  private SchemaNodes() {}

  /** Every schema node under (and including) {@code schema}, in document order. */
  public static Map<String, JsonNode> byPath(JsonNode schema) {
    Map<String, JsonNode> nodes = new LinkedHashMap<>();
    collect("", schema, nodes);
    return nodes;
  }

  /**
   * True when the path names a property (what kubectl explain lists), not the root, an item or a
   * map value.
   */
  public static boolean isProperty(String path) {
    return !path.isEmpty() && !path.endsWith("[]") && !path.endsWith("{}");
  }

  private static void collect(String path, JsonNode schema, Map<String, JsonNode> nodes) {
    nodes.put(path, schema);
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      collect(
          path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
          property.getValue(),
          nodes);
    }
    if (schema.path("items").isObject()) {
      collect(path + "[]", schema.get("items"), nodes);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(path + "{}", schema.get("additionalProperties"), nodes);
    }
  }
}
