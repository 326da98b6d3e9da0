package io.allowedami.simulator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Whether a Region is usable by accounts: DescribeRegions' OptInStatus. */
public enum OptInStatus {
  OPT_IN_NOT_REQUIRED("opt-in-not-required"),
  OPTED_IN("opted-in"),
  NOT_OPTED_IN("not-opted-in");

  private final String wire;

  OptInStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public boolean enabled() {
    return this != NOT_OPTED_IN;
  }

  @JsonCreator
  static OptInStatus parse(String value) {
    return Arrays.stream(values())
        .filter(s -> s.wire.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown opt-in status: " + value));
  }
}
