package io.allowedami.compliance;

import io.allowedami.domain.ImageCriteria;
import java.time.Instant;
import java.util.Objects;

/**
 * What the impact preview judges against: the criteria that will be in force (the spec's, or the
 * Region's current ones when the policy leaves criteria alone), whether they are already in force,
 * the criteria AWS's {@code ImageAllowed} answers for now (null when the setting is disabled), the
 * account whose own images are always allowed (from STS GetCallerIdentity), and the clock.
 */
public record PreviewBasis(
    ImageCriteria desiredCriteria,
    boolean desiredCriteriaInForce,
    ImageCriteria criteriaInForce,
    String ownAccountId,
    Instant now) {
  public PreviewBasis {
    Objects.requireNonNull(desiredCriteria, "desiredCriteria");
    Objects.requireNonNull(ownAccountId, "ownAccountId");
    Objects.requireNonNull(now, "now");
  }

  /** A basis whose criteria in force are the desired ones when they are in force, else unknown. */
  public PreviewBasis(
      ImageCriteria desiredCriteria,
      boolean desiredCriteriaInForce,
      String ownAccountId,
      Instant now) {
    this(
        desiredCriteria,
        desiredCriteriaInForce,
        desiredCriteriaInForce ? desiredCriteria : null,
        ownAccountId,
        now);
  }

  /**
   * The basis for a Region: the desired criteria, or, when the policy sets none, those the Region
   * has; in force when the Region already has them and is not disabled.
   */
  public static PreviewBasis of(
      io.allowedami.domain.DesiredSettings desired,
      io.allowedami.domain.RegionSettings settings,
      String ownAccountId,
      Instant now) {
    ImageCriteria criteria = desired.criteria().orElse(settings.criteria());
    boolean enabledOrAudit = settings.state() != io.allowedami.domain.AllowedImagesState.DISABLED;
    boolean inForce = criteria.equals(settings.criteria()) && enabledOrAudit;
    return new PreviewBasis(
        criteria, inForce, enabledOrAudit ? settings.criteria() : null, ownAccountId, now);
  }
}
