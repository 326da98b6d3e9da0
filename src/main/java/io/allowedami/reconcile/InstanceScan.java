package io.allowedami.reconcile;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.domain.Failure;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A Region's running instances, read page by page beside its settings and folded into a report as
 * each page arrives, judged against the basis (the desired criteria and the settings read before
 * any write). The fold starts at the first page, once the basis is known, so that memory never
 * holds more than a page; only the rollout gate waits for the report before the writes.
 */
final class InstanceScan {
  /** The report, or why the instances could not be read. */
  record Read(Optional<ComplianceReport> report, Optional<Failure> failure) {}

  private final String region;
  private final CompletableFuture<ComplianceReport> report;

  private InstanceScan(String region, CompletableFuture<ComplianceReport> report) {
    this.region = region;
    this.report = report;
  }

  /** Starts reading now, on {@code calls}; pages are judged once {@code basis} is complete. */
  static InstanceScan start(
      AllowedImagesGateway aws,
      String region,
      ComplianceAggregator aggregator,
      CompletableFuture<PreviewBasis> basis,
      Executor calls) {
    return new InstanceScan(
        region, CompletableFuture.supplyAsync(() -> fold(aws, region, aggregator, basis), calls));
  }

  /** Waits for the report; a failure is reported, never thrown. */
  Read join() {
    try {
      return new Read(Optional.of(RegionConverger.join(report)), Optional.empty());
    } catch (RuntimeException e) {
      return new Read(Optional.empty(), Optional.of(RegionConverger.classifyAndLog(region, e)));
    }
  }

  private static ComplianceReport fold(
      AllowedImagesGateway aws,
      String region,
      ComplianceAggregator aggregator,
      CompletableFuture<PreviewBasis> basis) {
    ComplianceAggregator.RegionFold[] fold = new ComplianceAggregator.RegionFold[1];
    aws.describeInstanceImages(
        region,
        page -> {
          if (fold[0] == null) {
            fold[0] = aggregator.start(region, RegionConverger.join(basis));
          }
          fold[0].accept(page);
        });
    return (fold[0] == null ? aggregator.start(region, RegionConverger.join(basis)) : fold[0])
        .finish();
  }
}
