package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.CompliancePreview;
import io.allowedami.api.v1alpha1.ComplianceSummary;
import io.allowedami.api.v1alpha1.ImageUsage;
import io.allowedami.api.v1alpha1.InstanceRef;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionCompliance;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.ImageList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns compliance reports into the status model: per Region, the summary and the Compliant
 * condition.
 */
final class ComplianceStatus {
  static final String COMPLIANT = "Compliant";
  static final String REASON_NOT_ALLOWED_IN_USE = "NotAllowedImagesInUse";
  static final String REASON_ALL_ALLOWED = "AllImagesAllowed";
  static final String REASON_NO_VERDICT = "NoVerdict";

  private ComplianceStatus() {}

  static RegionCompliance region(ComplianceReport report) {
    RegionCompliance c = new RegionCompliance();
    c.setInstances(report.instances());
    c.setAllowed(report.reported().allowed());
    c.setNotAllowed(report.reported().notAllowed());
    c.setUnknown(report.reported().unknown());
    c.setByState(new LinkedHashMap<>(report.instancesByState()));
    c.setNotAllowedImages(images(report.notAllowedImages()));
    c.setOmittedNotAllowedImages(omitted(report.notAllowedImages()));
    c.setNotAllowedSample(
        report.notAllowedInstances().instances().stream()
            .map(
                i -> {
                  InstanceRef ref = new InstanceRef();
                  ref.setId(i.id());
                  ref.setType(i.type());
                  ref.setZone(i.zone());
                  ref.setState(i.state());
                  ref.setLaunchTime(i.launchTime() == null ? null : i.launchTime().toString());
                  ref.setImageId(i.imageId());
                  return ref;
                })
            .toList());
    ComplianceReport.Preview p = report.preview();
    CompliancePreview preview = new CompliancePreview();
    preview.setNotAllowed(p.instances().notAllowed());
    preview.setUnknown(p.instances().unknown());
    preview.setRunningNotAllowed(p.runningNotAllowed());
    preview.setRunningUnknown(p.runningUnknown());
    preview.setNotAllowedImages(images(p.notAllowedImages()));
    preview.setOmittedNotAllowedImages(omitted(p.notAllowedImages()));
    preview.setUnknownImages(images(p.unknownImages()));
    if (p.disagreements() != null) {
      preview.setDisagreements(p.disagreements().total());
      preview.setDisagreementImageIds(
          p.disagreements().imageIds().isEmpty() ? null : p.disagreements().imageIds());
    }
    c.setPreview(preview);
    return c;
  }

  private static List<ImageUsage> images(ImageList list) {
    if (list.images().isEmpty()) {
      return null;
    }
    return list.images().stream().map(ComplianceStatus::usage).toList();
  }

  private static Integer omitted(ImageList list) {
    return list.omittedImages() == 0 ? null : list.omittedImages();
  }

  private static ImageUsage usage(ImageCount image) {
    ImageUsage u = new ImageUsage();
    u.setId(image.id());
    u.setName(image.name());
    u.setOwnerId(image.ownerId());
    u.setOwnerAlias(image.ownerAlias());
    u.setInstances(image.instances());
    u.setRunning(image.running());
    u.setReason(image.reason());
    return u;
  }

  /** Sums the Regions that have a report; null when none has. */
  static ComplianceSummary summary(List<RegionCompliance> regions) {
    List<RegionCompliance> known = regions.stream().filter(Objects::nonNull).toList();
    if (known.isEmpty()) {
      return null;
    }
    ComplianceSummary s = new ComplianceSummary();
    s.setInstances(known.stream().mapToInt(RegionCompliance::getInstances).sum());
    s.setNotAllowedInstances(known.stream().mapToInt(RegionCompliance::getNotAllowed).sum());
    s.setUnknownInstances(known.stream().mapToInt(RegionCompliance::getUnknown).sum());
    s.setWouldNotBeAllowedInstances(
        known.stream().mapToInt(r -> r.getPreview().getNotAllowed()).sum());
    s.setPreviewUnknownInstances(known.stream().mapToInt(r -> r.getPreview().getUnknown()).sum());
    s.setDisagreements(
        known.stream()
            .map(r -> r.getPreview().getDisagreements())
            .filter(Objects::nonNull)
            .mapToInt(Integer::intValue)
            .sum());
    return s;
  }

  /**
   * Compliant: True when AWS reports no instance on a not-allowed image; Unknown when AWS gives no
   * verdict.
   */
  static PolicyCondition condition(
      ComplianceSummary summary, List<String> regionsWithNotAllowed, List<String> topImages) {
    if (summary == null) {
      return new PolicyCondition(
          COMPLIANT, "Unknown", REASON_NO_VERDICT, "instances have not been read yet");
    }
    if (summary.getNotAllowedInstances() > 0) {
      return new PolicyCondition(
          COMPLIANT,
          Conditions.FALSE,
          REASON_NOT_ALLOWED_IN_USE,
          summary.getNotAllowedInstances()
              + " instances use images that are not allowed, in "
              + String.join(", ", regionsWithNotAllowed)
              + (topImages.isEmpty() ? "" : "; most used: " + String.join(", ", topImages)));
    }
    if (summary.getInstances() > 0
        && summary.getUnknownInstances().equals(summary.getInstances())) {
      return new PolicyCondition(
          COMPLIANT,
          "Unknown",
          REASON_NO_VERDICT,
          "AWS reports no ImageAllowed verdict while the setting is disabled");
    }
    return new PolicyCondition(
        COMPLIANT,
        Conditions.TRUE,
        REASON_ALL_ALLOWED,
        "no instance uses an image that AWS reports as not allowed");
  }

  static List<String> topImageDescriptions(List<RegionCompliance> regions, int max) {
    return regions.stream()
        .filter(Objects::nonNull)
        .flatMap(
            r ->
                r.getNotAllowedImages() == null
                    ? java.util.stream.Stream.<ImageUsage>empty()
                    : r.getNotAllowedImages().stream())
        .collect(
            Collectors.groupingBy(
                ImageUsage::getId,
                java.util.TreeMap::new,
                Collectors.summingInt(ImageUsage::getInstances)))
        .entrySet()
        .stream()
        .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(max)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .toList();
  }
}
