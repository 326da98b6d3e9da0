package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

/**
 * What deleting a policy does to the Regions it governs; the default leaves AWS as it is, so that
 * deleting an object never loosens a security control by surprise.
 */
public enum DeletionPolicy {
  /** Leave every Region's settings as they are. */
  @JsonProperty("Retain")
  RETAIN("Retain"),
  /** Set every governed Region to disabled before the object goes. */
  @JsonProperty("Disable")
  DISABLE("Disable");

  private final String value;

  DeletionPolicy(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The value spelled {@code text}, or empty for anything else. */
  public static Optional<DeletionPolicy> fromValue(String text) {
    return Arrays.stream(values()).filter(e -> e.value.equals(text)).findFirst();
  }
}
