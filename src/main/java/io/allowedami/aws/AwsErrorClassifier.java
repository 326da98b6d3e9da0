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
 * including codes we do not know and an unreachable endpoint, is recoverable and retried with
 * backoff, so that a new transient error never stalls a policy for good. An exception that is not
 * AWS's at all is a bug in the operator: terminal ({@link #INTERNAL_ERROR}), looked at again only
 * at the next resync, and logged with its stack by the caller.
 */
public final class AwsErrorClassifier {

  /** An error that is not AWS's: a bug. Terminal, so that it is never hot-retried. */
  public static final String INTERNAL_ERROR = "InternalError";

  /** The Region's endpoint could not be resolved or connected to: DNS, network, proxy. */
  public static final String ENDPOINT_UNREACHABLE = "EndpointUnreachable";

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

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

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
      if (hasCause(error, java.net.UnknownHostException.class)
          || hasCause(error, java.net.ConnectException.class)
          || hasCause(error, java.net.NoRouteToHostException.class)) {
        return Failure.recoverable(ENDPOINT_UNREACHABLE, error.getMessage());
      }
      return Failure.recoverable("ClientError", error.getMessage());
    }
    if (error instanceof software.amazon.awssdk.core.exception.SdkException) {
      return Failure.recoverable("ClientError", error.getMessage());
    }
    return Failure.terminal(
        INTERNAL_ERROR,
        "unexpected " + error.getClass().getSimpleName() + " in the operator (see its log)");
  }
}
