package io.allowedami.domain;

import java.util.Objects;

/**
 * An error, classified once: {@link Kind#TERMINAL} needs a change to the spec, to permissions or to
 * an Organizations policy and is not retried before the next resync; {@link Kind#RECOVERABLE}
 * (throttling, 5xx, timeouts) is retried with backoff.
 */
public record Failure(Kind kind, String code, String message) {

  public enum Kind {
    TERMINAL("Terminal"),
    RECOVERABLE("Recoverable");

    private final String displayName;

    Kind(String displayName) {
      this.displayName = displayName;
    }

    public String displayName() {
      return displayName;
    }
  }

  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(code, "code");
    message = message == null ? code : message;
  }

  public static Failure terminal(String code, String message) {
    return new Failure(Kind.TERMINAL, code, message);
  }

  public static Failure recoverable(String code, String message) {
    return new Failure(Kind.RECOVERABLE, code, message);
  }

  public boolean isTerminal() {
    return kind == Kind.TERMINAL;
  }
}
