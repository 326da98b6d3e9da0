package io.allowedami.reconcile;

import java.util.List;

/**
 * Keeps what the operator writes into conditions, Events and logs bounded, whatever the input: a
 * spec can carry a 10,000-character value, and echoing it whole would bloat status and Events.
 */
public final class Messages {
  /** The most characters of a message in a condition or an Event. */
  public static final int MAX_MESSAGE = 1024;

  /** The most characters of one value quoted from a spec. */
  public static final int MAX_QUOTED = 64;

  /** The most problems listed in one message. */
  static final int MAX_PROBLEMS = 10;

  private Messages() {}

  /** {@code text}, cut to {@link #MAX_MESSAGE} characters with a note saying so. */
  public static String bounded(String text) {
    return cut(text, MAX_MESSAGE);
  }

  /** A value from a spec, quoted and cut to {@link #MAX_QUOTED} characters. */
  public static String quote(Object value) {
    return value == null ? "null" : "'" + cut(String.valueOf(value), MAX_QUOTED) + "'";
  }

  /** The first {@link #MAX_PROBLEMS} problems joined, with a count of those left out. */
  public static String join(List<String> problems) {
    if (problems.size() <= MAX_PROBLEMS) {
      return String.join("; ", problems);
    }
    return String.join("; ", problems.subList(0, MAX_PROBLEMS))
        + "; and "
        + (problems.size() - MAX_PROBLEMS)
        + " more";
  }

  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    // Room for the note: "… (1234567 characters cut)" is at most 30 characters.
    int keep = Math.max(0, max - 30);
    // Never cut a surrogate pair in two.
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    String note = "… (" + (text.length() - keep) + " characters cut)";
    return text.substring(0, keep) + note;
  }
}
