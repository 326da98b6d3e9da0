package io.allowedami.aws;

import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionAction.ReplaceCriteria;
import io.allowedami.domain.RegionAction.SetState;
import io.allowedami.domain.RegionInfo;
import io.allowedami.domain.RegionSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceImageMetadataResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.GetAllowedImagesSettingsResponse;
import software.amazon.awssdk.services.sts.StsClient;

/** The gateway on the AWS SDK for Java v2: one EC2 client per Region, one STS client. */
final class SdkAllowedImagesGateway implements AllowedImagesGateway {
  private static final String DRY_RUN_OK = "DryRunOperation";
  static final int MAX_PAGE_SIZE = 1000;
  private static final int MIN_PAGE_SIZE = 10;
  private static final int MAX_LAUNCH_TEMPLATE_PAGE_SIZE = 200;

  private final Function<String, Ec2Client> ec2ForRegion;
  private final StsClient sts;
  private final String homeRegion;
  private final InstancePageLimit instancePages;

  /** The size of each Region's last first page, to size the next one. */
  private final Map<String, Integer> firstPages = new ConcurrentHashMap<>();

  private volatile String accountId;

  /**
   * {@code homeRegion} answers the account-wide DescribeRegions (the STS Region); {@code
   * instancePages} is shared by every gateway of the operator.
   */
  SdkAllowedImagesGateway(
      Function<String, Ec2Client> ec2ForRegion,
      StsClient sts,
      String homeRegion,
      InstancePageLimit instancePages) {
    this.ec2ForRegion = ec2ForRegion;
    this.sts = sts;
    this.homeRegion = homeRegion;
    this.instancePages = instancePages;
  }

  @Override
  public String accountId() {
    String known = accountId;
    if (known == null) {
      known = call(() -> sts.getCallerIdentity().account());
      accountId = known;
    }
    return known;
  }

  @Override
  public RegionSettings getSettings(String region) {
    GetAllowedImagesSettingsResponse response =
        call(() -> ec2ForRegion.apply(region).getAllowedImagesSettings(r -> {}));
    return new RegionSettings(
        response.state() == null
            ? AllowedImagesState.DISABLED
            : AllowedImagesState.fromWire(response.state()),
        response.hasImageCriteria() ? CriteriaMapping.fromSdk(response.imageCriteria()) : null,
        ManagedBy.fromWire(response.managedByAsString()));
  }

  @Override
  public void checkPermission(String region, RegionAction action) {
    try {
      send(region, action, true);
    } catch (Ec2Exception e) {
      if (e.awsErrorDetails() != null && DRY_RUN_OK.equals(e.awsErrorDetails().errorCode())) {
        return;
      }
      throw new AwsFailureException(AwsErrorClassifier.classify(e), e);
    } catch (RuntimeException e) {
      throw new AwsFailureException(AwsErrorClassifier.classify(e), e);
    }
    // AWS answers a permitted DryRun with an error; a success means the endpoint ignored DryRun.
    throw new AwsFailureException(
        Failure.terminal(
            "DryRunIgnored", "the endpoint performed a DryRun request instead of checking it"),
        null);
  }

  @Override
  public void apply(String region, RegionAction action) {
    call(
        () -> {
          send(region, action, false);
          return null;
        });
  }

  @Override
  public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
    // Paginated by hand: each page call holds, while the SDK parses it, permits of the
    // operator-wide limit for the items it asks for. A Region whose last scan had a small first
    // page asks for a small one (twice that, so that it still fits in one call as it grows); a
    // larger fleet then takes one more page, never more memory. Only AWS's part is classified:
    // what the consumer throws is its own and passes unchanged.
    Ec2Client ec2 = ec2ForRegion.apply(region);
    int size = firstPageSize(region);
    String token = null;
    do {
      String next = token;
      int asked = size;
      DescribeInstanceImageMetadataResponse response;
      List<InstanceImage> page;
      instancePages.acquire(asked);
      try {
        response =
            call(() -> ec2.describeInstanceImageMetadata(r -> r.maxResults(asked).nextToken(next)));
        page =
            call(
                () ->
                    response.instanceImageMetadata().stream()
                        .map(InstanceImageMapping::fromSdk)
                        .toList());
      } finally {
        instancePages.release(asked);
      }
      if (token == null) {
        firstPages.put(region, page.size());
      }
      pages.accept(page);
      token = response.nextToken();
      size = MAX_PAGE_SIZE;
    } while (token != null && !token.isEmpty());
  }

  /** A full page for a Region not scanned yet; else room for twice what its last scan found. */
  private int firstPageSize(String region) {
    Integer last = firstPages.get(region);
    return last == null
        ? MAX_PAGE_SIZE
        : Math.max(MIN_PAGE_SIZE, Math.min(MAX_PAGE_SIZE, 2 * last + MIN_PAGE_SIZE));
  }

  @Override
  public List<RegionInfo> describeRegions() {
    return call(
        () ->
            ec2ForRegion
                .apply(homeRegion)
                .describeRegions(r -> r.allRegions(true))
                .regions()
                .stream()
                .map(r -> new RegionInfo(r.regionName(), r.optInStatus()))
                .toList());
  }

  @Override
  public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
    return call(
        () ->
            ec2ForRegion
                .apply(region)
                .describeLaunchTemplateVersionsPaginator(
                    r ->
                        r.versions("$Latest", "$Default").maxResults(MAX_LAUNCH_TEMPLATE_PAGE_SIZE))
                .launchTemplateVersions()
                .stream()
                .filter(v -> v.launchTemplateId() != null)
                .limit(limit)
                .map(
                    v ->
                        new LaunchTemplateVersion(
                            v.launchTemplateId(),
                            v.launchTemplateName(),
                            v.versionNumber() == null ? 0 : v.versionNumber(),
                            Boolean.TRUE.equals(v.defaultVersion()),
                            v.launchTemplateData() == null
                                ? null
                                : v.launchTemplateData().imageId()))
                .toList());
  }

  @Override
  public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
    List<String> ids = List.copyOf(imageIds);
    List<DescribedImage> images = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += MAX_IMAGE_IDS_PER_CALL) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + MAX_IMAGE_IDS_PER_CALL));
      images.addAll(
          call(
              () ->
                  ec2ForRegion
                      .apply(region)
                      .describeImagesPaginator(
                          r ->
                              r.filters(f -> f.name("image-id").values(batch))
                                  .includeDeprecated(true)
                                  .includeDisabled(true)
                                  .maxResults(MAX_PAGE_SIZE))
                      .images()
                      .stream()
                      .map(InstanceImageMapping::fromSdk)
                      .toList()));
    }
    return images;
  }

  private void send(String region, RegionAction action, boolean dryRun) {
    Ec2Client ec2 = ec2ForRegion.apply(region);
    if (action instanceof ReplaceCriteria replace) {
      ec2.replaceImageCriteriaInAllowedImagesSettings(
          r -> r.imageCriteria(CriteriaMapping.toSdk(replace.criteria())).dryRun(dryRun));
    } else if (action instanceof SetState set && set.state() == AllowedImagesState.DISABLED) {
      ec2.disableAllowedImagesSettings(r -> r.dryRun(dryRun));
    } else if (action instanceof SetState set) {
      ec2.enableAllowedImagesSettings(
          r -> r.allowedImagesSettingsState(set.state().wireValue()).dryRun(dryRun));
    }
  }

  private static <T> T call(Supplier<T> awsCall) {
    try {
      return awsCall.get();
    } catch (RuntimeException e) {
      throw new AwsFailureException(AwsErrorClassifier.classify(e), e);
    }
  }
}
