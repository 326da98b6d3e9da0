package io.allowedami.compliance;

import io.allowedami.compliance.CriteriaEvaluator.Condition;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Says in one short line why criteria do not allow an image: which criterion came closest and which
 * of its conditions failed, so a user can tell a wrong name pattern from a tight day limit. The
 * judgements are {@link CriteriaEvaluator}'s own, so the line never contradicts the verdict.
 */
public final class ImageReasons {

  /** A reason is one line of status: short enough to read in {@code kubectl get -o yaml}. */
  public static final int MAX_LENGTH = 200;

  static final String NO_CRITERIA = "no criteria: only the account's own images are allowed";

  /** Values come from AWS and the spec; each is cut in the middle to keep room for the others. */
  private static final int MAX_VALUE_LENGTH = 40;

  /** Values listed from one condition before "and N more". */
  private static final int MAX_VALUES_LISTED = 2;

  private ImageReasons() {}

  /**
   * Why {@code criteria} do not allow {@code image}: the closest criterion (fewest failing
   * conditions, then most matching, then the first), its failing conditions first, then those that
   * cannot be judged, then, if room is left, those that match. Criteria are numbered from 1 in the
   * order they were written ({@link ImageCriteria} keeps it). Meant for images the evaluator judges
   * {@link Verdict#NOT_ALLOWED}; for others the line says what matched or could not be judged.
   */
  public static String whyNotAllowed(ImageCriteria criteria, ImageFacts image, Instant now) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(now, "now");
    if (criteria.criteria().isEmpty()) {
      return NO_CRITERIA;
    }
    Closest closest = closest(criteria, image, now);
    ImageCriterion criterion = criteria.criteria().get(closest.index());
    StringBuilder line =
        new StringBuilder("criterion ")
            .append(closest.index() + 1)
            .append(closest.failing() == 0 ? " matches: " : " closest: ");
    List<String> parts = new ArrayList<>();
    for (Verdict verdict : List.of(Verdict.NOT_ALLOWED, Verdict.UNKNOWN, Verdict.ALLOWED)) {
      for (Judged judged : closest.conditions()) {
        if (judged.verdict() == verdict) {
          parts.add(describe(judged, criterion, image, now));
        }
      }
    }
    int skipped = 0;
    String separator = "";
    for (String part : parts) {
      if (line.length() + separator.length() + part.length() > MAX_LENGTH - 3) {
        skipped++;
        continue;
      }
      line.append(separator).append(part);
      separator = "; ";
    }
    if (skipped > 0) {
      line.append(separator.isEmpty() ? "…" : "; …");
    }
    return ReportLimits.clip(line.toString(), MAX_LENGTH);
  }

  /** One condition of a criterion and the evaluator's verdict on it. */
  record Judged(Condition condition, Verdict verdict) {}

  /** The closest criterion, by index into the criteria, with its judged conditions. */
  record Closest(int index, List<Judged> conditions) {
    int failing() {
      return count(Verdict.NOT_ALLOWED);
    }

    int matching() {
      return count(Verdict.ALLOWED);
    }

    private int count(Verdict verdict) {
      return (int) conditions.stream().filter(j -> j.verdict() == verdict).count();
    }
  }

  static Closest closest(ImageCriteria criteria, ImageFacts image, Instant now) {
    List<ImageCriterion> list = criteria.criteria();
    return IntStream.range(0, list.size())
        .mapToObj(
            i ->
                new Closest(
                    i,
                    Condition.setBy(list.get(i)).stream()
                        .map(c -> new Judged(c, c.judge(list.get(i), image, now)))
                        .toList()))
        .min(
            Comparator.comparingInt(Closest::failing)
                .thenComparing(Comparator.comparingInt(Closest::matching).reversed())
                .thenComparingInt(Closest::index))
        .orElseThrow();
  }

  private static String describe(
      Judged judged, ImageCriterion criterion, ImageFacts image, Instant now) {
    Verdict verdict = judged.verdict();
    return switch (judged.condition()) {
      case PROVIDER -> provider(verdict, criterion, image);
      case NAME -> name(verdict, criterion, image);
      case PRODUCT_CODE -> productCode(verdict, criterion, image);
      case CREATED ->
          image.imageCreationDate() == null
              ? "creation date not reported"
              : age("created", image.imageCreationDate(), now)
                  + ", limit "
                  + criterion.maximumDaysSinceCreated();
      case DEPRECATED ->
          CriteriaEvaluator.isDeprecated(image, now)
              ? age("deprecated", image.imageDeprecationTime(), now)
                  + ", limit "
                  + criterion.maximumDaysSinceDeprecated()
              : "not deprecated";
      case WATERMARK -> watermark(verdict, criterion, image, now);
    };
  }

  private static String provider(Verdict verdict, ImageCriterion criterion, ImageFacts image) {
    List<String> providers = criterion.imageProviders();
    if (verdict == Verdict.ALLOWED) {
      String match =
          providers.stream()
              .filter(p -> CriteriaEvaluator.provider(p, image) == Verdict.ALLOWED)
              .findFirst()
              .orElseThrow();
      return "provider " + value(match) + " matches";
    }
    if (verdict == Verdict.UNKNOWN) {
      return "image owner not reported";
    }
    if (providers.equals(List.of(CriteriaEvaluator.NO_PROVIDER))) {
      return "provider none allows only the account's own images";
    }
    String owner =
        "owner "
            + (image.imageOwnerId() == null ? "not reported" : value(image.imageOwnerId()))
            + " (alias "
            + (image.imageOwnerAlias() == null ? "none" : value(image.imageOwnerAlias()))
            + ")";
    return providers.size() == 1
        ? "provider " + value(providers.get(0)) + " does not match " + owner
        : "providers " + list(providers, false) + " do not match " + owner;
  }

  private static String name(Verdict verdict, ImageCriterion criterion, ImageFacts image) {
    if (verdict == Verdict.UNKNOWN) {
      return "name not reported";
    }
    String name = "name " + quoted(image.imageName());
    if (verdict == Verdict.ALLOWED) {
      String match =
          criterion.imageNames().stream()
              .filter(p -> Wildcard.matches(p, image.imageName()))
              .findFirst()
              .orElseThrow();
      return name + " matches " + quoted(match);
    }
    return name + " matches none of " + list(criterion.imageNames(), true);
  }

  private static String productCode(Verdict verdict, ImageCriterion criterion, ImageFacts image) {
    if (verdict == Verdict.UNKNOWN) {
      return "product codes not reported";
    }
    if (verdict == Verdict.ALLOWED) {
      String match =
          criterion.marketplaceProductCodes().stream()
              .filter(image.productCodes()::contains)
              .findFirst()
              .orElseThrow();
      return "product code " + quoted(match) + " matches";
    }
    return (image.productCodes().isEmpty() ? "no product codes" : "product codes")
        + " match none of "
        + list(criterion.marketplaceProductCodes(), true);
  }

  private static String watermark(
      Verdict verdict, ImageCriterion criterion, ImageFacts image, Instant now) {
    if (image.watermarks() == null) {
      return "watermarks not reported";
    }
    if (verdict == Verdict.ALLOWED) {
      return "a watermark matches";
    }
    List<String> filters =
        criterion.imageWatermarks().stream().map(ImageReasons::filterName).toList();
    if (verdict == Verdict.UNKNOWN) {
      return "watermark details not reported for " + list(filters, true);
    }
    return (image.watermarks().isEmpty() ? "no watermarks" : "watermarks")
        + " match none of "
        + list(filters, true);
  }

  /** A filter by its key pattern, which is what users recognise; else by what it limits. */
  private static String filterName(WatermarkFilter filter) {
    if (filter.watermarkKey() != null) {
      return filter.watermarkKey();
    }
    if (filter.sourceImageRegion() != null) {
      return "source " + filter.sourceImageRegion();
    }
    return "day limits";
  }

  /** Whole days, rounded down: with the evaluator's rule, N days fails a limit of N or less. */
  private static String age(String event, Instant since, Instant now) {
    Duration age = Duration.between(since, now);
    if (age.isNegative()) {
      return event + " in the future";
    }
    long days = age.toDays();
    return event + " " + days + (days == 1 ? " day ago" : " days ago");
  }

  private static String list(List<String> values, boolean quote) {
    StringBuilder text = new StringBuilder();
    int listed = Math.min(values.size(), MAX_VALUES_LISTED);
    for (int i = 0; i < listed; i++) {
      if (i > 0) {
        text.append(i == values.size() - 1 ? " and " : ", ");
      }
      text.append(quote ? quoted(values.get(i)) : value(values.get(i)));
    }
    if (values.size() > listed) {
      text.append(" and ").append(values.size() - listed).append(" more");
    }
    return text.toString();
  }

  private static String quoted(String value) {
    return "'" + value(value) + "'";
  }

  /** Shortened, and on one line whatever AWS sent. */
  private static String value(String value) {
    StringBuilder clean = new StringBuilder(value.length());
    value.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return ReportLimits.clip(clean.toString(), MAX_VALUE_LENGTH);
  }
}
