package io.allowedami.domain;

import java.util.Arrays;

/** The account-level, per-Region Allowed AMIs setting, with AWS's wire spelling. */
public enum AllowedImagesState {
  DISABLED("disabled", 0),
  AUDIT_MODE("audit-mode", 1),
  ENABLED("enabled", 2);

  private final String wireValue;
  private final int enforcement;

  AllowedImagesState(String wireValue, int enforcement) {
    this.wireValue = wireValue;
    this.enforcement = enforcement;
  }

  public String wireValue() {
    return wireValue;
  }

  /** True when this state restricts (or reports on) images more than {@code other} does. */
  public boolean enforcesMoreThan(AllowedImagesState other) {
    return enforcement > other.enforcement;
  }

  public static AllowedImagesState fromWire(String value) {
    return Arrays.stream(values())
        .filter(s -> s.wireValue.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown Allowed AMIs state: " + value));
  }

  @Override
  public String toString() {
    return wireValue;
  }
}
