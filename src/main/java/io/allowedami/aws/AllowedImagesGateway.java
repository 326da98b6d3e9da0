package io.allowedami.aws;

import io.allowedami.compliance.InstanceImage;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionInfo;
import io.allowedami.domain.RegionSettings;
import java.util.List;

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

  /** DescribeInstanceImageMetadata, every page at 1,000 items a page. */
  List<InstanceImage> describeInstanceImages(String region);

  /**
   * DescribeRegions with AllRegions=true: every Region of the partition and whether the account has
   * it enabled.
   */
  List<RegionInfo> describeRegions();
}
