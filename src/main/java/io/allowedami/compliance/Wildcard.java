package io.allowedami.compliance;

/**
 * AWS's name wildcards without regular expressions, so that {@code . ( [} and the like in a name
 * are plain characters: {@code *} matches any run of characters (also none), {@code ?} exactly one;
 * the pattern must cover the whole text.
 */
final class Wildcard {

  private Wildcard() {}

  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int lastStar = -1;
    int textAtLastStar = 0;
    while (t < text.length()) {
      // '*' first: it is a wildcard even where the text holds a '*' itself.
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        lastStar = p++;
        textAtLastStar = t;
      } else if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (lastStar >= 0) {
        p = lastStar + 1;
        t = ++textAtLastStar;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
