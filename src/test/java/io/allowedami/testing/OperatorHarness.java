package io.allowedami.testing;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.app.InProcessKubernetes;
import io.allowedami.app.OperatorConfig;
import io.allowedami.app.OperatorRuntime;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.reconcile.ReconcileSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The real operator against the demo's in-process Kubernetes API, started exactly as production
 * starts it.
 */
public final class OperatorHarness implements AutoCloseable {
  private final InProcessKubernetes kubernetes;
  private final KubernetesClient client;
  private final OperatorRuntime runtime;

  private OperatorHarness(
      AllowedImagesGatewayFactory gateways, OperatorConfig config, MeterRegistry metrics) {
    kubernetes = InProcessKubernetes.start();
    client = kubernetes.newClient();
    runtime = OperatorRuntime.start(client, config, gateways, metrics, Clock.systemUTC());
  }

  public static OperatorHarness start(AllowedImagesGatewayFactory gateways, Duration resync) {
    return start(gateways, resync, new SimpleMeterRegistry());
  }

  public static OperatorHarness start(
      AllowedImagesGatewayFactory gateways, Duration resync, MeterRegistry metrics) {
    OperatorConfig defaults = OperatorConfig.defaults();
    OperatorConfig config =
        new OperatorConfig(
            defaults.aws(),
            new ReconcileSettings(resync, Duration.ofMillis(200), Duration.ofMillis(100)),
            8,
            0);
    return new OperatorHarness(gateways, config, metrics);
  }

  public KubernetesClient client() {
    return client;
  }

  public RuntimeInfo runtimeInfo() {
    return runtime.runtimeInfo();
  }

  public AllowedAmiPolicy get(String name) {
    return client.resources(AllowedAmiPolicy.class).withName(name).get();
  }

  public AllowedAmiPolicy apply(AllowedAmiPolicy policy) {
    return client.resource(policy).createOr(existing -> existing.update());
  }

  @Override
  public void close() {
    runtime.close();
    // Cluster-scoped resources outlive any namespace: delete them explicitly.
    client.resources(AllowedAmiPolicy.class).delete();
    client.close();
    kubernetes.close();
  }
}
