package io.allowedami.simulator;

import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import io.allowedami.simulator.state.SettingsStore;
import io.allowedami.simulator.state.SimulatorState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Changes and reads settings and launch templates behind the API's back: drift made by the console
 * or another tool, and assertions.
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

  /**
   * Creates a launch template with one version (the default) launching {@code imageId} (an AMI ID,
   * {@code resolve:ssm:/parameter} or null) and returns its new ID.
   */
  public String createLaunchTemplate(String accountId, String region, String name, String imageId) {
    String id = String.format("lt-0%016x", ThreadLocalRandom.current().nextLong());
    createLaunchTemplate(
        new WorldLaunchTemplate(
            id,
            region,
            accountId,
            name,
            state.clock().instant(),
            null,
            1L,
            List.of(new WorldLaunchTemplateVersion(1, null, imageId, null)),
            Map.of()));
    return id;
  }

  /** Creates a launch template as given (ID, name unique in its account and Region, versions). */
  public void createLaunchTemplate(WorldLaunchTemplate template) {
    if (state.region(template.region()).isEmpty()) {
      throw new IllegalArgumentException(
          "launch template "
              + template.launchTemplateId()
              + " in unknown Region "
              + template.region());
    }
    state.launchTemplates().create(template);
  }

  /** Adds a version after the latest (not made the default) and returns its number. */
  public long addLaunchTemplateVersion(
      String launchTemplateId, String description, String imageId) {
    return state
        .launchTemplates()
        .addVersion(launchTemplateId, description, imageId, state.clock().instant());
  }

  public void setDefaultLaunchTemplateVersion(String launchTemplateId, long versionNumber) {
    state.launchTemplates().setDefaultVersion(launchTemplateId, versionNumber);
  }

  /** Deletes a launch template and all its versions; false when there was none. */
  public boolean deleteLaunchTemplate(String launchTemplateId) {
    return state.launchTemplates().delete(launchTemplateId);
  }

  /** Every launch template of the world as it is now. */
  public List<WorldLaunchTemplate> launchTemplates() {
    return state.launchTemplates().all();
  }
}
