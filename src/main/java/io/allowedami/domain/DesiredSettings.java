package io.allowedami.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What a policy asks of every Region it lists. {@code criteria} is empty when the policy does not
 * manage criteria (mode {@code disabled} without providers or imageCriteria): then whatever
 * criteria the Region holds are left alone.
 */
public record DesiredSettings(AllowedImagesState state, Optional<ImageCriteria> criteria) {
  public DesiredSettings {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(criteria, "criteria");
  }

  public static DesiredSettings of(AllowedImagesState state, ImageCriteria criteria) {
    return new DesiredSettings(state, Optional.of(criteria));
  }

  public static DesiredSettings stateOnly(AllowedImagesState state) {
    return new DesiredSettings(state, Optional.empty());
  }
}
