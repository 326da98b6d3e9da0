package io.allowedami.simulator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** EC2 instance states with their numeric codes. */
public enum InstanceStateName {
  PENDING("pending", 0),
  RUNNING("running", 16),
  SHUTTING_DOWN("shutting-down", 32),
  TERMINATED("terminated", 48),
  STOPPING("stopping", 64),
  STOPPED("stopped", 80);

  private final String wire;
  private final int code;

  InstanceStateName(String wire, int code) {
    this.wire = wire;
    this.code = code;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public int code() {
    return code;
  }

  @JsonCreator
  static InstanceStateName parse(String value) {
    return Arrays.stream(values())
        .filter(s -> s.wire.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown instance state: " + value));
  }
}
