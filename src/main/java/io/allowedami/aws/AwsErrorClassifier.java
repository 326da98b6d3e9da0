package io.allowedami.aws;

import io.allowedami.domain.Failure;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place where AWS errors are classified. Terminal: retrying cannot help until a person
 * changes the spec, an IAM policy, a Region opt-in or an Organizations policy. Everything else,
 * including codes we do not know, is recoverable and retried with backoff, so that a new transient
 * error never stalls a policy for good.
 */
public final class AwsErrorClassifier {

  /** Returned by EC2 for a Region that is not enabled for the account, and for unknown keys. */
  public static final String AUTH_FAILURE = "AuthFailure";

  private static final Set<String> TERMINAL_CODES =
      Set.of(
          "UnauthorizedOperation",
          AUTH_FAILURE,
          "AccessDenied",
          "AccessDeniedException",
          "InvalidClientTokenId",
          "OptInRequired",
          "InvalidParameterValue",
          "InvalidParameter",
          "InvalidParameterCombination",
          "MissingParameter",
          "OperationNotPermitted",
          "InvalidAction",
          "RegionDisabledException");

  private AwsErrorClassifier() {}

  public static Failure classify(Throwable error) {
    if (error instanceof AwsFailureException known) {
      return known.failure();
    }
    if (error instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() != null ? service.awsErrorDetails().errorCode() : null;
      String message =
          service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null
              ? service.awsErrorDetails().errorMessage()
              : service.getMessage();
      if (code == null) {
        code = "HTTP" + service.statusCode();
      }
      if (TERMINAL_CODES.contains(code)) {
        return Failure.terminal(code, message);
      }
      return Failure.recoverable(code, message);
    }
    if (error instanceof ApiCallTimeoutException
        || error instanceof ApiCallAttemptTimeoutException) {
      return Failure.recoverable("Timeout", error.getMessage());
    }
    if (error instanceof SdkClientException) {
      return Failure.recoverable("ClientError", error.getMessage());
    }
    return Failure.recoverable(
        error.getClass().getSimpleName(), String.valueOf(error.getMessage()));
  }
}
