package io.allowedami.compliance;

import io.allowedami.compliance.ComplianceReport.Disagreements;
import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.ImageList;
import io.allowedami.compliance.ComplianceReport.InstanceSample;
import io.allowedami.compliance.ComplianceReport.InstanceSummary;
import io.allowedami.compliance.ComplianceReport.Preview;
import io.allowedami.compliance.ComplianceReport.VerdictCounts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Folds a Region's whole DescribeInstanceImageMetadata listing into a {@link ComplianceReport} in
 * one pass, applying {@link ReportLimits} so the result stays small however many instances there
 * are.
 */
public final class ComplianceAggregator {

  /** Instances that count as running for the rollout gate: pending ones are about to run. */
  private static final Set<String> RUNNING_STATES = Set.of("pending", "running");

  private final ReportLimits limits;

  public ComplianceAggregator(ReportLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public ComplianceReport aggregate(
      String region, Collection<InstanceImage> instances, PreviewBasis basis) {
    Map<Verdict, Integer> reported = new EnumMap<>(Verdict.class);
    Map<Verdict, Integer> previewed = new EnumMap<>(Verdict.class);
    Map<Verdict, Integer> runningPreviewed = new EnumMap<>(Verdict.class);
    SortedMap<String, Integer> byState = new TreeMap<>();
    ImageTally reportedNotAllowed = new ImageTally(null);
    ImageTally previewNotAllowed =
        new ImageTally(
            image -> ImageReasons.whyNotAllowed(basis.desiredCriteria(), image, basis.now()));
    ImageTally previewUnknown = new ImageTally(null);
    List<InstanceImage> nonCompliant = new ArrayList<>();
    DisagreementTally disagreements = new DisagreementTally();
    RolloutCautions cautionFacts =
        new RolloutCautions(basis.desiredCriteria(), basis.ownAccountId(), basis.now());

    for (InstanceImage instance : instances) {
      Verdict local =
          CriteriaEvaluator.evaluate(
              basis.desiredCriteria(), instance, basis.ownAccountId(), basis.now());
      reported.merge(instance.reportedAllowed(), 1, Integer::sum);
      previewed.merge(local, 1, Integer::sum);
      byState.merge(ReportLimits.field(instance.instanceState()), 1, Integer::sum);
      if (isRunning(instance)) {
        runningPreviewed.merge(local, 1, Integer::sum);
        cautionFacts.add(instance, RolloutCautions.Use.INSTANCE, 1);
      }
      if (instance.reportedAllowed() == Verdict.NOT_ALLOWED) {
        reportedNotAllowed.add(instance);
        nonCompliant.add(instance);
      }
      if (local == Verdict.NOT_ALLOWED) {
        previewNotAllowed.add(instance);
      } else if (local == Verdict.UNKNOWN) {
        previewUnknown.add(instance);
      }
      disagreements.add(instance, local);
    }

    Preview preview =
        new Preview(
            counts(previewed),
            runningPreviewed.getOrDefault(Verdict.NOT_ALLOWED, 0),
            runningPreviewed.getOrDefault(Verdict.UNKNOWN, 0),
            previewNotAllowed.toList(),
            previewUnknown.toList(),
            basis.desiredCriteriaInForce() ? disagreements.toDisagreements() : null);
    return new ComplianceReport(
        region,
        instances.size(),
        counts(reported),
        byState,
        reportedNotAllowed.toList(),
        sample(nonCompliant),
        preview,
        cautionFacts);
  }

  private static boolean isRunning(InstanceImage instance) {
    return RUNNING_STATES.contains(instance.instanceState());
  }

  private static VerdictCounts counts(Map<Verdict, Integer> byVerdict) {
    return new VerdictCounts(
        byVerdict.getOrDefault(Verdict.ALLOWED, 0),
        byVerdict.getOrDefault(Verdict.NOT_ALLOWED, 0),
        byVerdict.getOrDefault(Verdict.UNKNOWN, 0));
  }

  private InstanceSample sample(List<InstanceImage> nonCompliant) {
    List<InstanceSummary> first =
        nonCompliant.stream()
            .sorted(Comparator.comparing(InstanceImage::instanceId))
            .limit(limits.sampleSize())
            .map(
                i ->
                    new InstanceSummary(
                        ReportLimits.field(i.instanceId()),
                        ReportLimits.field(i.instanceType()),
                        ReportLimits.field(i.availabilityZone()),
                        ReportLimits.field(i.instanceState()),
                        i.launchTime(),
                        ReportLimits.field(i.imageId())))
            .toList();
    return new InstanceSample(first, nonCompliant.size());
  }

  /**
   * Instances per image; the first instance seen supplies the image's fields. {@code reason}, when
   * given, explains each listed image (only those: the line is computed after the cut).
   */
  private final class ImageTally {
    private final Map<String, Tally> byImage = new HashMap<>();
    private final Function<ImageFacts, String> reason;

    ImageTally(Function<ImageFacts, String> reason) {
      this.reason = reason;
    }

    void add(InstanceImage instance) {
      Tally tally = byImage.computeIfAbsent(instance.imageId(), id -> new Tally(instance));
      tally.instances++;
      if (isRunning(instance)) {
        tally.running++;
      }
    }

    /** The most used images first, ties by image ID, so the list is stable between resyncs. */
    ImageList toList() {
      List<ImageCount> top =
          byImage.values().stream()
              .sorted(
                  Comparator.comparingInt((Tally t) -> -t.instances)
                      .thenComparing(t -> t.image.imageId()))
              .limit(limits.maxImages())
              .map(
                  t ->
                      new ImageCount(
                          ReportLimits.field(t.image.imageId()),
                          limits.name(t.image.imageName()),
                          ReportLimits.field(t.image.imageOwnerId()),
                          ReportLimits.field(t.image.imageOwnerAlias()),
                          t.instances,
                          t.running,
                          reason == null ? null : reason.apply(t.image)))
              .toList();
      return new ImageList(top, byImage.size() - top.size());
    }
  }

  private static final class Tally {
    private final InstanceImage image;
    private int instances;
    private int running;

    Tally(InstanceImage image) {
      this.image = image;
    }
  }

  /** AWS's definite {@code ImageAllowed} against the opposite definite local verdict. */
  private final class DisagreementTally {
    private int reportedAllowedLocallyNotAllowed;
    private int reportedNotAllowedLocallyAllowed;
    private final TreeSet<String> imageIds = new TreeSet<>();

    void add(InstanceImage instance, Verdict local) {
      Verdict aws = instance.reportedAllowed();
      if (!aws.isDefinite() || !local.isDefinite() || aws == local) {
        return;
      }
      if (aws == Verdict.ALLOWED) {
        reportedAllowedLocallyNotAllowed++;
      } else {
        reportedNotAllowedLocallyAllowed++;
      }
      imageIds.add(instance.imageId());
      if (imageIds.size() > limits.maxDisagreementImages()) {
        imageIds.pollLast();
      }
    }

    Disagreements toDisagreements() {
      return new Disagreements(
          reportedAllowedLocallyNotAllowed,
          reportedNotAllowedLocallyAllowed,
          imageIds.stream().map(ReportLimits::field).toList());
    }
  }
}
