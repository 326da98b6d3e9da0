package io.allowedami.simulator.protocol;

import io.allowedami.simulator.state.Caller;

/**
 * An authenticated call being answered: the Region it targets, who makes it, and its parameters.
 */
public record CallContext(String region, Caller caller, QueryParams params) {

  public String accountId() {
    return caller.accountId();
  }
}
