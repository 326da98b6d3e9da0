package io.allowedami.compliance;

import io.allowedami.compliance.CriteriaEvaluator.Condition;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * AWS's rollout cautions for Allowed AMIs, checked against the images in use: warnings that never
 * block. Collects bounded facts per Region (fed image by image, by instances and by launch
 * templates), merges across Regions, and says which cautions apply. Not thread-safe: one per Region
 * while it is fed.
 */
public final class RolloutCautions {

  /** Criteria without {@code amazon} while Amazon images (ECS, EKS, Lambda...) are in use. */
  public static final String AMAZON_NOT_ALLOWED = "AmazonNotAllowed";

  /** A creation-date limit that images in use, otherwise matching, already exceed. */
  public static final String CREATION_DATE_LIMIT = "CreationDateLimit";

  /** A criterion with image names but no provider: anyone can publish a matching name. */
  public static final String NAMES_WITHOUT_PROVIDER = "NamesWithoutProvider";

  /** Distinct image IDs kept per caution: enough to count and name a few, bounded whatever. */
  static final int MAX_TRACKED_IMAGES = 256;

  private static final int IMAGES_NAMED = 3;
  private static final int MAX_MESSAGE_LENGTH = 600;
  private static final String AMAZON = "amazon";

  /** What the images are used by. */
  public enum Use {
    /** Running or pending instances. */
    INSTANCE,
    /** Launch template versions. */
    LAUNCH_TEMPLATE
  }

  /** One caution: {@code reason} is one of this class's constants, for a condition or an Event. */
  public record Caution(String reason, String message) {
    public Caution {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  private final ImageCriteria criteria;
  private final String ownAccountId;
  private final Instant now;
  private final boolean amazonListed;
  private final Usage amazonImages = new Usage();

  /** Per criterion index; null where the criterion sets no creation-date limit. */
  private final AgedUsage[] tooOld;

  public RolloutCautions(ImageCriteria criteria, String ownAccountId, Instant now) {
    this.criteria = Objects.requireNonNull(criteria, "criteria");
    this.ownAccountId = Objects.requireNonNull(ownAccountId, "ownAccountId");
    this.now = Objects.requireNonNull(now, "now");
    this.amazonListed =
        criteria.criteria().stream().anyMatch(c -> c.imageProviders().contains(AMAZON));
    this.tooOld = new AgedUsage[criteria.size()];
    for (int i = 0; i < tooOld.length; i++) {
      if (criteria.criteria().get(i).maximumDaysSinceCreated() != null) {
        tooOld[i] = new AgedUsage();
      }
    }
  }

  /** Records that {@code count} uses (instances or launch template versions) run {@code image}. */
  public void add(ImageFacts image, Use use, int count) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(use, "use");
    if (count <= 0 || image.isOwnedBy(ownAccountId)) {
      return;
    }
    if (AMAZON.equals(image.imageOwnerAlias())) {
      amazonImages.add(image.imageId(), use, count);
    }
    for (int i = 0; i < tooOld.length; i++) {
      if (tooOld[i] != null) {
        addIfTooOld(i, image, use, count);
      }
    }
  }

  /**
   * Counts the image against criterion {@code index}'s creation-date limit when every other field
   * the criterion sets matches and no criterion allows it anyway: then the limit alone blocks it.
   */
  private void addIfTooOld(int index, ImageFacts image, Use use, int count) {
    ImageCriterion criterion = criteria.criteria().get(index);
    for (Condition condition : Condition.setBy(criterion)) {
      if (condition != Condition.CREATED
          && condition.judge(criterion, image, now) != Verdict.ALLOWED) {
        return;
      }
    }
    Verdict created = Condition.CREATED.judge(criterion, image, now);
    if (created == Verdict.ALLOWED
        || CriteriaEvaluator.evaluate(criteria, image, ownAccountId, now) == Verdict.ALLOWED) {
      return;
    }
    if (created == Verdict.UNKNOWN) {
      tooOld[index].undated.add(image.imageId());
      return;
    }
    long days = Duration.between(image.imageCreationDate(), now).toDays();
    tooOld[index].usage.add(image.imageId(), use, count);
    tooOld[index].oldestDays = Math.max(tooOld[index].oldestDays, days);
  }

  /**
   * Both Regions' facts together, in a new accumulator: neither input changes, so a report can hold
   * its Region's facts while they are merged. Both must judge the same criteria for the same
   * account at the same time.
   */
  public RolloutCautions merge(RolloutCautions other) {
    if (!criteria.equals(other.criteria)
        || !ownAccountId.equals(other.ownAccountId)
        || !now.equals(other.now)) {
      throw new IllegalArgumentException(
          "cautions merge only for the same criteria, account, time");
    }
    RolloutCautions merged = new RolloutCautions(criteria, ownAccountId, now);
    merged.absorb(this);
    merged.absorb(other);
    return merged;
  }

  private void absorb(RolloutCautions other) {
    amazonImages.merge(other.amazonImages);
    for (int i = 0; i < tooOld.length; i++) {
      if (tooOld[i] != null) {
        tooOld[i].merge(other.tooOld[i]);
      }
    }
  }

