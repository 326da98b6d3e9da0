package io.allowedami.compliance;

import java.util.Objects;
import java.util.Optional;

/**
 * One version of a launch template (its default or its latest) and the image it launches, as
 * DescribeLaunchTemplateVersions reports it: an AMI ID, an SSM parameter ({@code resolve:ssm:...},
 * which is resolved only at launch and so is never guessed), or nothing (the launch supplies it).
 */
public record LaunchTemplateVersion(
    String templateId,
    String templateName,
    long versionNumber,
    boolean defaultVersion,
    String imageReference) {

  public static final String SSM_PREFIX = "resolve:ssm:";

  public LaunchTemplateVersion {
    Objects.requireNonNull(templateId, "templateId");
  }

  /** The AMI ID this version launches, when it names one directly. */
  public Optional<String> imageId() {
    return imageReference != null && imageReference.startsWith("ami-")
        ? Optional.of(imageReference)
        : Optional.empty();
  }

  public boolean isSsmReference() {
    return imageReference != null && imageReference.startsWith(SSM_PREFIX);
  }
}
