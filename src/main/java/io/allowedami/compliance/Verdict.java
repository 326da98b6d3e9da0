package io.allowedami.compliance;

import java.util.Collection;
import java.util.function.Function;

/**
 * Whether an image is allowed, in three-valued (Kleene) logic: what the data cannot decide stays
 * {@link #UNKNOWN} instead of being guessed. Also the reading of AWS's {@code ImageAllowed} (true,
 * false, or absent).
 */
public enum Verdict {
  ALLOWED,
  NOT_ALLOWED,
  UNKNOWN;

  public static Verdict of(boolean allowed) {
    return allowed ? ALLOWED : NOT_ALLOWED;
  }

  /** AWS's {@code ImageAllowed}: absent (for example in a disabled Region) is unknown, not true. */
  public static Verdict ofReported(Boolean imageAllowed) {
    return imageAllowed == null ? UNKNOWN : of(imageAllowed);
  }

  public boolean isDefinite() {
    return this != UNKNOWN;
  }

  public Verdict or(Verdict other) {
    if (this == ALLOWED || other == ALLOWED) {
      return ALLOWED;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : NOT_ALLOWED;
  }

  public Verdict and(Verdict other) {
    if (this == NOT_ALLOWED || other == NOT_ALLOWED) {
      return NOT_ALLOWED;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : ALLOWED;
  }

  /** Kleene OR over {@code values}; {@link #NOT_ALLOWED} when there are none. */
  public static <T> Verdict any(Collection<T> values, Function<? super T, Verdict> test) {
    Verdict result = NOT_ALLOWED;
    for (T value : values) {
      result = result.or(test.apply(value));
      if (result == ALLOWED) {
        break;
      }
    }
    return result;
  }

  /** Kleene AND over {@code values}; {@link #ALLOWED} when there are none. */
  public static <T> Verdict all(Collection<T> values, Function<? super T, Verdict> test) {
    Verdict result = ALLOWED;
    for (T value : values) {
      result = result.and(test.apply(value));
      if (result == NOT_ALLOWED) {
        break;
      }
    }
    return result;
  }
}
