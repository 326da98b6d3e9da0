package io.allowedami.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes label selector that picks the policies this deployment reconciles, so that a large
 * fleet can be sharded across deployments. Checked at start with the grammar of the Kubernetes API
 * (apimachinery's labels.Parse), so that a typo stops the operator with a clear message instead of
 * silently matching nothing.
 */
public record PolicySelector(String expression) {
  private static final String NAME = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)";
  private static final String PREFIX =
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)";
  private static final String KEY = "((" + PREFIX + "/)?" + NAME + ")";
  private static final String VALUE = "(" + NAME + "?)";
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*" + KEY + "\\s*");
  private static final Pattern EQUALITY =
      Pattern.compile("\\s*" + KEY + "\\s*(==|!=|=)\\s*" + VALUE + "\\s*");
  private static final Pattern SET =
      Pattern.compile("\\s*" + KEY + "\\s+(in|notin)\\s*\\((.*)\\)\\s*");
  private static final Pattern ORDER = Pattern.compile("\\s*" + KEY + "\\s*([<>])\\s*-?\\d+\\s*");
  private static final Pattern SET_VALUE = Pattern.compile("\\s*" + VALUE + "\\s*");
  private static final int MAX_PREFIX = 253;

  public PolicySelector {
    Objects.requireNonNull(expression, "expression");
  }

  /** Every policy: no selector. */
  public static PolicySelector all() {
    return new PolicySelector("");
  }

  /**
   * Reads a selector such as {@code shard=a}, {@code tier in (gold,silver),!legacy}; null or blank
   * means every policy.
   *
   * @throws IllegalArgumentException naming the requirement that is not valid
   */
  public static PolicySelector parse(String text) {
    if (text == null || text.isBlank()) {
      return all();
    }
    for (String requirement : requirements(text)) {
      if (!valid(requirement)) {
        throw new IllegalArgumentException(
            "'"
                + requirement.strip()
                + "' is not a label selector requirement: use key, !key, key=value, key!=value,"
                + " key in (v1,v2) or key notin (v1,v2), separated by commas; keys and values are"
                + " Kubernetes label names (at most 63 characters, alphanumeric, '-', '_', '.')");
      }
    }
    return new PolicySelector(text.strip());
  }

  public boolean selectsAll() {
    return expression.isEmpty();
  }

  @Override
  public String toString() {
    return selectsAll() ? "every policy" : "policies matching '" + expression + "'";
  }

  /** Splits on the commas that separate requirements, not those inside {@code in (a,b)}. */
  private static List<String> requirements(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static boolean valid(String requirement) {
    Matcher m;
    if ((m = EXISTS.matcher(requirement)).matches()) {
      return prefixFits(m.group(2));
    }
    if ((m = EQUALITY.matcher(requirement)).matches()) {
      return prefixFits(m.group(1));
    }
    if ((m = ORDER.matcher(requirement)).matches()) {
      return prefixFits(m.group(1));
    }
    if ((m = SET.matcher(requirement)).matches()) {
      String values = m.group(m.groupCount());
      if (!prefixFits(m.group(1)) || values.isBlank()) {
        return false;
      }
      for (String value : values.split(",", -1)) {
        if (!SET_VALUE.matcher(value).matches()) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean prefixFits(String key) {
    int slash = key.indexOf('/');
    return slash <= MAX_PREFIX;
  }
}
