package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.allowedami.domain.AllowedImagesState;

/** The spec's mode, spelled as AWS spells the state. */
public enum Mode {
  @JsonProperty("enabled")
  ENABLED(AllowedImagesState.ENABLED),
  @JsonProperty("audit-mode")
  AUDIT_MODE(AllowedImagesState.AUDIT_MODE),
  @JsonProperty("disabled")
  DISABLED(AllowedImagesState.DISABLED);

  private final AllowedImagesState state;

  Mode(AllowedImagesState state) {
    this.state = state;
  }

  public AllowedImagesState state() {
    return state;
  }

  /** The mode spelled {@code value}, or empty for anything else. */
  public static java.util.Optional<Mode> fromValue(String value) {
    return java.util.Arrays.stream(values())
        .filter(m -> m.state.wireValue().equals(value))
        .findFirst();
  }
}
