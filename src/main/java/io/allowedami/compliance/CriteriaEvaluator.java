package io.allowedami.compliance;

import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Judges an image against Allowed AMIs criteria locally, with AWS's semantics, so that the impact
 * of criteria is known before they are enforced. What the metadata cannot decide is {@link
 * Verdict#UNKNOWN}, combined in Kleene logic: never a guess.
 *
 * <ul>
 *   <li>Images owned by the account are allowed whatever the criteria; an image whose owner is not
 *       reported could be the account's own, so it is never {@link Verdict#NOT_ALLOWED}.
 *   <li>No criteria: only the account's own images. Across criteria OR, inside a criterion AND over
 *       the fields it sets, inside a field OR over its values.
 *   <li>Providers: {@code amazon}, {@code aws-marketplace}, {@code aws-backup-vault} match the
 *       image's owner alias (verified providers report {@code amazon}); a reported owner without an
 *       alias matches none of them. An account ID matches the owner ID; {@code none} matches
 *       nothing.
 *   <li>Day limits: an age satisfies a limit of N days when it is strictly shorter than N × 24
 *       hours. So an image created exactly N days ago is too old, and 0 days since deprecated means
 *       "not deprecated" without a special case. A deprecation time that is absent or in the future
 *       is not a deprecation. (AWS does not document its day granularity; where it differs, the
 *       preview reports a disagreement.)
 * </ul>
 */
public final class CriteriaEvaluator {

  private static final Set<String> OWNER_ALIASES =
      Set.of("amazon", "aws-marketplace", "aws-backup-vault");
  static final String NO_PROVIDER = "none";

  private CriteriaEvaluator() {}

  public static Verdict evaluate(
      ImageCriteria criteria, ImageFacts image, String ownAccountId, Instant now) {
    Objects.requireNonNull(ownAccountId, "ownAccountId");
    Objects.requireNonNull(now, "now");
    if (image.isOwnedBy(ownAccountId)) {
      return Verdict.ALLOWED;
    }
    Verdict byCriteria =
        Verdict.any(criteria.criteria(), criterion -> matches(criterion, image, now));
    return image.imageOwnerId() == null ? byCriteria.or(Verdict.UNKNOWN) : byCriteria;
  }

  private static Verdict matches(ImageCriterion criterion, ImageFacts image, Instant now) {
    // A loop rather than Condition.setBy: this runs for every instance of every Region.
    Verdict result = Verdict.ALLOWED;
    boolean anySet = false;
    for (Condition condition : Condition.ALL) {
      if (condition.isSetBy(criterion)) {
        anySet = true;
        result = result.and(condition.judge(criterion, image, now));
        if (result == Verdict.NOT_ALLOWED) {
          return result;
        }
      }
    }
    if (!anySet) {
      throw new IllegalArgumentException(
          "a criterion must set at least one field, as AWS requires");
    }
    return result;
  }

  /**
   * The conditions a criterion can set, each judged on its own: the criterion matches when every
   * condition it sets does. {@link ImageReasons} explains a verdict with the same judgements.
   */
  enum Condition {
    PROVIDER {
      @Override
      boolean isSetBy(ImageCriterion criterion) {
        return !criterion.imageProviders().isEmpty();
      }

      @Override
      Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now) {
        return Verdict.any(criterion.imageProviders(), provider -> provider(provider, image));
      }
    },
    NAME {
      @Override
      boolean isSetBy(ImageCriterion criterion) {
        return !criterion.imageNames().isEmpty();
      }

      @Override
      Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now) {
        return image.imageName() == null
            ? Verdict.UNKNOWN
            : Verdict.any(
                criterion.imageNames(),
                name -> Verdict.of(Wildcard.matches(name, image.imageName())));
      }
    },
    PRODUCT_CODE {
      @Override
      boolean isSetBy(ImageCriterion criterion) {
        return !criterion.marketplaceProductCodes().isEmpty();
      }

      @Override
      Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now) {
        return image.productCodes() == null
            ? Verdict.UNKNOWN
            : Verdict.any(
                criterion.marketplaceProductCodes(),
                code -> Verdict.of(image.productCodes().contains(code)));
      }
    },
    CREATED {
      @Override
      boolean isSetBy(ImageCriterion criterion) {
        return criterion.maximumDaysSinceCreated() != null;
      }

      @Override
      Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now) {
        return youngerThan(image.imageCreationDate(), criterion.maximumDaysSinceCreated(), now);
      }
    },
    DEPRECATED {
      @Override
      boolean isSetBy(ImageCriterion criterion) {
        return criterion.maximumDaysSinceDeprecated() != null;
      }

      @Override
      Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now) {
        return isDeprecated(image, now)
            ? youngerThan(image.imageDeprecationTime(), criterion.maximumDaysSinceDeprecated(), now)
            : Verdict.ALLOWED;
      }
    },
    WATERMARK {
      @Override
      boolean isSetBy(ImageCriterion criterion) {
        return !criterion.imageWatermarks().isEmpty();
      }

      @Override
      Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now) {
        return image.watermarks() == null
            ? Verdict.UNKNOWN
            : Verdict.any(
                criterion.imageWatermarks(),
                filter -> Verdict.any(image.watermarks(), mark -> matches(filter, mark, now)));
      }
    };

    private static final List<Condition> ALL = List.of(values());

    abstract boolean isSetBy(ImageCriterion criterion);

    abstract Verdict judge(ImageCriterion criterion, ImageFacts image, Instant now);

    /** The conditions {@code criterion} sets, in a fixed order. */
    static List<Condition> setBy(ImageCriterion criterion) {
      return ALL.stream().filter(c -> c.isSetBy(criterion)).toList();
    }
  }

  static Verdict provider(String provider, ImageFacts image) {
    if (NO_PROVIDER.equals(provider)) {
      return Verdict.NOT_ALLOWED;
    }
    if (OWNER_ALIASES.contains(provider)) {
      if (image.imageOwnerAlias() != null) {
        return Verdict.of(provider.equals(image.imageOwnerAlias()));
      }
      return image.imageOwnerId() == null ? Verdict.UNKNOWN : Verdict.NOT_ALLOWED;
    }
    return image.imageOwnerId() == null
        ? Verdict.UNKNOWN
        : Verdict.of(provider.equals(image.imageOwnerId()));
  }

  /** Every field the filter sets must match this one watermark. */
  static Verdict matches(WatermarkFilter filter, ImageWatermark mark, Instant now) {
    Verdict result = Verdict.ALLOWED;
    if (filter.watermarkKey() != null) {
      result = result.and(Verdict.of(Wildcard.matches(filter.watermarkKey(), mark.watermarkKey())));
    }
    if (filter.sourceImageRegion() != null) {
      result =
          result.and(
              mark.sourceImageRegion() == null
                  ? Verdict.UNKNOWN
                  : Verdict.of(filter.sourceImageRegion().equals(mark.sourceImageRegion())));
    }
    if (filter.maximumDaysSinceSourceImageCreated() != null) {
      result =
          result.and(
              youngerThan(
                  mark.sourceImageCreated(), filter.maximumDaysSinceSourceImageCreated(), now));
    }
    if (filter.maximumDaysSinceWatermarkCreated() != null) {
      result =
          result.and(
              youngerThan(mark.watermarkCreated(), filter.maximumDaysSinceWatermarkCreated(), now));
    }
    return result;
  }

  /** A deprecation time that is absent or in the future is not a deprecation. */
  static boolean isDeprecated(ImageFacts image, Instant now) {
    return image.imageDeprecationTime() != null && !image.imageDeprecationTime().isAfter(now);
  }

  /** The day rule of the class comment; an unknown time is an unknown verdict. */
  static Verdict youngerThan(Instant since, int maximumDays, Instant now) {
    if (since == null) {
      return Verdict.UNKNOWN;
    }
    return Verdict.of(Duration.between(since, now).compareTo(Duration.ofDays(maximumDays)) < 0);
  }
}
