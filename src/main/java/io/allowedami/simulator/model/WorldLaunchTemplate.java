package io.allowedami.simulator.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An EC2 launch template of one account and Region with its versions (ascending by number) and the
 * version launches use by default.
 */
public record WorldLaunchTemplate(
    String launchTemplateId,
    String region,
    String accountId,
    String name,
    Instant createTime,
    String createdBy,
    Long defaultVersion,
    List<WorldLaunchTemplateVersion> versions,
    Map<String, String> tags) {

  private static final Instant DEFAULT_CREATE_TIME = Instant.parse("2025-06-01T00:00:00Z");

  public WorldLaunchTemplate {
    createTime = createTime == null ? DEFAULT_CREATE_TIME : createTime;
    createdBy =
        createdBy == null && accountId != null ? "arn:aws:iam::" + accountId + ":root" : createdBy;
    defaultVersion = defaultVersion == null ? 1L : defaultVersion;
    Instant versionFallback = createTime;
    versions =
        versions == null
            ? List.of()
            : versions.stream()
                .map(v -> v == null ? null : v.withCreateTimeIfAbsent(versionFallback))
                .toList();
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  private static final Pattern ID = Pattern.compile("lt-[0-9a-f]{17}");
  // AWS: 3 to 128 characters, letters, digits and ( ) . - / _
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9().\\-/_]{3,128}");
  private static final Pattern AMI_ID = Pattern.compile("ami-[0-9a-zA-Z]{1,32}");

  public static boolean isWellFormedId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static boolean isWellFormedName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * What is wrong with this template on its own (ID, name, versions, default, images), or empty;
   * uniqueness and the account and Region are checked by whoever holds the other templates.
   */
  public Optional<String> problem() {
    String self = "launch template " + launchTemplateId + " (" + name + ")";
    if (!isWellFormedId(launchTemplateId)) {
      return Optional.of(
          "launch template IDs are lt- and 17 lowercase hex digits: " + launchTemplateId);
    }
    if (!isWellFormedName(name)) {
      return Optional.of(self + ": names have 3 to 128 letters, digits or ( ) . - / _");
    }
    if (region == null || accountId == null) {
      return Optional.of(self + ": region and accountId are required");
    }
    if (versions.isEmpty()) {
      return Optional.of(self + ": has no versions");
    }
    long previous = 0;
    for (WorldLaunchTemplateVersion v : versions) {
      if (v == null || v.versionNumber() <= previous) {
        return Optional.of(
            self
                + ": version numbers must be positive and ascending (from 1), found "
                + (v == null ? "null" : v.versionNumber())
                + " after "
                + previous);
      }
      previous = v.versionNumber();
      String image = v.imageId();
      boolean ssm = v.imageIsSsmParameter() && v.ssmParameterName().length() > 0;
      if (image != null && !ssm && !WorldImage.isWellFormedId(image)) {
        return Optional.of(
            self
                + " version "
                + v.versionNumber()
                + ": the image must be an AMI ID (ami-...), resolve:ssm:<parameter> or absent: "
                + image);
      }
    }
    if (version(defaultVersion).isEmpty()) {
      return Optional.of(
          self + ": default version " + defaultVersion + " is not one of its versions");
    }
    return Optional.empty();
  }

  /** The highest version number (AWS's latestVersionNumber). */
  public long latestVersion() {
    return versions.stream()
        .mapToLong(WorldLaunchTemplateVersion::versionNumber)
        .max()
        .orElse(defaultVersion);
  }

  public Optional<WorldLaunchTemplateVersion> version(long number) {
    return versions.stream().filter(v -> v.versionNumber() == number).findFirst();
  }

  /** Tags sorted by key, so responses are stable. */
  public Map<String, String> sortedTags() {
    return new TreeMap<>(tags);
  }

  /** This template with one more version, numbered after the latest. */
  public WorldLaunchTemplate withNewVersion(String description, String imageId, Instant created) {
    List<WorldLaunchTemplateVersion> more = new ArrayList<>(versions);
    more.add(new WorldLaunchTemplateVersion(latestVersion() + 1, description, imageId, created));
    more.sort(Comparator.comparingLong(WorldLaunchTemplateVersion::versionNumber));
    return new WorldLaunchTemplate(
        launchTemplateId,
        region,
        accountId,
        name,
        createTime,
        createdBy,
        defaultVersion,
        more,
        tags);
  }

  public WorldLaunchTemplate withDefaultVersion(long number) {
    return new WorldLaunchTemplate(
        launchTemplateId, region, accountId, name, createTime, createdBy, number, versions, tags);
  }
}
