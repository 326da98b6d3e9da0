package io.allowedami.app;

import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.reconcile.AllowedAmiPolicyReconciler;
import io.allowedami.reconcile.ComplianceMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds and starts the operator. Production, the demo and the integration tests all start it here,
 * so that they take the same path (notably: status patched without server-side apply).
 */
public final class OperatorRuntime implements AutoCloseable {
  private final Operator operator;
  private final AllowedAmiPolicyReconciler reconciler;
  private final ExecutorService regionExecutor;
  private final PolicyDeletionWatch deletions;

  private OperatorRuntime(
      Operator operator,
      AllowedAmiPolicyReconciler reconciler,
      ExecutorService regionExecutor,
      PolicyDeletionWatch deletions) {
    this.reconciler = reconciler;
    this.operator = operator;
    this.regionExecutor = regionExecutor;
    this.deletions = deletions;
  }

  public static OperatorRuntime start(
      KubernetesClient client,
      OperatorConfig config,
      AllowedImagesGatewayFactory gateways,
      MeterRegistry metrics,
      Clock clock) {
    PolicyJson.requireLenientReading(client.getKubernetesSerialization());
    ExecutorService regionExecutor =
        Executors.newFixedThreadPool(config.regionConcurrency(), namedThreads("region-"));
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // The reconciler writes status itself (StatusWriter: a replace with optimistic
                    // locking). No server-side apply anywhere: the in-process API of the demo and
                    // tests lacks it, and all paths stay the same.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(
                        MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(metrics)
                            .build())
                    .withStopOnInformerErrorDuringStartup(true));
    var reconciler =
        new AllowedAmiPolicyReconciler(
            gateways,
            regionExecutor,
            config.reconcile(),
            new KubernetesPolicyEvents(client, clock),
            new ComplianceMetrics(metrics),
            clock);
    operator.register(
        reconciler,
        overrider ->
            overrider
                // A safety net: even if a reschedule were lost, every policy is looked at again.
                .withReconciliationMaxInterval(
                config.reconcile().defaultResyncInterval().multipliedBy(2)));
    operator.start();
    PolicyDeletionWatch deletions;
    try {
      // No finalizer yet: a deleted policy is forgotten when the deletion is seen.
      deletions = PolicyDeletionWatch.start(client, reconciler::forget);
    } catch (RuntimeException e) {
      operator.stop();
      reconciler.close();
      regionExecutor.shutdownNow();
      throw e;
    }
    return new OperatorRuntime(operator, reconciler, regionExecutor, deletions);
  }

  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  @Override
  public void close() {
    deletions.close();
    operator.stop();
    reconciler.close();
    regionExecutor.shutdown();
    try {
      regionExecutor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
