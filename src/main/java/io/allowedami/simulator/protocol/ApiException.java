package io.allowedami.simulator.protocol;

/**
 * An AWS error answer (code, HTTP status, message): thrown anywhere, rendered once by the protocol.
 */
public final class ApiException extends RuntimeException {

  private final String code;
  private final int status;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public static ApiException invalidParameterValue(String message) {
    return new ApiException(400, "InvalidParameterValue", message);
  }

  public static ApiException missingParameter(String name) {
    return new ApiException(
        400, "MissingParameter", "The request must contain the parameter " + name);
  }

  public static ApiException authFailure(String message) {
    return new ApiException(401, "AuthFailure", message);
  }
}
