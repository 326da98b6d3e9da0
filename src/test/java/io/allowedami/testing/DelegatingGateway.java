package io.allowedami.testing;

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

/** A gateway that forwards every call; tests override the calls they script. */
public class DelegatingGateway implements AllowedImagesGateway {
  private final AllowedImagesGateway delegate;

  public DelegatingGateway(AllowedImagesGateway delegate) {
    this.delegate = delegate;
  }

  @Override
  public String accountId() {
    return delegate.accountId();
  }

  @Override
  public RegionSettings getSettings(String region) {
    return delegate.getSettings(region);
  }

  @Override
  public void checkPermission(String region, RegionAction action) {
    delegate.checkPermission(region, action);
  }

  @Override
  public void apply(String region, RegionAction action) {
    delegate.apply(region, action);
  }

  @Override
  public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
    delegate.describeInstanceImages(region, pages);
  }

  @Override
  public List<RegionInfo> describeRegions() {
    return delegate.describeRegions();
  }

  @Override
  public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
    return delegate.describeLaunchTemplateVersions(region, limit);
  }

  @Override
  public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
    return delegate.describeImages(region, imageIds);
  }
}
