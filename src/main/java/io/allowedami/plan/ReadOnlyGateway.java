package io.allowedami.plan;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionInfo;
import io.allowedami.domain.RegionSettings;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gateway with its reads only: a plan must never write, not even a DryRun, whatever a later
 * change to the planner calls. Writes fail loudly instead of reaching AWS.
 */
final class ReadOnlyGateway implements AllowedImagesGateway {
  private final AllowedImagesGateway reads;

  ReadOnlyGateway(AllowedImagesGateway reads) {
    this.reads = reads;
  }

  @Override
  public String accountId() {
    return reads.accountId();
  }

  @Override
  public RegionSettings getSettings(String region) {
    return reads.getSettings(region);
  }

  @Override
  public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
    reads.describeInstanceImages(region, pages);
  }

  @Override
  public void checkPermission(String region, RegionAction action) {
    throw new UnsupportedOperationException("plan makes no write call, not even a DryRun");
  }

  @Override
  public void apply(String region, RegionAction action) {
    throw new UnsupportedOperationException("plan makes no write call");
  }

  @Override
  public List<RegionInfo> describeRegions() {
    return reads.describeRegions();
  }

  @Override
  public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
    return reads.describeLaunchTemplateVersions(region, limit);
  }

  @Override
  public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
    return reads.describeImages(region, imageIds);
  }
}
