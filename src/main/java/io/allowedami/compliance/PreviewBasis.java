package io.allowedami.compliance;

import io.allowedami.domain.ImageCriteria;
import java.time.Instant;
import java.util.Objects;

/**
 * What the impact preview judges against: the criteria that will be in force (the spec's, or the
 * Region's current ones when the policy leaves criteria alone), whether they are already in force,
 * the account whose own images are always allowed (from STS GetCallerIdentity), and the clock.
 */
public record PreviewBasis(
    ImageCriteria desiredCriteria,
    boolean desiredCriteriaInForce,
    String ownAccountId,
    Instant now) {
  public PreviewBasis {
    Objects.requireNonNull(desiredCriteria, "desiredCriteria");
    Objects.requireNonNull(ownAccountId, "ownAccountId");
    Objects.requireNonNull(now, "now");
  }
}
