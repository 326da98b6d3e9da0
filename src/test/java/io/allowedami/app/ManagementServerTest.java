package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.reconcile.ReconcileSettings;
import io.allowedami.testing.FakeGateway;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes that answer before the operator has started, and a server that leaves nothing behind. */
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

  private OperatorRuntime createOperator(KubernetesClient kubernetes) {
    OperatorConfig defaults = OperatorConfig.defaults();
    OperatorConfig config =
        new OperatorConfig(
            defaults.aws(),
            new ReconcileSettings(
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1)),
            defaults.regionConcurrency(),
            0);
    return OperatorRuntime.create(
        kubernetes, config, new FakeGateway("111122223333"), metrics, Clock.systemUTC());
  }

  /** Health as the probes see it, set by each test. */
  private record FixedHealth(boolean isStarted, boolean eventSourcesHealthy, String role)
      implements ManagementServer.OperatorHealth {}

  @Test
  void beforeTheOperatorHasStarted_livenessPasses_startupAndReadinessFail() throws Exception {
    try (ManagementServer server =
        ManagementServer.start(0, new FixedHealth(false, false, "standby"), metrics)) {
      assertThat(get(server, "/livez").statusCode()).isEqualTo(200);
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/startupz").statusCode()).isEqualTo(503);
      HttpResponse<String> ready = get(server, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("not running");
    }
  }

  @Test
  void whenAnInformerStopsWatching_readinessFails_andLivenessStillPasses() throws Exception {
    try (ManagementServer server =
        ManagementServer.start(0, new FixedHealth(true, false, "leader"), metrics)) {
      assertThat(get(server, "/startupz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(server, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("informers not watching");
      assertThat(get(server, "/livez").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aStandbyIsReady_andSaysItIsOne() throws Exception {
    try (ManagementServer server =
        ManagementServer.start(0, new FixedHealth(true, true, "standby"), metrics)) {
      HttpResponse<String> ready = get(server, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ok: standby");
    }
  }

  @Test
  void whileTheKubernetesApiDoesNotAnswer_theProbesAnswer_andStartupWaits() throws Exception {
    try (ServerSocket silentApi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient silentClient =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + silentApi.getLocalPort())
                        .withRequestTimeout(60_000)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .withKubernetesSerialization(PolicyJson.serialization())
                .build()) {
      silentApi.setSoTimeout(20_000);
      OperatorRuntime runtime = createOperator(silentClient);
      CompletableFuture<Void> starting = CompletableFuture.runAsync(runtime::start);
      try (ManagementServer server = ManagementServer.start(0, runtime, metrics)) {
        // The informers' first list is on its way and will not be answered.
        try (Socket accepted = silentApi.accept()) {
          assertThat(get(server, "/livez").statusCode()).isEqualTo(200);
          assertThat(get(server, "/startupz").statusCode()).isEqualTo(503);
          assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
          assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
          assertThat(starting).isNotDone();
        }
      } finally {
        silentApi.close();
        runtime.close();
      }
      assertThatThrownBy(() -> starting.get(30, TimeUnit.SECONDS))
          .as("start fails once the API is gone")
          .isInstanceOf(ExecutionException.class);
    }
  }

  @Test
  void onceTheOperatorRuns_allProbesPass_andOnceItIsStopped_readinessFails() throws Exception {
    OperatorRuntime runtime = createOperator(client);
    try (ManagementServer server = ManagementServer.start(0, runtime, metrics)) {
      runtime.start();

      assertThat(get(server, "/startupz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(server, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ok: sole instance");

      runtime.close();

      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(server, "/livez").statusCode()).isEqualTo(200);
    } finally {
      runtime.close();
    }
  }

  @Test
  void whenTheKubernetesApiGoesAway_readinessFails_andLivenessStillPasses() throws Exception {
    InProcessKubernetes lost = InProcessKubernetes.start();
    try (KubernetesClient lostClient = lost.newClient()) {
      OperatorRuntime runtime = createOperator(lostClient);
      try (ManagementServer server = ManagementServer.start(0, runtime, metrics)) {
        runtime.start();
        assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);

        lost.close();

        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> get(server, "/readyz").statusCode() == 503);
        assertThat(get(server, "/readyz").body()).isEqualTo("informers not watching");
        assertThat(get(server, "/livez").statusCode()).isEqualTo(200);
        assertThat(get(server, "/startupz").statusCode()).isEqualTo(200);
      } finally {
        runtime.close();
      }
    }
  }

  @Test
  void closingEndsTheHandlerThreadsAndClosesThePort() throws Exception {
    ManagementServer server =
        ManagementServer.start(0, new FixedHealth(false, false, "standby"), metrics);
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
