package io.allowedami.simulator;

import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.state.SettingsStore;
import java.util.List;

/**
 * Changes and reads settings behind the API's back: drift made by the console or another tool, and
 * assertions.
 */
public final class OutOfBand {

  private final SettingsStore settings;

  OutOfBand(SettingsStore settings) {
    this.settings = settings;
  }

  /** The setting as GetAllowedImagesSettings would report it. */
  public AllowedImagesSettings settings(String accountId, String region) {
    return settings.get(accountId, region);
  }

  /**
   * Replaces an account's own setting in a Region (a declarative policy in force still takes
   * precedence).
   */
  public void setSettings(
      String accountId, String region, SettingsState state, List<Criterion> criteria) {
    settings.setOutOfBand(accountId, region, state, criteria);
  }
}
