package io.allowedami.simulator.model;

import java.util.List;

/** An AWS account of the simulated world: its long-term access keys and assumable roles. */
public record WorldAccount(
    String id, String name, List<AccessKey> accessKeys, List<WorldRole> roles) {

  public WorldAccount {
    accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
    roles = roles == null ? List.of() : List.copyOf(roles);
    name = name == null ? "account-" + id : name;
  }
}
