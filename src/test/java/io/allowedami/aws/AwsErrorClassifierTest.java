package io.allowedami.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.domain.Failure;
import io.allowedami.domain.Failure.Kind;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * What the one classifier of AWS errors makes of codes it knows, codes it does not, and no code.
 */
class AwsErrorClassifierTest {

  private static AwsServiceException ec2Error(int status, String code, String message) {
    return Ec2Exception.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(message)
                .serviceName("Ec2")
                .build())
        .message(message)
        .build();
  }

  @Test
  void whenTheCodeIsUnknown_thenItIsRecoverableAndKeepsTheCodeAndMessage() {
    Failure failure =
        AwsErrorClassifier.classify(
            ec2Error(400, "SomeFutureError", "a code AWS added after this release"));

    assertThat(failure)
        .isEqualTo(Failure.recoverable("SomeFutureError", "a code AWS added after this release"));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 403, 409, 500, 502, 503})
  void whenThereIsNoCode_thenItIsRecoverableAndNamedByTheHttpStatus(int status) {
    AwsServiceException error =
        AwsServiceException.builder().statusCode(status).message("no body").build();

    Failure failure = AwsErrorClassifier.classify(error);

    assertThat(failure.kind()).isEqualTo(Kind.RECOVERABLE);
    assertThat(failure.code()).isEqualTo("HTTP" + status);
    assertThat(failure.message()).contains("no body");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UnauthorizedOperation",
        "AuthFailure",
        "AccessDenied",
        "InvalidParameterValue",
        "OperationNotPermitted"
      })
  void whenTheCodeNeedsAPersonToAct_thenItIsTerminal(String code) {
    assertThat(AwsErrorClassifier.classify(ec2Error(400, code, "m")))
        .isEqualTo(Failure.terminal(code, "m"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RequestLimitExceeded", "InternalError", "Unavailable"})
  void whenTheCodeIsTransient_thenItIsRecoverable(String code) {
    assertThat(AwsErrorClassifier.classify(ec2Error(503, code, "m")))
        .isEqualTo(Failure.recoverable(code, "m"));
  }

  @Test
  void whenTheCallOrAnAttemptTimesOut_thenItIsARecoverableTimeout() {
    // Both are SdkClientExceptions: a timeout must not be reported as a mere client error.
    assertThat(AwsErrorClassifier.classify(ApiCallTimeoutException.create(30_000)))
        .extracting(Failure::kind, Failure::code)
        .containsExactly(Kind.RECOVERABLE, "Timeout");
    assertThat(AwsErrorClassifier.classify(ApiCallAttemptTimeoutException.create(10_000)))
        .extracting(Failure::kind, Failure::code)
        .containsExactly(Kind.RECOVERABLE, "Timeout");
  }

  @Test
  void whenTheConnectionIsRefusedOrTheHostUnknown_thenTheEndpointIsUnreachableAndRecoverable() {
    SdkClientException refused =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Connection refused")
            .cause(new ConnectException("Connection refused"))
            .build();
    SdkClientException unknownHost =
        SdkClientException.builder()
            .message(
                "Unable to execute HTTP request: ec2.nowhere.example: Name or service not known")
            .cause(new UnknownHostException("ec2.nowhere.example"))
            .build();

    assertThat(AwsErrorClassifier.classify(refused))
        .isEqualTo(
            Failure.recoverable(
                AwsErrorClassifier.ENDPOINT_UNREACHABLE,
                "Unable to execute HTTP request: Connection refused"));
    assertThat(AwsErrorClassifier.classify(unknownHost))
        .extracting(Failure::kind, Failure::code)
        .containsExactly(Kind.RECOVERABLE, AwsErrorClassifier.ENDPOINT_UNREACHABLE);
    assertThat(
            AwsErrorClassifier.classify(
                SdkClientException.builder()
                    .message("Unable to unmarshall response")
                    .cause(new IllegalStateException("bad XML"))
                    .build()))
        .extracting(Failure::kind, Failure::code)
        .containsExactly(Kind.RECOVERABLE, "ClientError");
  }

  @Test
  void whenTheErrorIsAlreadyClassified_thenItsFailureIsKept() {
    Failure terminal = Failure.terminal("DryRunIgnored", "m");

    assertThat(AwsErrorClassifier.classify(new AwsFailureException(terminal, null)))
        .isSameAs(terminal);
  }

  @Test
  void whenTheErrorIsNoAwsError_thenItIsATerminalInternalErrorThatDoesNotEchoItsMessage() {
    Failure failure = AwsErrorClassifier.classify(new IllegalStateException("boom"));
    assertThat(failure.kind()).as("a bug is not hot-retried").isEqualTo(Kind.TERMINAL);
    assertThat(failure.code()).isEqualTo(AwsErrorClassifier.INTERNAL_ERROR);
    assertThat(failure.message()).contains("IllegalStateException").doesNotContain("boom");
  }
}
