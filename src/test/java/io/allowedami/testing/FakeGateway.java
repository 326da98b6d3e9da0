package io.allowedami.testing;

import io.allowedami.aws.AccountTarget;
import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AllowedImagesGatewayFactory;
import io.allowedami.aws.AwsFailureException;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionInfo;
import io.allowedami.domain.RegionSettings;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory AWS boundary for reconciler tests: settings per Region, scripted failures, a call
 * log; no instances, no launch templates.
 */
public final class FakeGateway implements AllowedImagesGateway, AllowedImagesGatewayFactory {
  private final String accountId;
  private final Map<String, RegionSettings> settings = new ConcurrentHashMap<>();
  private final Map<String, Failure> failingRegions = new ConcurrentHashMap<>();
  private final Map<String, Failure> deniedWrites = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile List<RegionInfo> regions = List.of();
  private volatile Failure describeRegionsFailure;

  public FakeGateway(String accountId) {
    this.accountId = accountId;
  }

  @Override
  public AllowedImagesGateway forAccount(AccountTarget target) {
    return this;
  }

  @Override
  public void close() {}

  public RegionSettings settings(String region) {
    return settings.getOrDefault(
        region,
        new RegionSettings(AllowedImagesState.DISABLED, ImageCriteria.NONE, ManagedBy.ACCOUNT));
  }

  public void setSettings(String region, RegionSettings value) {
    settings.put(region, value);
  }

  public void failRegion(String region, Failure failure) {
    failingRegions.put(region, failure);
  }

  public void denyWrites(String region, Failure failure) {
    deniedWrites.put(region, failure);
  }

  /** What DescribeRegions answers; empty (the default) answers no Region at all. */
  public void setRegions(List<RegionInfo> regions) {
    this.regions = List.copyOf(regions);
  }

  /** DescribeRegions fails with {@code failure}; null heals it. */
  public void failDescribeRegions(Failure failure) {
    this.describeRegionsFailure = failure;
  }

  /** How many times a call starting with {@code prefix} was made. */
  public long calls(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  public void heal(String region) {
    failingRegions.remove(region);
    deniedWrites.remove(region);
  }

  /** Writes made in {@code region} (DryRun checks are not writes). */
  public long writes(String region) {
    return calls.stream().filter(c -> c.startsWith("apply " + region + " ")).count();
  }

  @Override
  public String accountId() {
    calls.add("accountId");
    return accountId;
  }

  @Override
  public RegionSettings getSettings(String region) {
    calls.add("get " + region);
    failIfDown(region);
    return settings(region);
  }

  @Override
  public void checkPermission(String region, RegionAction action) {
    calls.add("dryRun " + region + " " + action.describe());
    failIfDown(region);
    Failure denied = deniedWrites.get(region);
    if (denied != null) {
      throw new AwsFailureException(denied, null);
    }
  }

  @Override
  public void apply(String region, RegionAction action) {
    calls.add("apply " + region + " " + action.describe());
    failIfDown(region);
    RegionSettings current = settings(region);
    if (action instanceof RegionAction.ReplaceCriteria replace) {
      settings.put(
          region, new RegionSettings(current.state(), replace.criteria(), current.managedBy()));
    } else if (action instanceof RegionAction.SetState set) {
      settings.put(
          region, new RegionSettings(set.state(), current.criteria(), current.managedBy()));
    }
  }

  @Override
  public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
    calls.add("describeInstanceImages " + region);
    failIfDown(region);
  }

  private void failIfDown(String region) {
    Failure failure = failingRegions.get(region);
    if (failure != null) {
      throw new AwsFailureException(failure, null);
    }
  }

  @Override
  public List<RegionInfo> describeRegions() {
    calls.add("describeRegions");
    Failure failure = describeRegionsFailure;
    if (failure != null) {
      throw new AwsFailureException(failure, null);
    }
    return regions;
  }

  @Override
  public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
    calls.add("describeLaunchTemplateVersions " + region);
    failIfDown(region);
    return List.of();
  }

  @Override
  public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
    calls.add("describeImages " + region);
    failIfDown(region);
    return List.of();
  }
}
