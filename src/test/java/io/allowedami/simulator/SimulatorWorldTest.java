package io.allowedami.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.allowedami.simulator.model.OptInStatus;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorWorldTest {

  @Test
  void theDefaultWorldHasSeventeenEnabledRegionsAndSeveralHundredInstancesOfEveryKindOfImage() {
    SimulatorWorld world = SimulatorWorld.defaultWorld();
    assertThat(world.regions().stream().filter(r -> r.optInStatus().enabled())).hasSize(17);
    assertThat(world.regions().stream().filter(r -> r.optInStatus() == OptInStatus.NOT_OPTED_IN))
        .hasSize(3);
    assertThat(world.instances()).hasSizeBetween(300, 900);
    Set<String> usedImages =
        world.instances().stream().map(WorldInstance::imageId).collect(Collectors.toSet());
    Set<String> kinds =
        world.images().stream()
            .filter(i -> usedImages.contains(i.imageId()))
            .map(
                i ->
                    i.deregistered()
                        ? "deregistered"
                        : i.ownerAlias() != null ? i.ownerAlias() : i.ownerId())
            .collect(Collectors.toSet());
    assertThat(kinds)
        .contains(
            "amazon",
            "aws-marketplace",
            "deregistered",
            DefaultWorld.THIRD_PARTY_OWNER,
            SimulatorWorld.DEFAULT_ACCOUNT_ID,
            SimulatorWorld.MEMBER_ACCOUNT_ID);
    assertThat(world.images())
        .anyMatch(
            i ->
                i.ownerId().equals(DefaultWorld.CANONICAL_OWNER)
                    && "amazon".equals(i.ownerAlias()));
    assertThat(world.images()).anyMatch(i -> i.deprecationTime() != null);
    assertThat(world.accounts())
        .extracting(a -> a.id())
        .containsExactly(SimulatorWorld.DEFAULT_ACCOUNT_ID, SimulatorWorld.MEMBER_ACCOUNT_ID);
  }

  @Test
  void theDefaultWorldHasLaunchTemplatesOfEveryKindInAFewRegions() {
    SimulatorWorld world = SimulatorWorld.defaultWorld();
    assertThat(world.launchTemplates())
        .extracting(WorldLaunchTemplate::region)
        .containsOnly(DefaultWorld.REGIONS_WITH_LAUNCH_TEMPLATES.toArray(String[]::new));
    List<WorldLaunchTemplate> virginia =
        world.launchTemplates().stream()
            .filter(
                t ->
                    t.region().equals("us-east-1")
                        && t.accountId().equals(SimulatorWorld.DEFAULT_ACCOUNT_ID))
            .toList();
    assertThat(virginia).anyMatch(t -> t.defaultVersion() != t.latestVersion());
    assertThat(virginia)
        .flatExtracting(WorldLaunchTemplate::versions)
        .anyMatch(WorldLaunchTemplateVersion::imageIsSsmParameter)
        .anyMatch(v -> v.imageId() == null);
    Set<String> deregistered =
        world.images().stream()
            .filter(WorldImage::deregistered)
            .map(WorldImage::imageId)
            .collect(Collectors.toSet());
    assertThat(virginia)
        .flatExtracting(WorldLaunchTemplate::versions)
        .anyMatch(v -> deregistered.contains(v.imageId()));
    assertThat(world.ssmParameters()).isNotEmpty();
    Clock clock = Clock.fixed(Instant.parse("2025-11-22T00:00:00Z"), ZoneOffset.UTC);
    assertThat(SimulatorWorld.defaultWorld(clock).launchTemplates())
        .isEqualTo(SimulatorWorld.defaultWorld(clock).launchTemplates());
  }

  @Test
  void badLaunchTemplatesAreRejectedWithAClearMessage() {
    WorldLaunchTemplate good =
        new WorldLaunchTemplate(
            "lt-0123456789abcdef0",
            "us-east-1",
            "123456789012",
            "web",
            null,
            null,
            null,
            List.of(WorldLaunchTemplateVersion.of(1, "ami-0123456789abcdef0")),
            null);
    assertThat(worldWith(good).launchTemplates()).hasSize(1);
    assertThatThrownBy(() -> worldWith(good, good))
        .hasMessageContaining("duplicate launch template ID");
    assertThatThrownBy(
            () -> worldWith(good, copy(good, "lt-0123456789abcdef1", "web", 1L, good.versions())))
        .hasMessageContaining("duplicate launch template name web");
    assertThatThrownBy(() -> worldWith(copy(good, "lt-1", "web", 1L, good.versions())))
        .hasMessageContaining("lt- and 17 lowercase hex digits");
    assertThatThrownBy(
            () -> worldWith(copy(good, good.launchTemplateId(), "a b", 1L, good.versions())))
        .hasMessageContaining("names have 3 to 128");
    assertThatThrownBy(
            () -> worldWith(copy(good, good.launchTemplateId(), "web", 2L, good.versions())))
        .hasMessageContaining("default version 2 is not one of its versions");
    assertThatThrownBy(
            () ->
                worldWith(
                    copy(
                        good,
                        good.launchTemplateId(),
                        "web",
                        1L,
                        List.of(
                            WorldLaunchTemplateVersion.of(2, null),
                            WorldLaunchTemplateVersion.of(1, null)))))
        .hasMessageContaining("ascending");
    assertThatThrownBy(
            () ->
                worldWith(
                    copy(
                        good,
                        good.launchTemplateId(),
                        "web",
                        1L,
                        List.of(WorldLaunchTemplateVersion.of(1, "ubuntu")))))
        .hasMessageContaining("resolve:ssm:");
    assertThatThrownBy(
            () ->
                worldWith(
                    new WorldLaunchTemplate(
                        "lt-0123456789abcdef0",
                        "eu-west-9",
                        "123456789012",
                        "web",
                        null,
                        null,
                        null,
                        good.versions(),
                        null)))
        .hasMessageContaining("unknown Region eu-west-9");
  }

  private static WorldLaunchTemplate copy(
      WorldLaunchTemplate t,
      String id,
      String name,
      long defaultVersion,
      List<WorldLaunchTemplateVersion> versions) {
    return new WorldLaunchTemplate(
        id, t.region(), t.accountId(), name, null, null, defaultVersion, versions, null);
  }

  private static SimulatorWorld worldWith(WorldLaunchTemplate... templates) {
    SimulatorWorld.Builder world =
        SimulatorWorld.builder().account("123456789012", "AKIAX", "s").region("us-east-1");
    for (WorldLaunchTemplate t : templates) {
      world.launchTemplate(t);
    }
    return world.build();
  }

  @Test
  void theDefaultWorldIsDeterministicForAGivenClock() {
    Clock clock = Clock.fixed(Instant.parse("2025-11-22T00:00:00Z"), ZoneOffset.UTC);
    assertThat(SimulatorWorld.defaultWorld(clock).instances())
        .isEqualTo(SimulatorWorld.defaultWorld(clock).instances());
    assertThat(SimulatorWorld.defaultWorld(clock).images())
        .isEqualTo(SimulatorWorld.defaultWorld(clock).images());
  }

  @Test
  void theExampleYamlWorldLoadsWithEveryField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("world.yaml");
    try (InputStream in =
        getClass().getResourceAsStream("/io/allowedami/simulator/example-world.yaml")) {
      Files.copy(in, file);
    }
    SimulatorWorld world = SimulatorWorld.load(file);
    assertThat(world.accounts()).hasSize(2);
    assertThat(world.accounts().get(1).roles().get(0).externalId())
        .isEqualTo("example-external-id");
    assertThat(world.regions())
        .extracting(r -> r.optInStatus())
        .containsExactly(
            OptInStatus.OPT_IN_NOT_REQUIRED,
            OptInStatus.OPT_IN_NOT_REQUIRED,
            OptInStatus.NOT_OPTED_IN);
    WorldImage golden =
        world.images().stream()
            .filter(i -> i.imageId().equals("ami-0golden0000000001"))
            .findFirst()
            .orElseThrow();
    assertThat(golden.isPublic()).isFalse();
    assertThat(golden.watermarks())
        .singleElement()
        .satisfies(w -> assertThat(w.watermarkKey()).isEqualTo("111122223333:golden-pipeline"));
    assertThat(world.images()).filteredOn(WorldImage::deregistered).hasSize(1);
    assertThat(world.instances().get(0).tags()).containsEntry("Name", "web-1");
    assertThat(world.settings().get(0).state()).isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(world.settings().get(0).imageCriteria().get(1).maximumDaysSinceCreated())
        .isEqualTo(365);

    assertThat(world.launchTemplates()).hasSize(2);
    assertThat(world.launchTemplates().get(0).versions())
        .extracting(WorldLaunchTemplateVersion::versionNumber, WorldLaunchTemplateVersion::imageId)
        .containsExactly(tuple(1L, "ami-0amazon0000000001"), tuple(2L, "ami-0market0000000001"));
    assertThat(world.launchTemplates().get(1).versions().get(0).imageIsSsmParameter()).isTrue();
    assertThat(world.launchTemplates().get(1).versions().get(1).imageId()).isNull();

    try (Ec2Simulator sim = Ec2Simulator.start(world, 0)) {
      assertThat(sim.outOfBand().settings("111122223333", "us-east-1").imageCriteria()).hasSize(2);
    }
  }

  @Test
  void aJsonWorldLoadsAndBadWorldsAreRejectedWithAClearMessage(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("world.json");
    Files.writeString(
        json,
        "{\"accounts\":[{\"id\":\"123456789012\",\"accessKeys\":[{\"id\":\"AKIAX\",\"secret\":\"s\"}]}],"
            + "\"regions\":[{\"name\":\"us-east-1\"}]}");
    assertThat(SimulatorWorld.load(json).accounts().get(0).name())
        .isEqualTo("account-123456789012");

    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad,
        "{\"regions\":[{\"name\":\"us-east-1\"}],\"instances\":[{\"instanceId\":\"i-1\","
            + "\"region\":\"us-east-1\",\"accountId\":\"999999999999\",\"imageId\":\"ami-1\"}]}");
    assertThatThrownBy(() -> SimulatorWorld.load(bad)).hasMessageContaining("unknown account");
    Files.writeString(bad, "{\"regionz\":[]}");
    assertThatThrownBy(() -> SimulatorWorld.load(bad)).hasMessageContaining("regionz");
  }
}
