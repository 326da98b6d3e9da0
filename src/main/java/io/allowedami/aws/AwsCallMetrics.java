package io.allowedami.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS API call by service, operation and outcome (ok or the error code), so that the
 * cost of a reconcile is visible in Prometheus. Labels are bounded: no account, Region or instance.
 */
final class AwsCallMetrics implements ExecutionInterceptor {
  static final String METRIC = "allowedami.aws.calls";

  private final MeterRegistry registry;

  AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(attributes, "ok");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Throwable error = context.exception();
    String outcome =
        error instanceof AwsServiceException service && service.awsErrorDetails() != null
            ? service.awsErrorDetails().errorCode()
            : "ClientError";
    count(attributes, outcome == null ? "Unknown" : outcome);
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    Counter.builder(METRIC)
        .description("AWS API calls made by the operator")
        .tag("service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
        .tag(
            "action", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
