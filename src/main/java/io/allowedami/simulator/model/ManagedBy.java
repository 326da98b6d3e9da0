package io.allowedami.simulator.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who controls a setting: the account itself or an Organizations declarative policy. */
public enum ManagedBy {
  ACCOUNT("account"),
  DECLARATIVE_POLICY("declarative-policy");

  private final String wire;

  ManagedBy(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
