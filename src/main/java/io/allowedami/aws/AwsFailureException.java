package io.allowedami.aws;

import io.allowedami.domain.Failure;

/**
 * Thrown by the AWS boundary with the failure already classified, so callers never see SDK types.
 */
public final class AwsFailureException extends RuntimeException {
  private final transient Failure failure;

  public AwsFailureException(Failure failure, Throwable cause) {
    super(failure.code() + ": " + failure.message(), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
