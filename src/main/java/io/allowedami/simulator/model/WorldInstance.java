package io.allowedami.simulator.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** An EC2 instance of the simulated world and the image it was launched from. */
public record WorldInstance(
    String instanceId,
    String region,
    String accountId,
    String imageId,
    String instanceType,
    String availabilityZone,
    InstanceStateName state,
    Instant launchTime,
    Map<String, String> tags) {

  public WorldInstance {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    state = state == null ? InstanceStateName.RUNNING : state;
    instanceType = instanceType == null ? "t3.micro" : instanceType;
    availabilityZone = availabilityZone == null ? region + "a" : availabilityZone;
    launchTime = launchTime == null ? Instant.parse("2025-06-01T00:00:00Z") : launchTime;
  }

  /** Tags sorted by key, so responses are stable. */
  public Map<String, String> sortedTags() {
    return new TreeMap<>(tags);
  }

  public WorldInstance withState(InstanceStateName newState) {
    return new WorldInstance(
        instanceId,
        region,
        accountId,
        imageId,
        instanceType,
        availabilityZone,
        newState,
        launchTime,
        tags);
  }

  public static Builder builder(
      String instanceId, String region, String accountId, String imageId) {
    return new Builder(instanceId, region, accountId, imageId);
  }

  /** Builds instances in tests and in the default world; unset fields get realistic defaults. */
  public static final class Builder {
    private final String instanceId;
    private final String region;
    private final String accountId;
    private final String imageId;
    private String instanceType;
    private String availabilityZone;
    private InstanceStateName state;
    private Instant launchTime;
    private Map<String, String> tags = Map.of();

    private Builder(String instanceId, String region, String accountId, String imageId) {
      this.instanceId = instanceId;
      this.region = region;
      this.accountId = accountId;
      this.imageId = imageId;
    }

    public Builder instanceType(String value) {
      instanceType = value;
      return this;
    }

    public Builder availabilityZone(String value) {
      availabilityZone = value;
      return this;
    }

    public Builder state(InstanceStateName value) {
      state = value;
      return this;
    }

    public Builder launchTime(Instant value) {
      launchTime = value;
      return this;
    }

    public Builder tags(Map<String, String> value) {
      tags = value;
      return this;
    }

    public WorldInstance build() {
      return new WorldInstance(
          instanceId,
          region,
          accountId,
          imageId,
          instanceType,
          availabilityZone,
          state,
          launchTime,
          tags);
    }
  }
}
