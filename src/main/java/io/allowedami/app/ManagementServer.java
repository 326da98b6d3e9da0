package io.allowedami.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Probes and Prometheus metrics on one small HTTP port, opened before the operator starts so that a
 * slow Kubernetes API delays readiness instead of getting the pod killed:
 *
 * <ul>
 *   <li>{@code /livez} (and {@code /healthz}, its older name): 200 as long as the process can
 *       answer. Nothing outside the process (the Kubernetes API, AWS, an informer) fails it, since
 *       a restart would not fix those.
 *   <li>{@code /startupz}: 200 once the informers have synced and the operator runs.
 *   <li>{@code /readyz}: 200 while the operator runs and its informers are watching; the body says
 *       whether this instance leads. A standby is ready too: readiness gates Service traffic and
 *       rollouts, the operator serves only metrics, and a standby that never became ready would
 *       block every rolling update of a Deployment with two replicas.
 *   <li>{@code /metrics}: Prometheus.
 * </ul>
 */
public final class ManagementServer implements AutoCloseable {
  private static final int HANDLER_THREADS = 2;

  /** What the probes ask of the operator. */
  public interface OperatorHealth {
    /** The informers have synced and the operator has not been stopped. */
    boolean isStarted();

    /** Every informer is running and watching. */
    boolean eventSourcesHealthy();

    /** "leader", "standby", ...: told in the readiness body. */
    String role();
  }

  private final HttpServer server;
  private final ExecutorService handlers;

  private ManagementServer(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  public static ManagementServer start(
      int port, OperatorHealth operator, PrometheusMeterRegistry metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    HttpHandler live = exchange -> respond(exchange, 200, "text/plain", "ok");
    server.createContext("/livez", live);
    server.createContext("/healthz", live);
    server.createContext(
        "/startupz",
        exchange -> {
          boolean started = operator.isStarted();
          respond(exchange, started ? 200 : 503, "text/plain", started ? "ok" : "starting");
        });
    server.createContext(
        "/readyz",
        exchange -> {
          if (!operator.isStarted()) {
            respond(exchange, 503, "text/plain", "not running");
          } else if (!operator.eventSourcesHealthy()) {
            respond(exchange, 503, "text/plain", "informers not watching");
          } else {
            respond(exchange, 200, "text/plain", "ok: " + operator.role());
          }
        });
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    String threadName = "management-http-" + server.getAddress().getPort();
    ExecutorService handlers =
        Executors.newFixedThreadPool(
            HANDLER_THREADS,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(handlers);
    server.start();
    return new ManagementServer(server, handlers);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Closes the port, then ends the handler threads (the HTTP server leaves its executor alone). */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
        handlers.shutdownNow();
      }
    } catch (InterruptedException e) {
      handlers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
