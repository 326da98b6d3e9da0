package io.allowedami.compliance;

import java.time.Instant;
import java.util.List;

/**
 * Which launches from a Region's launch templates would fail under the desired criteria, bounded in
 * size: counts over every default and latest version, and the first failing or unknown versions.
 *
 * @param versions default and latest versions judged (a version that is both counts once)
 * @param wouldFail versions whose image would not be allowed, or cannot be found at all
 * @param unknown versions whose image cannot be judged: an SSM parameter resolved only at launch,
 *     or metadata that does not decide
 * @param withoutImage versions that name no image (the launch request supplies it)
 * @param truncated the scan stopped at its page limit, so the counts cover part of the Region
 * @param cautionFacts the images the versions launch, for AWS's rollout cautions: merge them with
 *     the instances' and other Regions' facts
 */
public record LaunchTemplateReport(
    int templates,
    int versions,
    int allowed,
    int wouldFail,
    int unknown,
    int withoutImage,
    List<Entry> entries,
    int omitted,
    boolean truncated,
    Instant scannedAt,
    RolloutCautions cautionFacts) {

  public LaunchTemplateReport {
    entries = List.copyOf(entries);
  }

  /** What a launch from one version would meet. */
  public enum Outcome {
    /** The desired criteria would not allow the image. */
    NOT_ALLOWED,
    /** The account cannot find the image: deregistered, not shared, or hidden while enabled. */
    IMAGE_NOT_FOUND,
    /** Cannot be judged (never guessed). */
    UNKNOWN
  }

  /** One version that would fail or cannot be judged; {@code source} says who judged it. */
  public record Entry(
      String templateId,
      String templateName,
      long version,
      boolean defaultVersion,
      String image,
      Outcome outcome,
      String reason) {}
}
