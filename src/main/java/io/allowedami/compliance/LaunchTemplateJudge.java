package io.allowedami.compliance;

import io.allowedami.compliance.LaunchTemplateReport.Entry;
import io.allowedami.compliance.LaunchTemplateReport.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Judges the images of a Region's launch templates against the desired criteria: by AWS's {@code
 * ImageAllowed} where it answers that question (the desired criteria are in force and the scan saw
 * them), by the local preview otherwise. An SSM parameter is resolved only at launch, so its image
 * is unknown, never guessed.
 */
public final class LaunchTemplateJudge {

  static final String SSM_REASON = "image resolved from an SSM parameter at launch: not judged";
  static final String NOT_FOUND_REASON =
      "image not found: deregistered, not shared with the account, or not allowed while enabled";
  static final String UNDECIDED_REASON = "the image metadata does not decide the criteria";

  private LaunchTemplateJudge() {}

  /**
   * @param awsVerdictsApply true when AWS's {@code ImageAllowed} in the inventory answers for the
   *     desired criteria: they were in force, in a Region not disabled, when the scan ran
   * @param maxListed how many failing or unknown versions to list
   */
  public static LaunchTemplateReport judge(
      LaunchTemplateInventory inventory,
      PreviewBasis basis,
      boolean awsVerdictsApply,
      int maxListed) {
    Set<String> templates = new HashSet<>();
    Set<String> seen = new HashSet<>();
    int allowed = 0;
    int wouldFail = 0;
    int unknown = 0;
    int withoutImage = 0;
    List<Entry> listed = new ArrayList<>();
    RolloutCautions cautions =
        new RolloutCautions(basis.desiredCriteria(), basis.ownAccountId(), basis.now());
    for (LaunchTemplateVersion version : inventory.versions()) {
      templates.add(version.templateId());
      if (!seen.add(version.templateId() + "#" + version.versionNumber())) {
        continue; // both default and latest: one version, one launch configuration
      }
      String reference = version.imageReference();
      if (reference == null || reference.isBlank()) {
        withoutImage++;
        continue;
      }
      Entry entry;
      if (version.isSsmReference() || version.imageId().isEmpty()) {
        entry = entry(version, Outcome.UNKNOWN, SSM_REASON);
      } else {
        DescribedImage image = inventory.images().get(version.imageId().get());
        if (image == null) {
          entry = entry(version, Outcome.IMAGE_NOT_FOUND, NOT_FOUND_REASON);
        } else {
          cautions.add(image, RolloutCautions.Use.LAUNCH_TEMPLATE, 1);
          Verdict verdict = verdict(image, basis, awsVerdictsApply);
          entry =
              switch (verdict) {
                case ALLOWED -> null;
                case NOT_ALLOWED ->
                    entry(
                        version,
                        Outcome.NOT_ALLOWED,
                        ImageReasons.whyNotAllowed(basis.desiredCriteria(), image, basis.now()));
                case UNKNOWN -> entry(version, Outcome.UNKNOWN, UNDECIDED_REASON);
              };
        }
      }
      if (entry == null) {
        allowed++;
        continue;
      }
      if (entry.outcome() == Outcome.UNKNOWN) {
        unknown++;
      } else {
        wouldFail++;
      }
      listed.add(entry);
    }
    List<Entry> entries =
        listed.stream()
            .sorted(
                Comparator.comparing((Entry e) -> e.outcome() == Outcome.UNKNOWN)
                    .thenComparing(Entry::templateId)
                    .thenComparingLong(Entry::version))
            .limit(maxListed)
            .toList();
    return new LaunchTemplateReport(
        templates.size(),
        seen.size(),
        allowed,
        wouldFail,
        unknown,
        withoutImage,
        entries,
        listed.size() - entries.size(),
        inventory.truncated(),
        inventory.scannedAt(),
        cautions);
  }

  private static Verdict verdict(DescribedImage image, PreviewBasis basis, boolean awsApplies) {
    if (image.isOwnedBy(basis.ownAccountId())) {
      return Verdict.ALLOWED;
    }
    if (awsApplies && image.reportedAllowed().isDefinite()) {
      return image.reportedAllowed();
    }
    return CriteriaEvaluator.evaluate(
        basis.desiredCriteria(), image, basis.ownAccountId(), basis.now());
  }

  private static Entry entry(LaunchTemplateVersion version, Outcome outcome, String reason) {
    return new Entry(
        ReportLimits.field(version.templateId()),
        ReportLimits.field(version.templateName()),
        version.versionNumber(),
        version.defaultVersion(),
        ReportLimits.field(version.imageReference()),
        outcome,
        reason);
  }
}
