package io.allowedami.domain;

import java.util.Objects;

/** What GetAllowedImagesSettings reports for one account and Region. */
public record RegionSettings(
    AllowedImagesState state, ImageCriteria criteria, ManagedBy managedBy) {
  public RegionSettings {
    Objects.requireNonNull(state, "state");
    criteria = criteria == null ? ImageCriteria.NONE : criteria;
    managedBy = managedBy == null ? ManagedBy.ACCOUNT : managedBy;
  }
}
