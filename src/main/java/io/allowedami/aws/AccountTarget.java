package io.allowedami.aws;

import java.util.Optional;

/** Which account a policy governs: the operator's own credentials, or a role to assume. */
public record AccountTarget(Optional<String> roleArn, Optional<String> externalId) {

  public static final AccountTarget OPERATOR_CREDENTIALS =
      new AccountTarget(Optional.empty(), Optional.empty());

  public static AccountTarget assumeRole(String roleArn, String externalId) {
    return new AccountTarget(Optional.of(roleArn), Optional.ofNullable(externalId));
  }

  @Override
  public String toString() {
    // External IDs are shared secrets in spirit: never print them.
    return roleArn.map(arn -> "role " + arn).orElse("operator credentials");
  }
}
