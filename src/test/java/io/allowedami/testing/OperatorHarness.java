package io.allowedami.testing;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.app.InProcessKubernetes;
import io.allowedami.app.OperatorConfig;
import io.allowedami.app.OperatorRuntime;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.reconcile.ReconcileSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The real operator against the demo's in-process Kubernetes API, started exactly as production
 * starts it.
 */
public final class OperatorHarness implements AutoCloseable {
  private final InProcessKubernetes kubernetes;
  private final boolean ownsKubernetes;
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final MeterRegistry metrics;
  private OperatorRuntime runtime;

  private OperatorHarness(
      InProcessKubernetes kubernetes,
      boolean ownsKubernetes,
      AllowedImagesGatewayFactory gateways,
      OperatorConfig config,
      MeterRegistry metrics,
      Consumer<KubernetesClientBuilder> clientCustomizer,
      Consumer<KubernetesClient> beforeStart) {
    this.kubernetes = kubernetes;
    this.ownsKubernetes = ownsKubernetes;
    client = kubernetes.newClient(clientCustomizer);
    this.config = config;
    this.metrics = metrics;
    beforeStart.accept(client);
    runtime = OperatorRuntime.start(client, config, gateways, metrics, Clock.systemUTC());
  }

  /** Starts the operator after {@code beforeStart} has put objects into the Kubernetes API. */
  public static OperatorHarness startWith(
      AllowedImagesGatewayFactory gateways,
      Duration resync,
      Consumer<KubernetesClient> beforeStart) {
    return new OperatorHarness(
        InProcessKubernetes.start(),
        true,
        gateways,
        config(resync),
        new SimpleMeterRegistry(),
        builder -> {},
        beforeStart);
  }

  public static OperatorHarness start(AllowedImagesGatewayFactory gateways, Duration resync) {
    return start(gateways, resync, new SimpleMeterRegistry());
  }

  public static OperatorHarness start(
      AllowedImagesGatewayFactory gateways, Duration resync, MeterRegistry metrics) {
    return new OperatorHarness(
        InProcessKubernetes.start(),
        true,
        gateways,
        config(resync),
        metrics,
        builder -> {},
        client -> {});
  }

  /** Starts the operator with a configuration of the test's own (a selector, leader election). */
  public static OperatorHarness start(
      AllowedImagesGatewayFactory gateways, OperatorConfig config, MeterRegistry metrics) {
    return new OperatorHarness(
        InProcessKubernetes.start(), true, gateways, config, metrics, builder -> {}, client -> {});
  }

  /**
   * One more operator instance against a Kubernetes API that the caller owns (leader election,
   * sharding): closing it stops this instance only.
   */
  public static OperatorHarness join(
      InProcessKubernetes kubernetes,
      AllowedImagesGatewayFactory gateways,
      OperatorConfig config,
      MeterRegistry metrics,
      Consumer<KubernetesClientBuilder> clientCustomizer) {
    return new OperatorHarness(
        kubernetes, false, gateways, config, metrics, clientCustomizer, client -> {});
  }

  /** The tests' configuration: short backoff, no leader election, every policy. */
  public static OperatorConfig config(Duration resync) {
    OperatorConfig defaults = OperatorConfig.defaults();
    return new OperatorConfig(
        defaults.aws(),
        new ReconcileSettings(resync, Duration.ofMillis(200), Duration.ofMillis(100)),
        8,
        0);
  }

  /**
   * Stops the operator and starts a new one against the same Kubernetes API, as a pod restart
   * would: nothing survives but what the API server holds.
   */
  public synchronized void restart(AllowedImagesGatewayFactory gateways) {
    runtime.close();
    runtime = OperatorRuntime.start(client, config, gateways, metrics, Clock.systemUTC());
  }

  public KubernetesClient client() {
    return client;
  }

  public synchronized OperatorRuntime runtime() {
    return runtime;
  }

  public synchronized RuntimeInfo runtimeInfo() {
    return runtime.runtimeInfo();
  }

  public AllowedAmiPolicy get(String name) {
    return client.resources(AllowedAmiPolicy.class).withName(name).get();
  }

  public AllowedAmiPolicy apply(AllowedAmiPolicy policy) {
    return client.resource(policy).createOr(existing -> existing.update());
  }

  @Override
  public synchronized void close() {
    runtime.close();
    if (ownsKubernetes) {
      // Cluster-scoped resources outlive any namespace: delete them explicitly.
      client.resources(AllowedAmiPolicy.class).delete();
    }
    client.close();
    if (ownsKubernetes) {
      kubernetes.close();
    }
  }
}
