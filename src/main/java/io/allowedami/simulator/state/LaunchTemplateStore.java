package io.allowedami.simulator.state;

import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldSsmParameter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The launch templates of every account and Region (and the SSM parameters their images may name),
 * changeable while the simulator runs: create, add a version, set the default, delete.
 */
public final class LaunchTemplateStore {

  private final NavigableMap<String, WorldLaunchTemplate> byId = new ConcurrentSkipListMap<>();
  private final Map<String, String> ssmValues = new ConcurrentHashMap<>();

  public LaunchTemplateStore(
      Collection<WorldLaunchTemplate> seed, Collection<WorldSsmParameter> parameters) {
    seed.forEach(this::create);
    parameters.forEach(p -> ssmValues.put(ssmKey(p.accountId(), p.region(), p.name()), p.value()));
  }

  /** The account's templates in a Region, ordered by ID. */
  public List<WorldLaunchTemplate> list(String accountId, String region) {
    return byId.values().stream()
        .filter(t -> t.accountId().equals(accountId) && t.region().equals(region))
        .toList();
  }

  public Optional<WorldLaunchTemplate> byId(String accountId, String region, String id) {
    return Optional.ofNullable(byId.get(id))
        .filter(t -> t.accountId().equals(accountId) && t.region().equals(region));
  }

  public Optional<WorldLaunchTemplate> byName(String accountId, String region, String name) {
    return list(accountId, region).stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** Adds a template; its ID must be new and its name new in its account and Region. */
  public synchronized void create(WorldLaunchTemplate template) {
    template
        .problem()
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    if (byId.containsKey(template.launchTemplateId())) {
      throw new IllegalArgumentException(
          "launch template ID already exists: " + template.launchTemplateId());
    }
    if (byName(template.accountId(), template.region(), template.name()).isPresent()) {
      throw new IllegalArgumentException(
          "launch template name already exists in account "
              + template.accountId()
              + " and "
              + template.region()
              + ": "
              + template.name());
    }
    byId.put(template.launchTemplateId(), template);
  }

  /** Adds a version after the latest and returns its number. */
  public synchronized long addVersion(
      String id, String description, String imageId, Instant created) {
    WorldLaunchTemplate changed = existing(id).withNewVersion(description, imageId, created);
    changed
        .problem()
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    byId.put(id, changed);
    return changed.latestVersion();
  }

  public synchronized void setDefaultVersion(String id, long version) {
    WorldLaunchTemplate template = existing(id);
    if (template.version(version).isEmpty()) {
      throw new IllegalArgumentException("launch template " + id + " has no version " + version);
    }
    byId.put(id, template.withDefaultVersion(version));
  }

  public boolean delete(String id) {
    return byId.remove(id) != null;
  }

  public List<WorldLaunchTemplate> all() {
    return List.copyOf(byId.values());
  }

  /** The value of an SSM parameter (an AMI ID), if the world has it. */
  public Optional<String> ssmParameter(String accountId, String region, String name) {
    return Optional.ofNullable(ssmValues.get(ssmKey(accountId, region, name)));
  }

  private WorldLaunchTemplate existing(String id) {
    WorldLaunchTemplate template = byId.get(id);
    if (template == null) {
      throw new IllegalArgumentException("no such launch template: " + id);
    }
    return template;
  }

  private static String ssmKey(String accountId, String region, String name) {
    return accountId + "/" + region + "/" + name;
  }
}
