package io.allowedami.aws;

import java.util.Optional;

/**
 * Which account a policy governs: the operator's own credentials, or a role to assume (with its
 * external ID and, optionally, a session name of its own).
 */
public record AccountTarget(
    Optional<String> roleArn, Optional<String> externalId, Optional<String> sessionName) {

  public static final AccountTarget OPERATOR_CREDENTIALS =
      new AccountTarget(Optional.empty(), Optional.empty(), Optional.empty());

  public static AccountTarget assumeRole(String roleArn, String externalId) {
    return assumeRole(roleArn, externalId, null);
  }

  public static AccountTarget assumeRole(String roleArn, String externalId, String sessionName) {
    return new AccountTarget(
        Optional.of(roleArn), Optional.ofNullable(externalId), Optional.ofNullable(sessionName));
  }

  /** The account ID in the role ARN (arn:aws:iam::123456789012:role/...), when a role is set. */
  public Optional<String> roleAccountId() {
    return roleArn.map(arn -> arn.split(":", -1)).filter(p -> p.length > 4).map(p -> p[4]);
  }

  @Override
  public String toString() {
    // External IDs are shared secrets in spirit: never print them.
    return roleArn.map(arn -> "role " + arn).orElse("operator credentials");
  }
}
