package io.allowedami.simulator.state;

import io.allowedami.simulator.model.InstanceStateName;
import io.allowedami.simulator.model.WorldInstance;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The instances of the world, changeable while the simulator runs (launch, terminate, remove). */
public final class InstanceInventory {

  private final NavigableMap<String, WorldInstance> byId = new ConcurrentSkipListMap<>();

  public InstanceInventory(Collection<WorldInstance> seed) {
    seed.forEach(this::add);
  }

  public void add(WorldInstance instance) {
    if (byId.putIfAbsent(instance.instanceId(), instance) != null) {
      throw new IllegalArgumentException("instance already exists: " + instance.instanceId());
    }
  }

  public boolean remove(String instanceId) {
    return byId.remove(instanceId) != null;
  }

  /**
   * Marks an instance terminated; it keeps being listed, as AWS lists recently terminated
   * instances.
   */
  public boolean terminate(String instanceId) {
    return byId.computeIfPresent(instanceId, (id, i) -> i.withState(InstanceStateName.TERMINATED))
        != null;
  }

  public Optional<WorldInstance> get(String instanceId) {
    return Optional.ofNullable(byId.get(instanceId));
  }

  /** The account's instances in a Region, ordered by instance ID (the pagination order). */
  public List<WorldInstance> list(String accountId, String region) {
    return byId.values().stream()
        .filter(i -> i.accountId().equals(accountId) && i.region().equals(region))
        .toList();
  }

  public List<WorldInstance> all() {
    return List.copyOf(byId.values());
  }
}
