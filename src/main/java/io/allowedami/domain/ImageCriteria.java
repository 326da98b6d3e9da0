package io.allowedami.domain;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A Region's whole criteria list. AWS ORs the criteria, so their order and duplicates carry no
 * meaning: {@code equals} is the order-insensitive comparison the planner needs. The list keeps
 * the order it was written in (duplicates dropped), so that "criterion 2" in a reason or a warning
 * is the second one of the spec.
 */
public record ImageCriteria(List<ImageCriterion> criteria) {

  public static final ImageCriteria NONE = new ImageCriteria(List.of());

  public ImageCriteria {
    criteria = criteria == null ? List.of() : List.copyOf(new LinkedHashSet<>(criteria));
  }

  public static ImageCriteria of(Collection<ImageCriterion> criteria) {
    return new ImageCriteria(List.copyOf(criteria));
  }

  public int size() {
    return criteria.size();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageCriteria that
        && new HashSet<>(criteria).equals(new HashSet<>(that.criteria));
  }

  @Override
  public int hashCode() {
    return new HashSet<>(criteria).hashCode();
  }
}
