package io.allowedami.simulator.criteria;

import java.util.regex.Pattern;

/** AWS's wildcard matching ({@code *} any sequence, {@code ?} one character) over a whole value. */
public final class GlobPattern {

  private final Pattern regex;

  private GlobPattern(Pattern regex) {
    this.regex = regex;
  }

  public static GlobPattern of(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    regex.append(Pattern.quote(literal.toString()));
    return new GlobPattern(Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  public static boolean matches(String glob, String value) {
    return value != null && of(glob).matches(value);
  }

  public boolean matches(String value) {
    return value != null && regex.matcher(value).matches();
  }
}
