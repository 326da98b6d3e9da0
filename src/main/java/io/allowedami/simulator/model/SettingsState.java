package io.allowedami.simulator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * The three states of an account's Allowed AMIs setting in one Region, with their wire spelling.
 */
public enum SettingsState {
  ENABLED("enabled"),
  AUDIT_MODE("audit-mode"),
  DISABLED("disabled");

  private final String wire;

  SettingsState(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static Optional<SettingsState> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
  }

  @JsonCreator
  static SettingsState parse(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown settings state: " + value));
  }
}
