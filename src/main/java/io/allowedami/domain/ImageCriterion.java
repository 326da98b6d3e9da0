package io.allowedami.domain;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One Allowed AMIs criterion in canonical form: every list sorted and without duplicates, so two
 * criteria that AWS treats as the same are {@code equals}. An empty list means "not set".
 */
public record ImageCriterion(
    List<String> imageProviders,
    List<String> imageNames,
    List<String> marketplaceProductCodes,
    Integer maximumDaysSinceCreated,
    Integer maximumDaysSinceDeprecated,
    List<WatermarkFilter> imageWatermarks)
    implements Comparable<ImageCriterion> {

  public ImageCriterion {
    imageProviders = canonical(imageProviders);
    imageNames = canonical(imageNames);
    marketplaceProductCodes = canonical(marketplaceProductCodes);
    imageWatermarks = canonical(imageWatermarks);
  }

  public static ImageCriterion ofProviders(Collection<String> providers) {
    return new ImageCriterion(List.copyOf(providers), null, null, null, null, null);
  }

  private static <T extends Comparable<T>> List<T> canonical(Collection<T> values) {
    if (values == null) {
      return List.of();
    }
    return List.copyOf(new TreeSet<>(values));
  }

  /** A stable textual key, used to order criteria; not shown to users. */
  String sortKey() {
    return String.join(",", imageProviders)
        + '|'
        + String.join(",", imageNames)
        + '|'
        + String.join(",", marketplaceProductCodes)
        + '|'
        + maximumDaysSinceCreated
        + '|'
        + maximumDaysSinceDeprecated
        + '|'
        + imageWatermarks.stream().map(WatermarkFilter::toString).collect(Collectors.joining(","));
  }

  @Override
  public int compareTo(ImageCriterion other) {
    return sortKey().compareTo(other.sortKey());
  }
}
