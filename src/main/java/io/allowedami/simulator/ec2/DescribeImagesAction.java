package io.allowedami.simulator.ec2;

import io.allowedami.simulator.criteria.ImageAllowance;
import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.SimulatorState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * DescribeImages: the public and own images of a Region with ImageAllowed; while the setting is
 * enabled, images that are not allowed are not discoverable.
 */
public final class DescribeImagesAction {

  private final SimulatorState state;

  public DescribeImagesAction(SimulatorState state) {
    this.state = state;
  }

  public Action action() {
    return new Action(
        "DescribeImages",
        AwsService.EC2,
        Kind.READ,
        Set.of(
            "ImageId",
            "Owner",
            "ExecutableBy",
            "Filter",
            "IncludeDeprecated",
            "IncludeDisabled",
            "MaxResults",
            "NextToken"),
        this::describe);
  }

  /** An image with ImageAllowed computed for the caller. */
  private record Row(WorldImage image, Boolean allowed) {}

  private void describe(CallContext call, XmlWriter xml) {
    String account = call.accountId();
    AllowedImagesSettings settings = state.settings().get(account, call.region());
    ImageAllowance allowance = state.allowance();
    List<String> imageIds = call.params().list("ImageId");
    List<String> owners = call.params().list("Owner");
    boolean includeDeprecated = call.params().flag("IncludeDeprecated");
    boolean includeDisabled = call.params().flag("IncludeDisabled");
    Instant now = state.clock().instant();
    imageIds.stream()
        .filter(id -> !WorldImage.isWellFormedId(id))
        .findFirst()
        .ifPresent(
            id -> {
              throw new ApiException(
                  400,
                  "InvalidAMIID.Malformed",
                  "Invalid id: \"" + id + "\" (expecting \"ami-...\")");
            });
    Predicate<Row> filter = filters().parse(call.params());
    List<WorldImage> visible =
        state.images().list(call.region()).stream()
            .filter(i -> !i.deregistered() && (i.isPublic() || i.ownerId().equals(account)))
            .filter(
                i ->
                    settings.state() != SettingsState.ENABLED
                        || Boolean.TRUE.equals(allowance.imageAllowed(settings, i, account)))
            .toList();
    requireExisting(imageIds, visible);
    List<Row> rows =
        visible.stream()
            .filter(i -> imageIds.isEmpty() || imageIds.contains(i.imageId()))
            .filter(i -> includeDisabled || !WorldImage.DISABLED.equals(i.state()))
            .filter(
                i -> owners.isEmpty() || owners.stream().anyMatch(o -> ownerMatches(o, i, account)))
            .filter(
                i ->
                    includeDeprecated
                        || !imageIds.isEmpty()
                        || i.ownerId().equals(account)
                        || i.deprecationTime() == null
                        || i.deprecationTime().isAfter(now))
            .map(i -> new Row(i, allowance.imageAllowed(settings, i, account)))
            .filter(filter)
            .toList();
    Pagination.Page<Row> page =
        Pagination.page(rows, r -> r.image().imageId(), call.params(), 5, 1000);
    xml.start("imagesSet");
    page.items().forEach(row -> write(xml, row));
    xml.end();
    xml.element("nextToken", page.nextToken());
  }

  /**
   * As AWS: an ImageId the caller cannot see (absent, deregistered, private to another account, or
   * not allowed while the setting is enabled, as launching it would fail) is InvalidAMIID.NotFound;
   * the image-id filter never fails.
   */
  private static void requireExisting(List<String> imageIds, List<WorldImage> visible) {
    Set<String> known = visible.stream().map(WorldImage::imageId).collect(Collectors.toSet());
    List<String> missing = imageIds.stream().filter(id -> !known.contains(id)).distinct().toList();
    if (!missing.isEmpty()) {
      throw new ApiException(
          400,
          "InvalidAMIID.NotFound",
          missing.size() == 1
              ? "The image id '[" + missing.get(0) + "]' does not exist"
              : "The image ids '" + missing + "' do not exist");
    }
  }

  private static boolean ownerMatches(String owner, WorldImage image, String account) {
    return owner.equals("self")
        ? image.ownerId().equals(account)
        : owner.equals(image.ownerId()) || owner.equals(image.ownerAlias());
  }

  private static Filters<Row> filters() {
    return new Filters<Row>()
        .single("image-id", r -> r.image().imageId())
        .single("name", r -> r.image().name())
        .single("state", r -> r.image().state())
        .single("owner-id", r -> r.image().ownerId())
        .single("owner-alias", r -> r.image().ownerAlias())
        .single("is-public", r -> r.image().isPublic().toString())
        .single("image-allowed", r -> r.allowed() == null ? null : r.allowed().toString())
        .attribute("product-code", r -> r.image().productCodes());
  }

  private static void write(XmlWriter xml, Row row) {
    WorldImage image = row.image();
    xml.start("item")
        .element("imageId", image.imageId())
        .element(
            "imageLocation",
            (image.ownerAlias() != null ? image.ownerAlias() : image.ownerId())
                + "/"
                + image.name())
        .element("imageState", image.state())
        .element("imageOwnerId", image.ownerId())
        .element("creationDate", XmlWriter.timestamp(image.creationDate()))
        .element("isPublic", image.isPublic());
    if (!image.productCodes().isEmpty()) {
      xml.start("productCodes");
      image
          .productCodes()
          .forEach(
              code ->
                  xml.start("item")
                      .element("productCode", code)
                      .element("type", "marketplace")
                      .end());
      xml.end();
    }
    xml.element("architecture", "x86_64")
        .element("imageType", "machine")
        .element("name", image.name())
        .element("imageOwnerAlias", image.ownerAlias())
        .element("rootDeviceType", "ebs")
        .element("rootDeviceName", "/dev/xvda")
        .element("virtualizationType", "hvm")
        .element("hypervisor", "xen")
        .element("deprecationTime", XmlWriter.timestamp(image.deprecationTime()))
        .element("imageAllowed", row.allowed());
    Watermarks.write(xml, image.watermarks());
    xml.end();
  }
}
