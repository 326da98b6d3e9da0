package io.allowedami.simulator.model;

/** An IAM role that AssumeRole can enter; a non-null external ID must be presented to assume it. */
public record WorldRole(String name, String externalId) {

  public String arn(String accountId) {
    return "arn:aws:iam::" + accountId + ":role/" + name;
  }
}