  /** The cautions that apply, sorted by reason; empty when none does. */
  public List<Caution> cautions() {
    List<Caution> cautions = new ArrayList<>();
    if (!amazonListed && amazonImages.isUsed()) {
      cautions.add(
          caution(
              AMAZON_NOT_ALLOWED,
              "no criterion lists provider amazon, yet "
                  + amazonImages.describe()
                  + " use images AWS reports with owner alias amazon ("
                  + amazonImages.ids.names()
                  + "): ECS, EKS and Lambda managed instances launch Amazon images, and AWS"
                  + " advises keeping amazon among the providers where they run"));
    }
    List<String> aged = new ArrayList<>();
    for (int i = 0; i < tooOld.length; i++) {
      AgedUsage usage = tooOld[i];
      if (usage != null && usage.usage.isUsed()) {
        aged.add(
            "criterion "
                + (i + 1)
                + " allows images created less than "
                + criteria.criteria().get(i).maximumDaysSinceCreated()
                + " days ago, but "
                + usage.usage.ids.count()
                + (usage.usage.ids.size() == 1 ? " image" : " images")
                + " in use ("
                + usage.usage.describe()
                + ") match its other conditions and are older (oldest "
                + usage.oldestDays
                + " days: "
                + usage.usage.ids.names()
                + "): launches from them fail once enabled"
                + (usage.undated.size() == 0
                    ? ""
                    : "; "
                        + usage.undated.count()
                        + " more with no creation date reported were not counted"));
      }
    }
    if (!aged.isEmpty()) {
      cautions.add(caution(CREATION_DATE_LIMIT, String.join("; ", aged)));
    }
    List<Integer> namesOnly =
        IntStream.range(0, criteria.size())
            .filter(
                i ->
                    !criteria.criteria().get(i).imageNames().isEmpty()
                        && criteria.criteria().get(i).imageProviders().isEmpty())
            .mapToObj(i -> i + 1)
            .toList();
    if (!namesOnly.isEmpty()) {
      cautions.add(
          caution(
              NAMES_WITHOUT_PROVIDER,
              (namesOnly.size() == 1 ? "criterion " : "criteria ")
                  + namesOnly.stream().map(String::valueOf).collect(Collectors.joining(", "))
                  + " set image names without a provider: any account can publish an image under"
                  + " a matching name; AWS advises pairing image names with providers"));
    }
    cautions.sort(Comparator.comparing(Caution::reason));
    return List.copyOf(cautions);
  }

  private static Caution caution(String reason, String message) {
    return new Caution(reason, ReportLimits.clip(message, MAX_MESSAGE_LENGTH));
  }

  /** Uses by kind and the images behind them. */
  private static final class Usage {
    private long instances;
    private long launchTemplates;
    private final ImageIds ids = new ImageIds();

    void add(String imageId, Use use, int count) {
      if (use == Use.INSTANCE) {
        instances += count;
      } else {
        launchTemplates += count;
      }
      ids.add(imageId);
    }

    void merge(Usage other) {
      instances += other.instances;
      launchTemplates += other.launchTemplates;
      ids.merge(other.ids);
    }

    boolean isUsed() {
      return instances + launchTemplates > 0;
    }

    String describe() {
      List<String> parts = new ArrayList<>(2);
      if (instances > 0) {
        parts.add(instances + (instances == 1 ? " running instance" : " running instances"));
      }
      if (launchTemplates > 0) {
        parts.add(
            launchTemplates
                + (launchTemplates == 1
                    ? " launch template version"
                    : " launch template versions"));
      }
      return String.join(" and ", parts);
    }
  }

  private static final class AgedUsage {
    private final Usage usage = new Usage();
    private final ImageIds undated = new ImageIds();
    private long oldestDays;

    void merge(AgedUsage other) {
      usage.merge(other.usage);
      undated.merge(other.undated);
      oldestDays = Math.max(oldestDays, other.oldestDays);
    }
  }

  /**
   * The smallest distinct image IDs seen, at most {@link #MAX_TRACKED_IMAGES}: an exact count up to
   * the cap ("256 or more" beyond), and the first few IDs to name, stable between resyncs.
   */
  private static final class ImageIds {
    private final TreeSet<String> smallest = new TreeSet<>();

    void add(String imageId) {
      smallest.add(ReportLimits.field(imageId));
      if (smallest.size() > MAX_TRACKED_IMAGES) {
        smallest.pollLast();
      }
    }

    void merge(ImageIds other) {
      other.smallest.forEach(this::add);
    }

    int size() {
      return smallest.size();
    }

    String count() {
      return smallest.size() < MAX_TRACKED_IMAGES
          ? String.valueOf(smallest.size())
          : MAX_TRACKED_IMAGES + " or more";
    }

    String names() {
      String named = smallest.stream().limit(IMAGES_NAMED).collect(Collectors.joining(", "));
      return smallest.size() > IMAGES_NAMED
          ? named
              + " and "
              + (smallest.size() < MAX_TRACKED_IMAGES ? "" : "at least ")
              + (smallest.size() - IMAGES_NAMED)
              + " more"
          : named;
    }
  }
}
