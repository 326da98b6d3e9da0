package io.allowedami.compliance;

import io.allowedami.compliance.ComplianceReport.Disagreements;
import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.ImageList;
import io.allowedami.compliance.ComplianceReport.InstanceSample;
import io.allowedami.compliance.ComplianceReport.InstanceSummary;
import io.allowedami.compliance.ComplianceReport.Preview;
import io.allowedami.compliance.ComplianceReport.VerdictCounts;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Folds a Region's DescribeInstanceImageMetadata listing into a {@link ComplianceReport} page by
 * page, as the pages arrive, applying {@link ReportLimits} so that neither the result nor the fold
 * grows with the number of instances: the fold keeps counts, one entry per distinct image and
 * bounded lists, never an instance.
 */
public final class ComplianceAggregator {

  /** Instances that count as running for the rollout gate: pending ones are about to run. */
  private static final Set<String> RUNNING_STATES = Set.of("pending", "running");

  private final ReportLimits limits;

  public ComplianceAggregator(ReportLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Starts folding one Region's listing: feed it every page, then call {@link RegionFold#finish}.
   */
  public RegionFold start(String region, PreviewBasis basis) {
    return new RegionFold(region, basis);
  }

  /** A listing already in memory, folded at once (tests, callers that have it anyway). */
  public ComplianceReport aggregate(
      String region, Collection<InstanceImage> instances, PreviewBasis basis) {
    RegionFold fold = start(region, basis);
    fold.accept(List.copyOf(instances));
    return fold.finish();
  }

  /** One Region's fold in progress, a page consumer for the gateway. Not thread-safe. */
  public final class RegionFold implements Consumer<List<InstanceImage>> {
    private final String region;
    private final PreviewBasis basis;
    private int instances;
    private final Map<Verdict, Integer> reported = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Integer> previewed = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Integer> runningPreviewed = new EnumMap<>(Verdict.class);
    private final SortedMap<String, Integer> byState = new TreeMap<>();
    private final ImageTally reportedNotAllowed;
    private final ImageTally previewNotAllowed;
    private final ImageTally previewUnknown = new ImageTally(null);
    private final FirstInstances nonCompliant = new FirstInstances();
    private final DisagreementTally disagreements = new DisagreementTally();
    private final RolloutCautions cautionFacts;
    private boolean finished;

    private RegionFold(String region, PreviewBasis basis) {
      this.region = Objects.requireNonNull(region, "region");
      this.basis = Objects.requireNonNull(basis, "basis");
      this.previewNotAllowed =
          new ImageTally(
              image -> ImageReasons.whyNotAllowed(basis.desiredCriteria(), image, basis.now()));
      // AWS's verdicts answer for the criteria in force. Once those are the desired ones, the
      // preview's list names the same images with the same reasons: no need to say them twice.
      this.reportedNotAllowed =
          basis.criteriaInForce() == null || basis.desiredCriteriaInForce()
              ? new ImageTally(null)
              : new ImageTally(
                  image -> ImageReasons.whyNotAllowed(basis.criteriaInForce(), image, basis.now()));
      this.cautionFacts =
          new RolloutCautions(basis.desiredCriteria(), basis.ownAccountId(), basis.now());
    }

    /** Folds one page in; nothing of the page is kept. */
    @Override
    public void accept(List<InstanceImage> page) {
      if (finished) {
        throw new IllegalStateException("the fold of " + region + " is finished");
      }
      for (InstanceImage instance : page) {
        add(instance);
      }
    }

    private void add(InstanceImage instance) {
      Verdict local =
          CriteriaEvaluator.evaluate(
              basis.desiredCriteria(), instance, basis.ownAccountId(), basis.now());
      instances++;
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

    /** The report of every page folded in; the fold takes no page after this. */
    public ComplianceReport finish() {
      finished = true;
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
          instances,
          counts(reported),
          byState,
          reportedNotAllowed.toList(),
          nonCompliant.toSample(),
          preview,
          cautionFacts);
    }
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

  /**
   * The first instances by instance ID and the total they came from, in a max-heap of the sample's
   * size (the largest kept ID on top, pushed out by any smaller one): bounded however many
   * instances are not allowed, and the same sample as sorting them all.
   */
  private final class FirstInstances {
    private final PriorityQueue<Sampled> largestOnTop =
        new PriorityQueue<>(Comparator.comparing(Sampled::instanceId).reversed());
    private int total;

    void add(InstanceImage instance) {
      total++;
      if (limits.sampleSize() == 0) {
        return;
      }
      if (largestOnTop.size() == limits.sampleSize()) {
        if (instance.instanceId().compareTo(largestOnTop.peek().instanceId()) >= 0) {
          return;
        }
        largestOnTop.poll();
      }
      largestOnTop.add(new Sampled(instance.instanceId(), summary(instance)));
    }

    InstanceSample toSample() {
      return new InstanceSample(
          largestOnTop.stream()
              .sorted(Comparator.comparing(Sampled::instanceId))
              .map(Sampled::summary)
              .toList(),
          total);
    }
  }

  /** The full instance ID orders the sample; the summary holds it shortened for status. */
  private record Sampled(String instanceId, InstanceSummary summary) {}

  private static InstanceSummary summary(InstanceImage i) {
    return new InstanceSummary(
        ReportLimits.field(i.instanceId()),
        ReportLimits.field(i.instanceType()),
        ReportLimits.field(i.availabilityZone()),
        ReportLimits.field(i.instanceState()),
        i.launchTime(),
        ReportLimits.field(i.imageId()));
  }

  /**
   * Instances per image; the first instance seen supplies the image's fields, copied so that no
   * instance is kept. {@code reason}, when given, explains each listed image (only those: the line
   * is computed after the cut).
   */
  private final class ImageTally {
    private final Map<String, Tally> byImage = new HashMap<>();
    private final Function<ImageFacts, String> reason;

    ImageTally(Function<ImageFacts, String> reason) {
      this.reason = reason;
    }

    void add(InstanceImage instance) {
      Tally tally =
          byImage.computeIfAbsent(instance.imageId(), id -> new Tally(ImageOnly.of(instance)));
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
    private final ImageOnly image;
    private int instances;
    private int running;

    Tally(ImageOnly image) {
      this.image = image;
    }
  }

  /** An instance's image facts without the instance. */
  private record ImageOnly(
      String imageId,
      String imageName,
      String imageOwnerId,
      String imageOwnerAlias,
      Instant imageCreationDate,
      Instant imageDeprecationTime,
      Set<String> productCodes,
      Set<ImageWatermark> watermarks)
      implements ImageFacts {
    static ImageOnly of(ImageFacts image) {
      return new ImageOnly(
          image.imageId(),
          image.imageName(),
          image.imageOwnerId(),
          image.imageOwnerAlias(),
          image.imageCreationDate(),
          image.imageDeprecationTime(),
          image.productCodes(),
          image.watermarks());
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
