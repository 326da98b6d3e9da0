package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allowedami.reconcile.ReconcileSettings;
import io.allowedami.testing.FakeGateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes answered from JOSDK's RuntimeInfo, and a server that leaves nothing behind on close. */
class ManagementServerTest {
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private InProcessKubernetes kubernetes;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kubernetes = InProcessKubernetes.start();
    client = kubernetes.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    kubernetes.close();
  }

  private HttpResponse<String> get(ManagementServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private OperatorRuntime startOperator() {
    OperatorConfig defaults = OperatorConfig.defaults();
    OperatorConfig config =
        new OperatorConfig(
            defaults.aws(),
            new ReconcileSettings(
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1)),
            defaults.regionConcurrency(),
            0);
    return OperatorRuntime.start(
        client, config, new FakeGateway("111122223333"), metrics, Clock.systemUTC());
  }

  @Test
  void whileTheOperatorRuns_bothProbesAnswer200_andOnceItIsStopped_503() throws Exception {
    OperatorRuntime runtime = startOperator();
    try (ManagementServer server = ManagementServer.start(0, runtime::runtimeInfo, metrics)) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);

      runtime.close();

      HttpResponse<String> health = get(server, "/healthz");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("event sources unhealthy");
      HttpResponse<String> ready = get(server, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("starting");
    } finally {
      runtime.close();
    }
  }

  @Test
  void beforeTheOperatorHasStarted_readyzAnswers503() throws Exception {
    Operator notStarted = new Operator(o -> o.withKubernetesClient(client));
    try (ManagementServer server = ManagementServer.start(0, notStarted::getRuntimeInfo, metrics)) {
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void withoutARuntimeYet_bothProbesAnswer503() throws Exception {
    Supplier<RuntimeInfo> none = () -> null;
    try (ManagementServer server = ManagementServer.start(0, none, metrics)) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(503);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void closingEndsTheHandlerThreadsAndClosesThePort() throws Exception {
    ManagementServer server = ManagementServer.start(0, () -> null, metrics);
    int port = server.port();
    get(server, "/metrics");
    get(server, "/healthz");
    List<Thread> handlers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("management-http-" + port))
            .toList();
    assertThat(handlers).as("the requests ran on the server's own threads").isNotEmpty();

    server.close();

    for (Thread handler : handlers) {
      handler.join(Duration.ofSeconds(10).toMillis());
      assertThat(handler.isAlive()).as(handler.getName() + " ended").isFalse();
    }
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }
}
