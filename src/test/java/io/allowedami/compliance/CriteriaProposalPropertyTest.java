package io.allowedami.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.compliance.CriteriaProposal.ImageUse;
import io.allowedami.compliance.CriteriaProposal.Proposal;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.plan.ProposedCriteria;
import io.allowedami.reconcile.SpecMapper;
import io.allowedami.reconcile.SpecValidator;
import io.allowedami.testing.CrdFiles;
import io.allowedami.testing.CrdSchemaValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random fleets: whatever the fleet, the proposal is a spec both the API server and the
 * operator accept, it allows every image that can be fitted, and where no tightness was given up it
 * allows no image of another family, account or product. {@code -DcriteriaProposal.seed=N} explores
 * another sequence.
 */
class CriteriaProposalPropertyTest {
  private static final CrdSchemaValidator CRD =
      CrdSchemaValidator.load(CrdFiles.generatedCrd(), AllowedAmiPolicy.VERSION);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = Long.getLong("criteriaProposal.seed", 20261125L);
  private static final String OWN = Fleets.OWN;
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  /** How often each property was checked, so that a vacuous run fails. */
  private int tightChecks;

  private int wideFleets;

  @Test
  void everyRandomFleetGetsValidCriteriaThatAllowItAndOnlyIt() {
    Random random = new Random(SEED);
    for (int i = 0; i < 150; i++) {
      int images = 1 + random.nextInt(300);
      int families = 1 + random.nextInt(60);
      boolean unnamed = random.nextInt(4) == 0;
      check(
          Fleets.random(random, images, families, 1 + random.nextInt(50), unnamed),
          random,
          "fleet " + i);
    }
    System.out.printf(
        "CriteriaProposalPropertyTest: seed %d, %d tight fleets, %d widened%n",
        SEED, tightChecks, wideFleets);
    assertThat(tightChecks).as("catalogs whose tightness was checked").isGreaterThan(150);
  }

  @Test
  void largeFleetsStayWithinAwsLimits() {
    Random random = new Random(SEED + 1);
    // 1,000 distinct name families, 500 accounts, and both at once.
    check(Fleets.random(random, 4_000, 1_000, 10, false), random, "1000 families");
    check(Fleets.random(random, 3_000, 40, 500, false), random, "500 accounts");
    check(Fleets.random(random, 6_000, 1_000, 500, false), random, "both");
    assertThat(wideFleets).as("large fleets need widening").isPositive();
  }

  private void check(List<ImageUse> fleet, Random random, String what) {
    Proposal proposal = CriteriaProposal.propose(fleet, OWN);
    String context = what + ": " + proposal;

    List<ImageCriterionSpec> criteria = ProposedCriteria.toSpec(proposal.criteria());
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode("audit-mode");
    spec.setRegions(List.of("us-east-1"));
    spec.setImageCriteria(criteria);
    assertThat(SpecValidator.validate(spec)).as(context).isEmpty();
    assertThat(CRD.validate(policy(spec))).as(context).isEmpty();
    assertThat(SpecMapper.desired(spec).criteria())
        .as("the spec says the same")
        .isEqualTo(Optional.of(proposal.criteria()));
    assertThat(proposal.criteria().size()).isBetween(1, Limits.MAX_CRITERIA);

    for (ImageUse use : fleet) {
      if (fittable(use.image())) {
        assertThat(CriteriaEvaluator.evaluate(proposal.criteria(), use.image(), OWN, NOW))
            .as("%s allows %s", context, use.image())
            .isEqualTo(Verdict.ALLOWED);
      }
    }

    boolean amazonWide = wide(proposal, "amazon");
    boolean marketplaceWide = wide(proposal, "aws-marketplace");
    if (amazonWide || marketplaceWide) {
      wideFleets++;
    }
    tightChecks += (amazonWide ? 0 : 1) + (marketplaceWide ? 0 : 1);
    for (ImageFacts outsider : Fleets.outsiders(random, 30)) {
      boolean mayBeAllowed =
          "amazon".equals(outsider.imageOwnerAlias())
              ? amazonWide
              : "aws-marketplace".equals(outsider.imageOwnerAlias()) && marketplaceWide;
      if (!mayBeAllowed && !onlyNamesLeft(proposal)) {
        assertThat(CriteriaEvaluator.evaluate(proposal.criteria(), outsider, OWN, NOW))
            .as("%s does not allow the outsider %s", context, outsider)
            .isEqualTo(Verdict.NOT_ALLOWED);
      }
    }
  }

  /** What the proposal can fit: an owner ID that is an account, or an alias AWS matches on. */
  private static boolean fittable(ImageFacts image) {
    String alias = image.imageOwnerAlias();
    return java.util.Set.of("amazon", "aws-marketplace", "aws-backup-vault")
            .contains(String.valueOf(alias))
        || (image.imageOwnerId() != null && image.imageOwnerId().matches("[0-9]{12}"));
  }

  /** A catalog allowed whole (its provider alone) or by widened names. */
  private static boolean wide(Proposal proposal, String catalog) {
    boolean alone =
        proposal.criteria().criteria().stream()
            .anyMatch(
                c ->
                    c.imageProviders().contains(catalog)
                        && c.imageNames().isEmpty()
                        && c.marketplaceProductCodes().isEmpty());
    boolean widened =
        proposal.notes().stream().anyMatch(n -> n.startsWith("'" + catalog + "': names widened"));
    return alone || widened;
  }

  private static boolean onlyNamesLeft(Proposal proposal) {
    List<ImageCriterion> criteria = proposal.criteria().criteria();
    return criteria.size() == 1 && criteria.get(0).imageProviders().isEmpty();
  }

  private static ObjectNode policy(AllowedAmiPolicySpec spec) {
    ObjectNode policy =
        JSON.createObjectNode()
            .put("apiVersion", AllowedAmiPolicy.GROUP + "/" + AllowedAmiPolicy.VERSION)
            .put("kind", "AllowedAmiPolicy");
    policy.putObject("metadata").put("name", "proposal");
    ObjectNode specNode = policy.putObject("spec");
    specNode.put("mode", spec.getMode());
    specNode.set("regions", JSON.valueToTree(spec.getRegions()));
    specNode.set("imageCriteria", JSON.valueToTree(new ArrayList<>(spec.getImageCriteria())));
    return policy;
  }
}
