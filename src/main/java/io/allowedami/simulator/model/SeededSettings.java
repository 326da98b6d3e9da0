package io.allowedami.simulator.model;

import java.util.List;

/** A setting the world starts with for one account and Region (all others start disabled). */
public record SeededSettings(
    String accountId, String region, SettingsState state, List<Criterion> imageCriteria) {

  public SeededSettings {
    imageCriteria = imageCriteria == null ? List.of() : List.copyOf(imageCriteria);
  }
}
