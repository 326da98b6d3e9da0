package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether the operator writes to AWS for a policy: a separate word from {@code mode}, which is
 * AWS's own state, so that "watch before acting" never reads like a setting sent to EC2.
 */
public enum Enforcement {
  /** Converge every Region to the spec (the default). */
  @JsonProperty("Enforce")
  ENFORCE("Enforce"),
  /** Read and report, per Region, what would change; never write. */
  @JsonProperty("ObserveOnly")
  OBSERVE_ONLY("ObserveOnly");

  private final String value;

  Enforcement(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The value spelled {@code text}, or empty for anything else. */
  public static Optional<Enforcement> fromValue(String text) {
    return Arrays.stream(values()).filter(e -> e.value.equals(text)).findFirst();
  }
}
