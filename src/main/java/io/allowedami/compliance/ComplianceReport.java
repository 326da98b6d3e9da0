package io.allowedami.compliance;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one Region's fleet looks like against the Allowed AMIs setting, bounded in size: what AWS
 * reports now ({@code reported}, {@code instancesByState}, {@code notAllowedImages}, {@code
 * notAllowedInstances}), what the desired criteria would do ({@code preview}), and the facts about
 * the images running instances use that AWS's rollout cautions are checked against ({@code
 * cautionFacts}: merge them with other Regions' and launch templates', then ask for {@link
 * RolloutCautions#cautions()}).
 */
public record ComplianceReport(
    String region,
    int instances,
    VerdictCounts reported,
    SortedMap<String, Integer> instancesByState,
    ImageList notAllowedImages,
    InstanceSample notAllowedInstances,
    Preview preview,
    RolloutCautions cautionFacts) {

  public ComplianceReport {
    Objects.requireNonNull(region, "region");
    instancesByState = Collections.unmodifiableSortedMap(new TreeMap<>(instancesByState));
  }

  /** Instance counts per verdict. */
  public record VerdictCounts(int allowed, int notAllowed, int unknown) {}

  /** Instances per image, the largest first, and how many images did not fit. */
  public record ImageList(List<ImageCount> images, int omittedImages) {
    public ImageList {
      images = List.copyOf(images);
    }
  }

  /**
   * One image and how many instances use it, {@code running} of them running or pending. The name
   * is shortened for status. {@code reason} says why the desired criteria would not allow it
   * ({@link ImageReasons}); null except in the preview's not-allowed list.
   */
  public record ImageCount(
      String id,
      String name,
      String ownerId,
      String ownerAlias,
      int instances,
      int running,
      String reason) {}

  /**
   * The first instances by instance ID, so the sample does not churn, and the total they came from.
   */
  public record InstanceSample(List<InstanceSummary> instances, int total) {
    public InstanceSample {
      instances = List.copyOf(instances);
    }
  }

  /** One instance, with short keys because the sample is the largest part of the report. */
  public record InstanceSummary(
      String id, String type, String zone, String state, Instant launchTime, String imageId) {}

  /**
   * The desired criteria judged locally. {@code runningNotAllowed} and {@code runningUnknown} feed
   * the safe-rollout gate. {@code disagreements} is null unless the desired criteria are the ones
   * in force, because only then does AWS's {@code ImageAllowed} answer the same question.
   */
  public record Preview(
      VerdictCounts instances,
      int runningNotAllowed,
      int runningUnknown,
      ImageList notAllowedImages,
      ImageList unknownImages,
      Disagreements disagreements) {}

  /**
   * Instances where AWS and the local evaluation give opposite definite verdicts, by direction,
   * with a few of their image IDs (sorted) to investigate.
   */
  public record Disagreements(
      int reportedAllowedLocallyNotAllowed,
      int reportedNotAllowedLocallyAllowed,
      List<String> imageIds) {
    public Disagreements {
      imageIds = List.copyOf(imageIds);
    }

    public int total() {
      return reportedAllowedLocallyNotAllowed + reportedNotAllowedLocallyAllowed;
    }
  }
}
