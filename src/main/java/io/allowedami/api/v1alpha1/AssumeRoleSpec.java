package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The IAM role through which a policy manages another account. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AssumeRoleSpec {
  @Required
  @Pattern(Patterns.ROLE_ARN)
  @JsonPropertyDescription(
      "ARN of the IAM role to assume, for example"
          + " arn:aws:iam::123456789012:role/allowed-ami-operator.")
  private String roleArn;

  @Pattern(Patterns.EXTERNAL_ID)
  @Size(min = Limits.MIN_EXTERNAL_ID_LENGTH, max = Limits.MAX_EXTERNAL_ID_LENGTH)
  @JsonPropertyDescription(
      "External ID the role's trust policy requires (sts:ExternalId), against the confused-deputy"
          + " problem.")
  private String externalId;

  @Pattern(Patterns.SESSION_NAME)
  @Size(min = Limits.MIN_SESSION_NAME_LENGTH, max = Limits.MAX_SESSION_NAME_LENGTH)
  @JsonPropertyDescription(
      "Role session name (2-64 characters of letters, digits and _+=,.@-), shown in the member"
          + " account's CloudTrail. Defaults to allowed-ami-operator.")
  private String sessionName;

  public String getRoleArn() {
    return roleArn;
  }

  public void setRoleArn(String roleArn) {
    this.roleArn = roleArn;
  }

  public String getExternalId() {
    return externalId;
  }

  public void setExternalId(String externalId) {
    this.externalId = externalId;
  }

  public String getSessionName() {
    return sessionName;
  }

  public void setSessionName(String sessionName) {
    this.sessionName = sessionName;
  }
}
