package io.allowedami.domain;

/** Who controls a Region's setting: the account itself, or an Organizations declarative policy. */
public enum ManagedBy {
  ACCOUNT("account"),
  DECLARATIVE_POLICY("declarative-policy");

  private final String wireValue;

  ManagedBy(String wireValue) {
    this.wireValue = wireValue;
  }

  public String wireValue() {
    return wireValue;
  }

  /** AWS may add values; anything that is not "declarative-policy" is treated as the account's. */
  public static ManagedBy fromWire(String value) {
    return DECLARATIVE_POLICY.wireValue.equals(value) ? DECLARATIVE_POLICY : ACCOUNT;
  }

  @Override
  public String toString() {
    return wireValue;
  }
}
