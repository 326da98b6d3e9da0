package io.allowedami.simulator;

import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.state.SettingsStore;
import io.allowedami.simulator.state.SimulatorState;
import java.util.List;

/**
 * Changes and reads settings behind the API's back: drift made by the console or another tool, and
 * assertions.
 */
public final class OutOfBand {

  private final SettingsStore settings;
  private final SimulatorState state;

  OutOfBand(SettingsStore settings, SimulatorState state) {
    this.settings = settings;
    this.state = state;
  }

  /**
   * Opts in to a Region that was not enabled (every account of the world, as the simulator keeps
   * one opt-in status per Region): DescribeRegions reports it opted-in and it answers calls.
   */
  public void optInRegion(String region) {
    state.optIn(region);
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
