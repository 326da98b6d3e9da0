package io.allowedami.simulator.state;

/** Who signed a request: the account it acts in and the identity GetCallerIdentity reports. */
public record Caller(String accountId, String arn, String userId, String accessKeyId) {}
