package io.allowedami.reconcile;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.LaunchTemplateInventory;
import io.allowedami.compliance.LaunchTemplateJudge;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.compliance.PreviewBasis;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads each Region's launch templates at a pace, so that steady-state resyncs stay at their
 * minimum: a Region is scanned at its first reconcile, when the policy's generation changes and
 * when its last scan is older than the policy's interval; in between, the last inventory is judged
 * again against the current settings without a call. A scan is two dependent reads
 * (DescribeLaunchTemplateVersions, then DescribeImages for the AMI IDs found) that run beside the
 * Region's settings read, bounded to {@link #MAX_VERSIONS} versions.
 */
public final class LaunchTemplateScan {

  /** 50 pages of 200: beyond it a Region's figures are marked as partial. */
  public static final int MAX_VERSIONS = 10_000;

  /** How many failing or unknown versions a Region's status lists. */
  public static final int LISTED = 3;

  private final Clock clock;
  private final Map<Key, Scanned> scans = new ConcurrentHashMap<>();

  public LaunchTemplateScan(Clock clock) {
    this.clock = clock;
  }

  private record Key(String policyUid, String region) {}

  /**
   * A scan's inventory and the settings read beside it (AWS's verdicts answer for those), or the
   * terminal failure it met (a missing permission is not asked again before the scan is due).
   */
  private record Scanned(
      long generation,
      Instant scannedAt,
      LaunchTemplateInventory inventory,
      RegionSettings seen,
      Failure failure) {}

  /** The scans of one policy's reconcile. */
  public Policy forPolicy(
      String policyUid,
      long generation,
      AllowedImagesGateway aws,
      Duration interval,
      Executor calls) {
    return new Policy(policyUid, generation, aws, interval, calls);
  }

  /** Forgets a deleted policy's inventories. */
  public void forget(String policyUid) {
    scans.keySet().removeIf(key -> key.policyUid().equals(policyUid));
  }

  /** Forgets the inventories of Regions a policy no longer governs. */
  public void retain(String policyUid, Collection<String> regions) {
    Set<String> kept = Set.copyOf(regions);
    scans.keySet().removeIf(k -> k.policyUid().equals(policyUid) && !kept.contains(k.region()));
  }

  /**
   * The default and latest versions of a Region's launch templates, at most {@link #MAX_VERSIONS}
   * of them; {@code truncated} when the Region has more.
   */
  public record Versions(List<LaunchTemplateVersion> versions, boolean truncated) {
    public Versions {
      versions = List.copyOf(versions);
    }
  }

  /**
   * The first step of a scan (the operator's and {@code plan}'s): reads one page past the limit.
   */
  public static Versions readVersions(AllowedImagesGateway aws, String region) {
    List<LaunchTemplateVersion> read = aws.describeLaunchTemplateVersions(region, MAX_VERSIONS + 1);
    boolean truncated = read.size() > MAX_VERSIONS;
    return new Versions(truncated ? read.subList(0, MAX_VERSIONS) : read, truncated);
  }

  /**
   * The second step: the images the versions name that the account can find, by image ID; no call
   * when they name none.
   */
  public static Map<String, DescribedImage> describeImages(
      AllowedImagesGateway aws, String region, List<LaunchTemplateVersion> versions) {
    Set<String> imageIds =
        versions.stream()
            .flatMap(v -> v.imageId().stream())
            .collect(Collectors.toCollection(TreeSet::new));
    if (imageIds.isEmpty()) {
      return Map.of();
    }
    return aws.describeImages(region, imageIds).stream()
        .filter(image -> imageIds.contains(image.imageId()))
        .collect(Collectors.toMap(DescribedImage::imageId, Function.identity(), (a, b) -> a));
  }

  /** The launch templates of one Region: the report, or why they could not be read. */
  public record Result(Optional<LaunchTemplateReport> report, Optional<Failure> failure) {
    public static final Result NOT_SCANNED = new Result(Optional.empty(), Optional.empty());
  }

  /** One policy's scans during one reconcile. */
  public final class Policy {
    private final String policyUid;
    private final long generation;
    private final AllowedImagesGateway aws;
    private final Duration interval;
    private final Executor calls;

    private Policy(
        String policyUid,
        long generation,
        AllowedImagesGateway aws,
        Duration interval,
        Executor calls) {
      this.policyUid = policyUid;
      this.generation = generation;
      this.aws = aws;
      this.interval = interval;
      this.calls = calls;
    }

    /** Starts the Region's scan when one is due; otherwise reuses the last inventory. */
    public Pending start(String region) {
      Key key = new Key(policyUid, region);
      Instant now = Instant.now(clock);
      Scanned last = scans.get(key);
      if (last != null
          && last.generation() == generation
          && now.isBefore(last.scannedAt().plus(interval))) {
        return new Pending(key, last, null, now);
      }
      return new Pending(
          key, null, CompletableFuture.supplyAsync(() -> read(region, now), calls), now);
    }

    private LaunchTemplateInventory read(String region, Instant now) {
      Versions read = readVersions(aws, region);
      return new LaunchTemplateInventory(
          read.versions(), describeImages(aws, region, read.versions()), read.truncated(), now);
    }

    /** A scan under way (or a reused one), judged once the Region's settings are read. */
    public final class Pending {
      private final Key key;
      private final Scanned reused;
      private final CompletableFuture<LaunchTemplateInventory> reading;
      private final Instant started;

      private Pending(
          Key key,
          Scanned reused,
          CompletableFuture<LaunchTemplateInventory> reading,
          Instant started) {
        this.key = key;
        this.reused = reused;
        this.reading = reading;
        this.started = started;
      }

      /**
       * Waits for the scan and judges it against the settings just read. A fresh inventory is kept
       * with those settings, a terminal failure until the scan is due again; a recoverable failure
       * is not kept, so the next reconcile scans again. Never throws.
       */
      public Result judge(RegionSettings observed, PreviewBasis basis) {
        Scanned scanned = reused != null ? reused : finishReading(observed);
        if (scanned.failure() != null) {
          return new Result(Optional.empty(), Optional.of(scanned.failure()));
        }
        boolean awsVerdictsApply =
            basis.desiredCriteriaInForce() && observed.equals(scanned.seen());
        return new Result(
            Optional.of(
                LaunchTemplateJudge.judge(scanned.inventory(), basis, awsVerdictsApply, LISTED)),
            Optional.empty());
      }

      private Scanned finishReading(RegionSettings observed) {
        try {
          LaunchTemplateInventory inventory = reading.join();
          Scanned scanned = new Scanned(generation, started, inventory, observed, null);
          scans.put(key, scanned);
          return scanned;
        } catch (CompletionException e) {
          RuntimeException cause =
              e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
          Failure failure = AwsErrorClassifier.classify(cause);
          Scanned failed = new Scanned(generation, started, null, null, failure);
          if (failure.isTerminal()) {
            scans.put(key, failed);
          } else {
            scans.remove(key);
          }
          return failed;
        }
      }

      /**
       * Keeps the scan, once read, for a later reconcile when this one cannot judge it (the
       * Region's settings could not be read): the calls are not repeated, and AWS's verdicts in it
       * are not trusted, since no settings were seen beside it.
       */
      public void keepWhenRead() {
        if (reading == null) {
          return;
        }
        reading.thenAccept(
            inventory ->
                scans.putIfAbsent(key, new Scanned(generation, started, inventory, null, null)));
      }

      /** True when no call was made: the last scan was reused. */
      public boolean reused() {
        return reused != null;
      }
    }
  }
}
