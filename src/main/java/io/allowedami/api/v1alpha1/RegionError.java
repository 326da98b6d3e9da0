package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last error met in a Region, already classified. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegionError {
  @JsonPropertyDescription(
      "Terminal (the spec, permissions or an Organizations policy must change; not retried until"
          + " the next resync) or Recoverable (throttling, server errors, timeouts; retried with"
          + " backoff).")
  private String errorClass;

  @JsonPropertyDescription(
      "The AWS error code or the operator's own reason, for example UnauthorizedOperation.")
  private String code;

  @JsonPropertyDescription("What went wrong, in words.")
  private String message;

  @JsonPropertyDescription("When this error was first seen (RFC 3339).")
  private String since;

  public RegionError() {}

  public RegionError(String errorClass, String code, String message, String since) {
    this.errorClass = errorClass;
    this.code = code;
    this.message = message;
    this.since = since;
  }

  public String getErrorClass() {
    return errorClass;
  }

  public void setErrorClass(String errorClass) {
    this.errorClass = errorClass;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }
}
