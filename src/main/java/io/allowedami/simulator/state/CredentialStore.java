package io.allowedami.simulator.state;

import io.allowedami.simulator.model.AccessKey;
import io.allowedami.simulator.model.WorldAccount;
import io.allowedami.simulator.model.WorldRole;
import io.allowedami.simulator.protocol.ApiException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps access keys to accounts: the world's long-term keys, and the temporary keys AssumeRole
 * issues, each bound to the role's account.
 */
public final class CredentialStore {

  /** Temporary credentials handed out by AssumeRole. */
  public record TemporaryCredentials(
      Caller caller, String secretAccessKey, String sessionToken, Instant expiration) {}

  private record Issued(Caller caller, Instant expiration) {}

  private final Map<String, Caller> longTerm = new ConcurrentHashMap<>();
  private final Map<String, Issued> temporary = new ConcurrentHashMap<>();
  private final Map<String, WorldAccount> accounts = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public CredentialStore(Collection<WorldAccount> worldAccounts, Clock clock) {
    this.clock = clock;
    for (WorldAccount account : worldAccounts) {
      accounts.put(account.id(), account);
      for (AccessKey key : account.accessKeys()) {
        String userName = account.name();
        longTerm.put(
            key.id(),
            new Caller(
                account.id(),
                "arn:aws:iam::" + account.id() + ":user/" + userName,
                "AIDA" + key.id().substring(Math.min(4, key.id().length())),
                key.id()));
      }
    }
  }

  /** The caller owning an access key, or AuthFailure for unknown or expired keys. */
  public Caller authenticate(String accessKeyId) {
    Caller caller = longTerm.get(accessKeyId);
    if (caller != null) {
      return caller;
    }
    Issued issued = temporary.get(accessKeyId);
    if (issued == null) {
      throw ApiException.authFailure(
          "AWS was not able to validate the provided access credentials");
    }
    if (issued.expiration().isBefore(clock.instant())) {
      throw ApiException.authFailure("The security token included in the request is expired");
    }
    return issued.caller();
  }

  public TemporaryCredentials assumeRole(
      String roleArn, String sessionName, String externalId, Duration duration) {
    WorldRole role =
        findRole(roleArn)
            .orElseThrow(
                () -> accessDenied("Role " + roleArn + " does not exist or is not assumable"));
    if (role.externalId() != null && !role.externalId().equals(externalId)) {
      throw accessDenied(
          "The external ID presented for " + roleArn + " does not match the role's trust policy");
    }
    String accountId = accountOf(roleArn);
    String keyId = "ASIA" + randomHex(8).toUpperCase(Locale.ROOT);
    String roleId =
        "AROA" + HexFormat.of().formatHex(role.name().getBytes()).toUpperCase(Locale.ROOT);
    Caller caller =
        new Caller(
            accountId,
            "arn:aws:sts::" + accountId + ":assumed-role/" + role.name() + "/" + sessionName,
            roleId.substring(0, Math.min(21, roleId.length())) + ":" + sessionName,
            keyId);
    Instant expiration = clock.instant().plus(duration);
    temporary.put(keyId, new Issued(caller, expiration));
    return new TemporaryCredentials(caller, randomHex(20), randomHex(64), expiration);
  }

  private Optional<WorldRole> findRole(String roleArn) {
    String accountId = accountOf(roleArn);
    WorldAccount account = accountId == null ? null : accounts.get(accountId);
    if (account == null) {
      return Optional.empty();
    }
    return account.roles().stream().filter(r -> r.arn(accountId).equals(roleArn)).findFirst();
  }

  private static String accountOf(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") && parts[2].equals("iam") ? parts[4] : null;
  }

  private String randomHex(int bytes) {
    byte[] data = new byte[bytes];
    random.nextBytes(data);
    return HexFormat.of().formatHex(data);
  }

  private static ApiException accessDenied(String message) {
    return new ApiException(403, "AccessDenied", message);
  }
}
