package io.allowedami.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.FaultInjector;
import io.allowedami.simulator.OutOfBand;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ModelMappers;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.state.SimulatorState;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON admin endpoint under {@code /_admin}: injects faults, changes settings out of band,
 * changes instances and reads counters while the simulator runs standalone. Routes are listed in
 * SIMULATOR.md.
 */
public final class AdminHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
  private static final ObjectMapper JSON = ModelMappers.json();

  @FunctionalInterface
  private interface Route {
    Object handle(JsonNode body) throws IOException;
  }

  /** Request bodies of the admin routes. */
  record SettingsBody(
      String accountId, String region, SettingsState state, List<Criterion> imageCriteria) {}

  record ThrottleBody(String region, String action, int burst, double refillPerSecond) {}

  record CounterRow(String action, String region, String account, String outcome, long count) {}

  private final Map<String, Route> routes;

  public AdminHandler(
      SimulatorState state, FaultInjector faults, CallCounters counters, OutOfBand outOfBand) {
    this.routes =
        Map.ofEntries(
            Map.entry(
                "GET /_admin/counters",
                body ->
                    Map.of(
                        "total",
                        counters.total(),
                        "calls",
                        counters.snapshot().entrySet().stream()
                            .map(
                                e ->
                                    new CounterRow(
                                        e.getKey().action(),
                                        e.getKey().region(),
                                        e.getKey().account(),
                                        e.getKey().outcome(),
                                        e.getValue()))
                            .toList())),
            Map.entry("POST /_admin/counters/reset", body -> done(counters::reset)),
            Map.entry(
                "POST /_admin/faults/latency",
                body ->
                    done(
                        () ->
                            faults.latency(
                                text(body, "action"),
                                Duration.ofMillis(body.path("millis").asLong())))),
            Map.entry(
                "POST /_admin/faults/throttle",
                body -> {
                  ThrottleBody t = JSON.treeToValue(body, ThrottleBody.class);
                  return done(
                      () ->
                          faults.throttle(t.region(), t.action(), t.burst(), t.refillPerSecond()));
                }),
            Map.entry(
                "POST /_admin/faults/throttling",
                body ->
                    done(() -> faults.throttlingEnabled(required(body, "enabled").asBoolean()))),
            Map.entry(
                "POST /_admin/faults/server-errors",
                body -> done(() -> faults.serverErrorRate(required(body, "rate").asDouble()))),
            Map.entry(
                "POST /_admin/faults/region-down",
                body ->
                    done(
                        () ->
                            faults.regionDown(
                                required(body, "region").asText(),
                                body.path("down").asBoolean(true)))),
            Map.entry(
                "POST /_admin/faults/permissions",
                body -> {
                  Set<String> denied = new HashSet<>();
                  body.path("deniedActions").forEach(a -> denied.add(a.asText()));
                  return done(
                      () ->
                          faults.restrictPermissions(required(body, "accountId").asText(), denied));
                }),
            Map.entry(
                "POST /_admin/faults/declarative-policy",
                body -> {
                  SettingsBody s = settingsBody(body);
                  return done(
                      () ->
                          faults.managedByDeclarativePolicy(
                              s.accountId(), s.region(), s.state(), s.imageCriteria()));
                }),
            Map.entry(
                "POST /_admin/faults/declarative-policy/lift",
                body ->
                    done(
                        () ->
                            faults.liftDeclarativePolicy(
                                required(body, "accountId").asText(),
                                required(body, "region").asText()))),
            Map.entry("POST /_admin/faults/clear", body -> done(faults::clear)),
            Map.entry(
                "POST /_admin/settings/get",
                body ->
                    state
                        .settings()
                        .get(
                            required(body, "accountId").asText(),
                            required(body, "region").asText())),
            Map.entry(
                "PUT /_admin/settings",
                body -> {
                  SettingsBody s = settingsBody(body);
                  return done(
                      () ->
                          state
                              .settings()
                              .setOutOfBand(
                                  s.accountId(), s.region(), s.state(), s.imageCriteria()));
                }),
            Map.entry("GET /_admin/instances", body -> state.instances().all()),
            Map.entry(
                "POST /_admin/instances",
                body -> {
                  WorldInstance instance = JSON.treeToValue(body, WorldInstance.class);
                  return done(() -> state.instances().add(instance));
                }),
            Map.entry(
                "POST /_admin/instances/terminate",
                body ->
                    Map.of(
                        "found",
                        state.instances().terminate(required(body, "instanceId").asText()))),
            Map.entry("GET /_admin/launch-templates", body -> outOfBand.launchTemplates()),
            Map.entry(
                "POST /_admin/launch-templates",
                body -> {
                  if (body.hasNonNull("launchTemplateId")) {
                    WorldLaunchTemplate template =
                        JSON.treeToValue(body, WorldLaunchTemplate.class);
                    outOfBand.createLaunchTemplate(template);
                    return Map.of("launchTemplateId", template.launchTemplateId());
                  }
                  return Map.of(
                      "launchTemplateId",
                      outOfBand.createLaunchTemplate(
                          required(body, "accountId").asText(),
                          required(body, "region").asText(),
                          required(body, "name").asText(),
                          text(body, "imageId")));
                }),
            Map.entry(
                "POST /_admin/launch-templates/versions",
                body ->
                    Map.of(
                        "versionNumber",
                        outOfBand.addLaunchTemplateVersion(
                            required(body, "launchTemplateId").asText(),
                            text(body, "description"),
                            text(body, "imageId")))),
            Map.entry(
                "POST /_admin/launch-templates/default-version",
                body ->
                    done(
                        () ->
                            outOfBand.setDefaultLaunchTemplateVersion(
                                required(body, "launchTemplateId").asText(),
                                required(body, "versionNumber").asLong()))),
            Map.entry(
                "POST /_admin/launch-templates/delete",
                body ->
                    Map.of(
                        "found",
                        outOfBand.deleteLaunchTemplate(
                            required(body, "launchTemplateId").asText()))),
            Map.entry(
                "POST /_admin/instances/remove",
                body ->
                    Map.of(
                        "found", state.instances().remove(required(body, "instanceId").asText()))));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Route route =
          routes.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      if (route == null) {
        HttpExchanges.send(
            exchange, 404, "application/json", error("no such admin route; see SIMULATOR.md"));
        return;
      }
      Object result;
      try {
        String body = HttpExchanges.readBody(exchange);
        result = route.handle(body.isBlank() ? NullNode.instance : JSON.readTree(body));
      } catch (JsonProcessingException | IllegalArgumentException | ApiException e) {
        HttpExchanges.send(exchange, 400, "application/json", error(e.getMessage()));
        return;
      } catch (RuntimeException e) {
        LOG.error("Admin request {} failed", exchange.getRequestURI(), e);
        HttpExchanges.send(exchange, 500, "application/json", error("internal error: " + e));
        return;
      }
      HttpExchanges.send(exchange, 200, "application/json", JSON.writeValueAsString(result));
    }
  }

  private static SettingsBody settingsBody(JsonNode body) throws JsonProcessingException {
    SettingsBody s = JSON.treeToValue(body, SettingsBody.class);
    if (s == null || s.accountId() == null || s.region() == null || s.state() == null) {
      throw new IllegalArgumentException("accountId, region and state are required");
    }
    return s;
  }

  private static Map<String, Boolean> done(Runnable change) {
    change.run();
    return Map.of("ok", true);
  }

  private static JsonNode required(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field: " + field);
    }
    return value;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String error(String message) throws JsonProcessingException {
    return JSON.writeValueAsString(Map.of("error", String.valueOf(message)));
  }
}
