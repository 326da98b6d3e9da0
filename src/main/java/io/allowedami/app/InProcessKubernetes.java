package io.allowedami.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;

/**
 * A Kubernetes API in this process (fabric8's mock server in CRUD mode) for the demo. Kept in its
 * own class so that the container image, which leaves the mock server out, never loads it: check
 * {@link DemoCommand#inProcessKubernetesAvailable()} before touching this class.
 */
final class InProcessKubernetes implements AutoCloseable {

  private final KubernetesMockServer server;

  private InProcessKubernetes() {
    server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
    server.init();
  }

  static InProcessKubernetes start() {
    return new InProcessKubernetes();
  }

  KubernetesClient newClient() {
    return server.createClient();
  }

  @Override
  public void close() {
    server.destroy();
  }
}
