package io.allowedami.simulator.model;

import java.time.Instant;

/**
 * One version of a launch template and the image it launches: an AMI ID, an SSM parameter ({@code
 * resolve:ssm:/name}) that AWS resolves only at launch, or none (the launch supplies it).
 */
public record WorldLaunchTemplateVersion(
    long versionNumber, String description, String imageId, Instant createTime) {

  public static final String SSM_PREFIX = "resolve:ssm:";

  public static WorldLaunchTemplateVersion of(long versionNumber, String imageId) {
    return new WorldLaunchTemplateVersion(versionNumber, null, imageId, null);
  }

  public boolean imageIsSsmParameter() {
    return imageId != null && imageId.startsWith(SSM_PREFIX);
  }

  /** The SSM parameter name of a {@code resolve:ssm:} image, with any {@code :version} suffix. */
  public String ssmParameterName() {
    return imageIsSsmParameter() ? imageId.substring(SSM_PREFIX.length()) : null;
  }

  WorldLaunchTemplateVersion withCreateTimeIfAbsent(Instant fallback) {
    return createTime != null
        ? this
        : new WorldLaunchTemplateVersion(versionNumber, description, imageId, fallback);
  }
}
