package io.allowedami.simulator.state;

import io.allowedami.simulator.criteria.ImageAllowance;
import io.allowedami.simulator.model.WorldRegion;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Everything the actions read and change, shared by all requests. */
public record SimulatorState(
    List<WorldRegion> regions,
    SettingsStore settings,
    ImageCatalog images,
    InstanceInventory instances,
    CredentialStore credentials,
    Clock clock) {

  public SimulatorState {
    regions = List.copyOf(regions);
  }

  public Optional<WorldRegion> region(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public ImageAllowance allowance() {
    return new ImageAllowance(clock);
  }
}
