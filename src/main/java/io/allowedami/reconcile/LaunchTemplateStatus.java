package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.ComplianceSummary;
import io.allowedami.api.v1alpha1.LaunchTemplateCompliance;
import io.allowedami.api.v1alpha1.LaunchTemplateRef;
import io.allowedami.api.v1alpha1.RegionError;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.LaunchTemplateReport.Entry;
import io.allowedami.domain.Failure;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

/** Turns a Region's launch template report into status, and sums it over Regions. */
final class LaunchTemplateStatus {
  private LaunchTemplateStatus() {}

  /**
   * The Region's launch template status: the new report; or, when the read failed, the last figures
   * with the error; or, when nothing was read (the settings read failed), the last status. Null
   * when the policy does not scan launch templates.
   */
  static LaunchTemplateCompliance region(
      RegionOutcome outcome,
      RegionStatus before,
      BiFunction<Failure, RegionError, RegionError> error) {
    LaunchTemplateCompliance last = before == null ? null : before.getLaunchTemplates();
    LaunchTemplateScan.Result result = outcome.launchTemplates();
    if (result.report().isPresent()) {
      return of(result.report().get(), null);
    }
    if (result.failure().isPresent()) {
      RegionError lastError = last == null ? null : last.error();
      RegionError next = error.apply(result.failure().get(), lastError);
      return last == null
          ? new LaunchTemplateCompliance(
              null, null, null, null, null, null, null, null, null, null, next)
          : withError(last, next);
    }
    return outcome.observed().isEmpty() ? last : null;
  }

  static LaunchTemplateCompliance of(LaunchTemplateReport report, RegionError error) {
    return new LaunchTemplateCompliance(
        report.scannedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
        report.templates(),
        report.versions(),
        report.allowed(),
        report.wouldFail(),
        report.unknown(),
        report.withoutImage(),
        report.truncated() ? Boolean.TRUE : null,
        report.entries().stream().map(LaunchTemplateStatus::ref).toList(),
        report.omitted(),
        error);
  }

  private static LaunchTemplateCompliance withError(LaunchTemplateCompliance c, RegionError e) {
    return new LaunchTemplateCompliance(
        c.scannedAt(),
        c.templates(),
        c.versions(),
        c.allowed(),
        c.wouldFail(),
        c.unknown(),
        c.withoutImage(),
        c.partial(),
        c.failing(),
        c.omitted(),
        e);
  }

  private static LaunchTemplateRef ref(Entry entry) {
    return new LaunchTemplateRef(
        entry.templateId(),
        entry.templateName(),
        entry.version(),
        entry.defaultVersion(),
        entry.image(),
        switch (entry.outcome()) {
          case NOT_ALLOWED -> "NotAllowed";
          case IMAGE_NOT_FOUND -> "ImageNotFound";
          case UNKNOWN -> "Unknown";
        },
        entry.reason());
  }

  /** Adds the launch template totals to the summary; none when no Region has figures. */
  static void summarize(List<RegionStatus> regions, ComplianceSummary summary) {
    List<LaunchTemplateCompliance> known =
        regions.stream()
            .map(RegionStatus::getLaunchTemplates)
            .filter(Objects::nonNull)
            .filter(c -> c.wouldFail() != null)
            .toList();
    if (known.isEmpty() || summary == null) {
      return;
    }
    summary.setLaunchTemplatesWouldFail(sum(known, LaunchTemplateCompliance::wouldFail));
    summary.setLaunchTemplatesUnknown(sum(known, LaunchTemplateCompliance::unknown));
  }

  private static int sum(
      List<LaunchTemplateCompliance> regions, ToIntFunction<LaunchTemplateCompliance> field) {
    return regions.stream().mapToInt(field).sum();
  }
}
