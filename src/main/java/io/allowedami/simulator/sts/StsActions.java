package io.allowedami.simulator.sts;

import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.Caller;
import io.allowedami.simulator.state.CredentialStore;
import io.allowedami.simulator.state.CredentialStore.TemporaryCredentials;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** STS GetCallerIdentity and AssumeRole, so multi-account flows run end to end. */
public final class StsActions {

  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final int MIN_DURATION = 900;
  private static final int MAX_DURATION = 43_200;
  private static final int DEFAULT_DURATION = 3600;

  private final CredentialStore credentials;

  public StsActions(CredentialStore credentials) {
    this.credentials = credentials;
  }

  public List<Action> actions() {
    return List.of(
        new Action(
            "GetCallerIdentity", AwsService.STS, Kind.READ, Set.of(), this::getCallerIdentity),
        new Action(
            "AssumeRole",
            AwsService.STS,
            Kind.WRITE,
            Set.of(
                "RoleArn",
                "RoleSessionName",
                "ExternalId",
                "DurationSeconds",
                "Policy",
                "PolicyArns",
                "Tags",
                "TransitiveTagKeys",
                "SerialNumber",
                "TokenCode",
                "SourceIdentity",
                "ProvidedContexts"),
            this::assumeRole));
  }

  private void getCallerIdentity(CallContext call, XmlWriter xml) {
    Caller caller = call.caller();
    xml.element("Arn", caller.arn())
        .element("UserId", caller.userId())
        .element("Account", caller.accountId());
  }

  private void assumeRole(CallContext call, XmlWriter xml) {
    String roleArn = call.params().required("RoleArn");
    String sessionName = call.params().required("RoleSessionName");
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw validationError("RoleSessionName must be 2-64 characters of [\\w+=,.@-]");
    }
    int duration = call.params().integer("DurationSeconds").orElse(DEFAULT_DURATION);
    if (duration < MIN_DURATION || duration > MAX_DURATION) {
      throw validationError(
          "DurationSeconds must be between " + MIN_DURATION + " and " + MAX_DURATION);
    }
    TemporaryCredentials issued =
        credentials.assumeRole(
            roleArn,
            sessionName,
            call.params().get("ExternalId").orElse(null),
            Duration.ofSeconds(duration));
    xml.start("Credentials")
        .element("AccessKeyId", issued.caller().accessKeyId())
        .element("SecretAccessKey", issued.secretAccessKey())
        .element("SessionToken", issued.sessionToken())
        .element("Expiration", issued.expiration())
        .end()
        .start("AssumedRoleUser")
        .element("AssumedRoleId", issued.caller().userId())
        .element("Arn", issued.caller().arn())
        .end();
  }

  private static ApiException validationError(String message) {
    return new ApiException(400, "ValidationError", message);
  }
}
