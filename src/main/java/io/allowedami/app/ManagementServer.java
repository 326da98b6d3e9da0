package io.allowedami.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Liveness, readiness and Prometheus metrics on one small HTTP port, answered from JOSDK's
 * RuntimeInfo so that Kubernetes restarts a pod whose informers are broken.
 */
public final class ManagementServer implements AutoCloseable {
  private static final int HANDLER_THREADS = 2;

  private final HttpServer server;
  private final ExecutorService handlers;

  private ManagementServer(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  public static ManagementServer start(
      int port, Supplier<RuntimeInfo> runtime, PrometheusMeterRegistry metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/healthz",
        exchange -> {
          RuntimeInfo info = runtime.get();
          boolean healthy = info != null && info.allEventSourcesAreHealthy();
          respond(
              exchange,
              healthy ? 200 : 503,
              "text/plain",
              healthy ? "ok" : "event sources unhealthy");
        });
    server.createContext(
        "/readyz",
        exchange -> {
          RuntimeInfo info = runtime.get();
          boolean ready = info != null && info.isStarted();
          respond(exchange, ready ? 200 : 503, "text/plain", ready ? "ok" : "starting");
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
