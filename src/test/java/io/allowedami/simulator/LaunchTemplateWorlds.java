package io.allowedami.simulator;

import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldLaunchTemplateVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds worlds with many launch templates, and computes from any set of templates what the
 * account-wide DescribeLaunchTemplateVersions ($Latest and $Default) should return.
 */
public final class LaunchTemplateWorlds {

  /** A template ID and version number, as AWS reports a version. */
  public record VersionKey(String launchTemplateId, long versionNumber) {}

  /** The SSM parameter that every seventh version of {@link #addMany} launches from. */
  public static final String SSM_REFERENCE = "resolve:ssm:/golden/ami/latest";

  private LaunchTemplateWorlds() {}

  /**
   * Adds {@code count} templates to an account and Region: even-numbered ones have two versions
   * with the first as default (so $Latest and $Default are two versions), odd-numbered ones one
   * version (both at once). Images cycle through {@code imageIds}; every seventh version names an
   * SSM parameter and every tenth none. {@code count} templates give {@code count / 2 * 3 + count %
   * 2} versions account-wide, for example 300 templates give 450.
   */
  public static SimulatorWorld.Builder addMany(
      SimulatorWorld.Builder world,
      String accountId,
      String region,
      int count,
      List<String> imageIds) {
    many(accountId, region, count, imageIds).forEach(world::launchTemplate);
    return world;
  }

  /** The templates {@link #addMany} adds, to create them out of band in a running simulator. */
  public static List<WorldLaunchTemplate> many(
      String accountId, String region, int count, List<String> imageIds) {
    List<WorldLaunchTemplate> templates = new ArrayList<>();
    int image = 0;
    for (int n = 0; n < count; n++) {
      int versionCount = n % 2 == 0 ? 2 : 1;
      List<WorldLaunchTemplateVersion> versions = new ArrayList<>();
      for (int v = 1; v <= versionCount; v++) {
        image++;
        String imageId =
            image % 10 == 0
                ? null
                : image % 7 == 0 ? SSM_REFERENCE : imageIds.get(image % imageIds.size());
        versions.add(new WorldLaunchTemplateVersion(v, "version " + v, imageId, null));
      }
      templates.add(
          new WorldLaunchTemplate(
              String.format("lt-%017x", ((long) (region.hashCode() & 0xffff) << 32) | n),
              region,
              accountId,
              "many-" + region + "-" + n,
              Instant.parse("2025-01-01T00:00:00Z").plusSeconds(n),
              null,
              1L,
              versions,
              Map.of("Batch", n % 3 == 0 ? "a" : "b")));
    }
    return templates;
  }

  /**
   * The versions the account-wide form returns for these templates: the latest and the default of
   * each, once each, ordered by template ID then version.
   */
  public static List<VersionKey> latestAndDefault(List<WorldLaunchTemplate> templates) {
    List<VersionKey> keys = new ArrayList<>();
    for (WorldLaunchTemplate t : templates) {
      keys.add(new VersionKey(t.launchTemplateId(), t.defaultVersion()));
      if (t.latestVersion() != t.defaultVersion()) {
        keys.add(new VersionKey(t.launchTemplateId(), t.latestVersion()));
      }
    }
    keys.sort(
        Comparator.comparing(VersionKey::launchTemplateId)
            .thenComparingLong(VersionKey::versionNumber));
    return keys;
  }
}
