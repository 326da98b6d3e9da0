package io.allowedami.simulator.ec2;

import io.allowedami.simulator.model.WorldRegion;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.protocol.Action.Kind;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.AwsService;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.protocol.XmlWriter;
import io.allowedami.simulator.state.SimulatorState;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** DescribeRegions: the enabled Regions, or with AllRegions every Region and its OptInStatus. */
public final class DescribeRegionsAction {

  private final SimulatorState state;

  public DescribeRegionsAction(SimulatorState state) {
    this.state = state;
  }

  public Action action() {
    return new Action(
        "DescribeRegions",
        AwsService.EC2,
        Kind.READ,
        Set.of("RegionName", "AllRegions", "Filter"),
        this::describe);
  }

  private void describe(CallContext call, XmlWriter xml) {
    List<String> names = call.params().list("RegionName");
    boolean all = call.params().flag("AllRegions");
    names.stream()
        .filter(n -> state.region(n).isEmpty())
        .findFirst()
        .ifPresent(
            n -> {
              throw ApiException.invalidParameterValue("Invalid region: " + n);
            });
    Predicate<WorldRegion> filter =
        new Filters<WorldRegion>()
            .single("region-name", WorldRegion::name)
            .single("opt-in-status", r -> r.optInStatus().wire())
            .single("endpoint", DescribeRegionsAction::endpoint)
            .parse(call.params());
    xml.start("regionInfo");
    state.regions().stream()
        .filter(r -> all || !names.isEmpty() || r.optInStatus().enabled())
        .filter(r -> names.isEmpty() || names.contains(r.name()))
        .filter(filter)
        .forEach(
            r ->
                xml.start("item")
                    .element("regionName", r.name())
                    .element("regionEndpoint", endpoint(r))
                    .element("optInStatus", r.optInStatus().wire())
                    .end());
    xml.end();
  }

  private static String endpoint(WorldRegion region) {
    return "ec2." + region.name() + ".amazonaws.com";
  }
}
