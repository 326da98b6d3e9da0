package io.allowedami.domain;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A Region's whole criteria list in canonical form. AWS ORs the criteria, so their order and
 * duplicates carry no meaning: {@code equals} is the order-insensitive comparison the planner
 * needs.
 */
public record ImageCriteria(List<ImageCriterion> criteria) {

  public static final ImageCriteria NONE = new ImageCriteria(List.of());

  public ImageCriteria {
    criteria = criteria == null ? List.of() : List.copyOf(new TreeSet<>(criteria));
  }

  public static ImageCriteria of(Collection<ImageCriterion> criteria) {
    return new ImageCriteria(List.copyOf(criteria));
  }

  public int size() {
    return criteria.size();
  }
}
