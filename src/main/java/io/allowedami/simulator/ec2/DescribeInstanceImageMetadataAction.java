package io.allowedami.simulator.ec2;

import io.allowedami.simulator.criteria.ImageAllowance;
import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.SimulatorState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * DescribeInstanceImageMetadata: every instance of the account in the Region with the image it was
 * launched from (even deregistered) and ImageAllowed under the current setting; filtered and
 * paginated.
 */
public final class DescribeInstanceImageMetadataAction {

  static final int MAX_RESULTS = 1000;

  private final SimulatorState state;

  public DescribeInstanceImageMetadataAction(SimulatorState state) {
    this.state = state;
  }

  public Action action() {
    return new Action(
        "DescribeInstanceImageMetadata",
        AwsService.EC2,
        Kind.READ,
        Set.of("Filter", "InstanceId", "MaxResults", "NextToken"),
        this::describe);
  }

  /** An instance joined with its image (absent when the image no longer exists in the Region). */
  private record Row(WorldInstance instance, Optional<WorldImage> image, Boolean allowed) {}

  private void describe(CallContext call, XmlWriter xml) {
    AllowedImagesSettings settings = state.settings().get(call.accountId(), call.region());
    ImageAllowance allowance = state.allowance();
    List<String> instanceIds = call.params().list("InstanceId");
    Predicate<Row> filter = filters().parse(call.params());
    List<Row> rows =
        state.instances().list(call.accountId(), call.region()).stream()
            .filter(i -> instanceIds.isEmpty() || instanceIds.contains(i.instanceId()))
            .map(
                i -> {
                  Optional<WorldImage> image =
                      state
                          .images()
                          .get(call.region(), i.imageId())
                          .filter(img -> !img.deregistered());
                  return new Row(
                      i,
                      image,
                      image
                          .map(img -> allowance.imageAllowed(settings, img, call.accountId()))
                          .orElse(null));
                })
            .filter(filter)
            .toList();
    Pagination.Page<Row> page =
        Pagination.page(rows, r -> r.instance().instanceId(), call.params(), 1, MAX_RESULTS);
    xml.start("instanceImageMetadataSet");
    page.items().forEach(row -> write(xml, row));
    xml.end();
    xml.element("nextToken", page.nextToken());
  }

  private static Filters<Row> filters() {
    return new Filters<Row>()
        .single("instance-id", r -> r.instance().instanceId())
        .single("instance-state-name", r -> r.instance().state().wire())
        .single("instance-type", r -> r.instance().instanceType())
        .single("availability-zone", r -> r.instance().availabilityZone())
        .single("zone-id", r -> ZoneIds.of(r.instance().availabilityZone()))
        .single("launch-time", r -> XmlWriter.timestamp(r.instance().launchTime()))
        .single("image-allowed", r -> r.allowed() == null ? null : r.allowed().toString())
        .single("owner-alias", r -> r.image().map(WorldImage::ownerAlias).orElse(null))
        .single("owner-id", r -> r.image().map(WorldImage::ownerId).orElse(null))
        .attribute("tag-key", r -> r.instance().tags().keySet())
        .tags((r, key) -> Optional.ofNullable(r.instance().tags().get(key)).stream().toList());
  }

  private static void write(XmlWriter xml, Row row) {
    WorldInstance i = row.instance();
    xml.start("item")
        .element("instanceId", i.instanceId())
        .element("instanceType", i.instanceType())
        .element("launchTime", i.launchTime())
        .element("availabilityZone", i.availabilityZone())
        .element("zoneId", ZoneIds.of(i.availabilityZone()))
        .start("instanceState")
        .element("code", i.state().code())
        .element("name", i.state().wire())
        .end()
        .element("instanceOwnerId", i.accountId());
    Tags.write(xml, i.sortedTags());
    xml.start("imageMetadata").element("imageId", i.imageId());
    row.image()
        .ifPresentOrElse(
            img -> {
              xml.element("name", img.name())
                  .element("imageOwnerId", img.ownerId())
                  .element("imageState", img.state())
                  .element("imageOwnerAlias", img.ownerAlias())
                  .element("creationDate", XmlWriter.timestamp(img.creationDate()))
                  .element("deprecationTime", XmlWriter.timestamp(img.deprecationTime()))
                  .element("imageAllowed", row.allowed())
                  .element("isPublic", img.isPublic());
              Watermarks.write(xml, img.watermarks());
            },
            () -> xml.element("imageState", WorldImage.DEREGISTERED));
    xml.end().start("operator").element("managed", false).end().end();
  }
}
