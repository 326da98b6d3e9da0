package io.allowedami.testing;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.app.OperatorConfig;
import io.allowedami.app.OperatorRuntime;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.reconcile.ReconcileSettings;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * The real operator against an in-process Kubernetes API (fabric8's mock server in CRUD mode) with
 * the checked-in CRD installed, started exactly as production starts it.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final Path CRD_FILE =
      Path.of("crds", "allowedamipolicies.ec2.allowedami.io-v1.yml");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final OperatorRuntime runtime;
  private final MeterRegistry metrics;

  private OperatorHarness(
      AllowedImagesGatewayFactory gateways, OperatorConfig config, MeterRegistry metrics) {
    this.metrics = metrics;
    server = newCrudServer();
    server.init();
    client = server.createClient();
    installCrd(client);
    runtime = OperatorRuntime.start(client, config, gateways, metrics, Clock.systemUTC());
  }

  /** An in-process Kubernetes API that stores what it is sent (CRUD mode), over plain HTTP. */
  public static KubernetesMockServer newCrudServer() {
    return new KubernetesMockServer(
        new Context(),
        new MockWebServer(),
        new HashMap<>(),
        new KubernetesCrudDispatcher(List.of()),
        false);
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

  public static void installCrd(KubernetesClient client) {
    try (InputStream in = Files.newInputStream(CRD_FILE)) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CRD_FILE, e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public MeterRegistry metrics() {
    return metrics;
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
    client.resources(AllowedAmiPolicy.class).delete();
    client.close();
    server.destroy();
  }
}
