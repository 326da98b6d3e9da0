package io.allowedami.simulator.model;

import java.util.List;

/**
 * The Allowed AMIs setting of one account in one Region, as GetAllowedImagesSettings reports it.
 */
public record AllowedImagesSettings(
    SettingsState state, List<Criterion> imageCriteria, ManagedBy managedBy) {

  public static final AllowedImagesSettings INITIAL =
      new AllowedImagesSettings(SettingsState.DISABLED, List.of(), ManagedBy.ACCOUNT);

  public AllowedImagesSettings {
    imageCriteria = imageCriteria == null ? List.of() : List.copyOf(imageCriteria);
    managedBy = managedBy == null ? ManagedBy.ACCOUNT : managedBy;
  }

  public AllowedImagesSettings withState(SettingsState newState) {
    return new AllowedImagesSettings(newState, imageCriteria, managedBy);
  }

  public AllowedImagesSettings withCriteria(List<Criterion> newCriteria) {
    return new AllowedImagesSettings(state, newCriteria, managedBy);
  }
}
