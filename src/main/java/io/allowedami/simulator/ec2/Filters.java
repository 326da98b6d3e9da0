package io.allowedami.simulator.ec2;

import io.allowedami.simulator.criteria.GlobPattern;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.QueryParams;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * EC2's {@code Filter.N.Name / Filter.N.Value.M} filters over one kind of item: filters are ANDed,
 * values ORed, values may use {@code *} and {@code ?}; unknown filter names are rejected.
 */
final class Filters<T> {

  private final Map<String, Function<T, Collection<String>>> attributes = new LinkedHashMap<>();
  private BiFunction<T, String, Collection<String>> tagValues;

  Filters<T> attribute(String name, Function<T, Collection<String>> values) {
    attributes.put(name, values);
    return this;
  }

  Filters<T> single(String name, Function<T, String> value) {
    return attribute(
        name,
        item -> {
          String v = value.apply(item);
          return v == null ? List.of() : List.of(v);
        });
  }

  /** Supports {@code tag:<key>} filters with the item's value for a tag key. */
  Filters<T> tags(BiFunction<T, String, Collection<String>> valuesForKey) {
    tagValues = valuesForKey;
    return this;
  }

  Predicate<T> parse(QueryParams params) {
    Predicate<T> all = item -> true;
    for (QueryParams filter : params.structs("Filter")) {
      filter.rejectUnknown(Set.of("Name", "Value"));
      String name = filter.required("Name");
      List<GlobPattern> values = filter.list("Value").stream().map(GlobPattern::of).toList();
      if (values.isEmpty()) {
        throw ApiException.invalidParameterValue(
            "The filter '" + name + "' must have at least one value");
      }
      Function<T, Collection<String>> attribute = attributeFor(name);
      all =
          all.and(
              item ->
                  attribute.apply(item).stream()
                      .anyMatch(v -> values.stream().anyMatch(p -> p.matches(v))));
    }
    return all;
  }

  private Function<T, Collection<String>> attributeFor(String name) {
    if (tagValues != null && name.startsWith("tag:") && name.length() > 4) {
      String key = name.substring(4);
      return item -> tagValues.apply(item, key);
    }
    Function<T, Collection<String>> attribute = attributes.get(name);
    if (attribute == null) {
      throw ApiException.invalidParameterValue("The filter '" + name + "' is invalid");
    }
    return attribute;
  }
}
