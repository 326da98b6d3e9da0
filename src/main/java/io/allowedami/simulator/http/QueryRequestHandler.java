package io.allowedami.simulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.FaultInjector;
import io.allowedami.simulator.ec2.CriteriaWireFormat;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldRegion;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.QueryParams;
import io.allowedami.simulator.protocol.SigV4Scope;
import io.allowedami.simulator.state.Caller;
import io.allowedami.simulator.state.SimulatorState;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request pipeline for EC2 and STS Query requests: parse, route, authenticate, check the
 * Region, apply injected faults, authorize, honour DryRun, run the action, answer and count. Any
 * unexpected exception becomes a 500 InternalError, never a hang or a 200.
 */
public final class QueryRequestHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(QueryRequestHandler.class);
  private static final String XML = "text/xml;charset=UTF-8";

  private final Map<String, Action> actions;
  private final SimulatorState state;
  private final FaultInjector faults;
  private final CallCounters counters;

  public QueryRequestHandler(
      List<Action> actions, SimulatorState state, FaultInjector faults, CallCounters counters) {
    this.actions =
        actions.stream()
            .collect(
                Collectors.toUnmodifiableMap(a -> key(a.service(), a.name()), Function.identity()));
    this.state = state;
    this.faults = faults;
    this.counters = counters;
  }

  /** What is known about a call so far, for the answer and the counters. */
  private static final class Call {
    AwsService service = AwsService.EC2;
    String action = CallCounters.UNKNOWN;
    String region = CallCounters.UNKNOWN;
    String account = CallCounters.UNKNOWN;
    boolean dryRun;
    QueryParams params;
    ManagedBy managedBy;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    Call call = new Call();
    int status;
    String body;
    String outcome;
    try {
      body = answer(exchange, call, requestId);
      status = 200;
      outcome = CallCounters.OK;
    } catch (ApiException e) {
      body = call.service.error(e, requestId);
      status = e.status();
      outcome = e.code();
    } catch (RuntimeException e) {
      LOG.error("Unexpected error answering {} (request {})", call.action, requestId, e);
      ApiException internal =
          new ApiException(500, "InternalError", "An internal error has occurred");
      body = call.service.error(internal, requestId);
      status = internal.status();
      outcome = internal.code();
    }
    counters.record(
        new CallCounters.CallKey(call.action, call.region, call.account, outcome),
        call.dryRun,
        details(call));
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    try {
      HttpExchanges.send(exchange, status, XML, body);
    } finally {
      exchange.close();
    }
  }

  private String answer(HttpExchange exchange, Call call, String requestId) throws IOException {
    QueryParams params = QueryParams.parseForm(readParameters(exchange));
    call.params = params;
    call.dryRun = params.get("DryRun").filter("true"::equalsIgnoreCase).isPresent();
    Optional<SigV4Scope> scope =
        SigV4Scope.parse(exchange.getRequestHeaders().getFirst("Authorization"));
    call.service = service(scope, params);
    scope.ifPresent(s -> call.region = s.region());
    Action action = route(call.service, params);
    call.action = action.name();
    Set<String> accepted = new HashSet<>(Action.COMMON_PARAMETERS);
    accepted.addAll(action.parameters());
    params.rejectUnknown(accepted);
    Caller caller = authenticate(call.service, scope);
    call.account = caller.accountId();
    String region = call.region;
    if (call.service == AwsService.EC2) {
      checkRegion(region);
    }
    injectFaults(action, caller, region);
    if (call.service == AwsService.EC2) {
      call.managedBy = state.settings().get(caller.accountId(), region).managedBy();
    }
    authorize(action, caller);
    if (call.service == AwsService.EC2 && params.flag("DryRun")) {
      throw new ApiException(
          412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
    }
    CallContext context = new CallContext(region, caller, params);
    return call.service.success(
        action.name(), requestId, xml -> action.handler().handle(context, xml));
  }

  /** What the call was about, for the call log: who managed the setting, what a write asked. */
  private CallCounters.CallDetails details(Call call) {
    ManagedBy managedBy = call.managedBy;
    boolean named =
        !call.account.equals(CallCounters.UNKNOWN) && state.region(call.region).isPresent();
    if (managedBy == null && call.service == AwsService.EC2 && named) {
      // Answered before the action ran (a fault, throttling, a Region down): who manages it now.
      managedBy = state.settings().get(call.account, call.region).managedBy();
    }
    SettingsState requestedState = null;
    List<Criterion> requestedCriteria = null;
    String roleArn = null;
    if (call.params != null) {
      try {
        switch (call.action) {
          case "EnableAllowedImagesSettings" ->
              requestedState =
                  call.params
                      .get("AllowedImagesSettingsState")
                      .flatMap(SettingsState::fromWire)
                      .orElse(null);
          case "DisableAllowedImagesSettings" -> requestedState = SettingsState.DISABLED;
          case "ReplaceImageCriteriaInAllowedImagesSettings" ->
              requestedCriteria = CriteriaWireFormat.read(call.params);
          case "AssumeRole" -> roleArn = call.params.get("RoleArn").orElse(null);
          default -> {}
        }
      } catch (ApiException e) {
        // A malformed request: the log keeps what could be read.
      }
    }
    return new CallCounters.CallDetails(managedBy, requestedState, requestedCriteria, roleArn);
  }

  private static String readParameters(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (method.equals("POST")) {
      return HttpExchanges.readBody(exchange);
    }
    if (method.equals("GET")) {
      return Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    }
    throw new ApiException(
        405, "MethodNotAllowed", "The HTTP method " + method + " is not allowed");
  }

  /** EC2 or STS, by the SigV4 scope's service, falling back on the API version. */
  private static AwsService service(Optional<SigV4Scope> scope, QueryParams params) {
    String signingName = scope.map(SigV4Scope::service).orElse("");
    if (signingName.equals(AwsService.STS.signingName())) {
      return AwsService.STS;
    }
    if (signingName.equals(AwsService.EC2.signingName())) {
      return AwsService.EC2;
    }
    return params.get("Version").filter(AwsService.STS.version()::equals).isPresent()
        ? AwsService.STS
        : AwsService.EC2;
  }

  private Action route(AwsService service, QueryParams params) {
    String name =
        params
            .get("Action")
            .filter(a -> !a.isEmpty())
            .orElseThrow(
                () ->
                    new ApiException(
                        400, "MissingAction", "The request must contain the parameter Action"));
    Action action = actions.get(key(service, name));
    if (action == null) {
      throw new ApiException(
          400,
          "InvalidAction",
          "The action "
              + name
              + " is not valid for this web service ("
              + service.signingName()
              + ")");
    }
    String version = params.required("Version");
    if (!version.equals(service.version())) {
      throw new ApiException(
          400,
          "NoSuchVersion",
          "An incorrect API version ("
              + version
              + ") was specified in the request; expected "
              + service.version());
    }
    return action;
  }

  private Caller authenticate(AwsService service, Optional<SigV4Scope> scope) {
    try {
      return state
          .credentials()
          .authenticate(
              scope
                  .orElseThrow(
                      () ->
                          ApiException.authFailure(
                              "The request is not signed with AWS Signature Version 4"))
                  .accessKeyId());
    } catch (ApiException e) {
      if (service == AwsService.STS) {
        throw new ApiException(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid. " + e.getMessage());
      }
      throw e;
    }
  }

  private void checkRegion(String region) {
    WorldRegion known =
        state
            .region(region)
            .orElseThrow(
                () ->
                    ApiException.authFailure(
                        "AWS was not able to validate the provided access credentials (unknown"
                            + " Region "
                            + region
                            + ")"));
    if (!known.optInStatus().enabled()) {
      throw ApiException.authFailure(
          "AWS was not able to validate the provided access credentials "
              + "(Region "
              + region
              + " is not enabled for this account)");
    }
    if (faults.isRegionDown(region)) {
      throw new ApiException(503, "Unavailable", "The service is unavailable in " + region);
    }
  }

  private void injectFaults(Action action, Caller caller, String region) {
    Duration latency = faults.latencyFor(action.name());
    if (!latency.isZero()) {
      sleep(latency);
    }
    if (!faults.tryAcquire(caller.accountId(), region, action.name(), action.kind())) {
      throw new ApiException(503, "RequestLimitExceeded", "Request limit exceeded.");
    }
    faults
        .injectedError(region, action.name())
        .ifPresent(
            e -> {
              throw e;
            });
    faults
        .serverError()
        .ifPresent(
            e -> {
              throw e;
            });
  }

  private void authorize(Action action, Caller caller) {
    if (!faults.isDenied(caller.accountId(), action.name())) {
      return;
    }
    String permission = action.service().signingName() + ":" + action.name();
    String message =
        "You are not authorized to perform this operation. User: "
            + caller.arn()
            + " is not authorized to perform: "
            + permission;
    throw action.service() == AwsService.STS
        ? new ApiException(403, "AccessDenied", message)
        : new ApiException(403, "UnauthorizedOperation", message);
  }

  private static void sleep(Duration latency) {
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "Unavailable", "The request was interrupted");
    }
  }

  private static String key(AwsService service, String action) {
    return service.name() + ":" + action;
  }
}
