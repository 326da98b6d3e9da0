package io.allowedami.aws;

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
 * Everything the operator asks of AWS for one account, in the project's own types. The reconciler
 * depends on this interface only; failures arrive as {@link AwsFailureException}.
 */
public interface AllowedImagesGateway {

  /** The account ID behind the credentials (STS GetCallerIdentity), cached after the first call. */
  String accountId();

  /** GetAllowedImagesSettings. */
  RegionSettings getSettings(String region);

  /** The same call as {@link #apply} with DryRun: throws when the caller lacks the permission. */
  void checkPermission(String region, RegionAction action);

  /**
   * ReplaceImageCriteriaInAllowedImagesSettings, EnableAllowedImagesSettings or
   * DisableAllowedImagesSettings.
   */
  void apply(String region, RegionAction action);

  /**
   * DescribeInstanceImageMetadata, every page at 1,000 items a page, each handed to {@code pages}
   * as it arrives and not kept: memory holds one page whatever the fleet. An exception {@code
   * pages} throws stops the read and comes out as it is.
   */
  void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages);

  /**
   * DescribeRegions with AllRegions=true: every Region of the partition and whether the account has
   * it enabled.
   */
  List<RegionInfo> describeRegions();

  /**
   * DescribeLaunchTemplateVersions for {@code $Default} and {@code $Latest} of every launch
   * template of the Region (the account-wide form, without a template ID), every page at 200 items
   * a page, stopping after {@code limit} versions (pages beyond are not read). Images given as SSM
   * parameters are reported as such, not resolved.
   */
  List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit);

  /**
   * DescribeImages for these image IDs (as an {@code image-id} filter, so that an ID the account
   * cannot see is absent rather than an error; deprecated and disabled images included), every
   * page. At most {@link #MAX_IMAGE_IDS_PER_CALL} IDs a call.
   */
  List<DescribedImage> describeImages(String region, Collection<String> imageIds);

  /** How many image IDs one DescribeImages filter carries; EC2 caps filter values at 200. */
  int MAX_IMAGE_IDS_PER_CALL = 200;
}
