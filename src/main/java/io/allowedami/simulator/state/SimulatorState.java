package io.allowedami.simulator.state;

import io.allowedami.simulator.criteria.ImageAllowance;
import io.allowedami.simulator.model.OptInStatus;
import io.allowedami.simulator.model.WorldRegion;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Everything the actions read and change, shared by all requests. */
public record SimulatorState(
    List<WorldRegion> regions,
    SettingsStore settings,
    ImageCatalog images,
    InstanceInventory instances,
    LaunchTemplateStore launchTemplates,
    CredentialStore credentials,
    Clock clock) {

  public SimulatorState {
    // Changeable at runtime only by an opt-in (see optIn), as an account enables a Region.
    regions = new CopyOnWriteArrayList<>(regions);
  }

  @Override
  public List<WorldRegion> regions() {
    return List.copyOf(regions);
  }

  /** The account opts in to a Region of the world: it answers from now on. */
  public void optIn(String name) {
    WorldRegion known =
        region(name).orElseThrow(() -> new IllegalArgumentException("unknown Region " + name));
    if (!known.optInStatus().enabled()) {
      regions.set(regions.indexOf(known), new WorldRegion(name, OptInStatus.OPTED_IN));
    }
  }

  public Optional<WorldRegion> region(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public ImageAllowance allowance() {
    return new ImageAllowance(clock);
  }
}
