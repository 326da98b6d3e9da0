package io.allowedami.compliance;

import static io.allowedami.compliance.CriteriaProposal.namePattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.compliance.CriteriaProposal.ImageUse;
import io.allowedami.compliance.CriteriaProposal.Names;
import io.allowedami.compliance.CriteriaProposal.Proposal;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CriteriaProposalTest {
  static final String OWN = "111122223333";
  static final String AMAZON_OWNER = "137112412989";
  static final String CANONICAL = "099720109477";
  static final String VENDOR = "210987654321";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  static ImageUse use(String id, String name, String owner, String alias) {
    return use(id, name, owner, alias, null);
  }

  static ImageUse use(String id, String name, String owner, String alias, Set<String> codes) {
    return new ImageUse(image(id, name, owner, alias, codes), 1, 0);
  }

  static DescribedImage image(
      String id, String name, String owner, String alias, Set<String> codes) {
    return new DescribedImage(
        id,
        name,
        owner,
        alias,
        NOW.minusSeconds(86_400L * 400),
        null,
        "available",
        Verdict.UNKNOWN,
        codes,
        null);
  }

  static Verdict judge(Proposal proposal, ImageFacts image) {
    return CriteriaEvaluator.evaluate(proposal.criteria(), image, OWN, NOW);
  }

  static ImageCriterion providers(String... providers) {
    return ImageCriterion.ofProviders(List.of(providers));
  }

  static ImageCriterion names(String provider, String... names) {
    return new ImageCriterion(List.of(provider), List.of(names), null, null, null, null);
  }

  // ---- Name patterns ----

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64 | al2023-ami-*",
        "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610"
            + " | ubuntu/images/hvm-ssd-gp3/ubuntu-noble-*",
        "Windows_Server-2022-English-Full-Base-2025.06.11 | Windows_Server-*",
        "amzn2-ami-kernel-5.10-hvm-2.0.20250101.0-x86_64-gp2 | amzn2-ami-kernel-*",
        "acme-hardened-rhel9-2025.09 | acme-hardened-rhel9-*",
        // the first token is kept even when it starts with a digit
        "2025-golden-1 | 2025-golden-*",
        // no token looks like a version: the exact name
        "acme-golden-base | acme-golden-base",
        "my image (final) | my image (final)",
        // characters AWS does not accept become '?', which matches them
        "café-base-1.0 | caf?-base-*",
        "a+b | a?b",
      })
  void aNameIsCutBeforeItsFirstVersionToken(String name, String pattern) {
    assertThat(namePattern(name)).contains(pattern);
    assertThat(Wildcard.matches(pattern, name)).as("the pattern matches its own name").isTrue();
  }

  @Test
  void aPatternIsAtMost128CharactersAndStillMatchesItsName() {
    String longName = "x".repeat(200);
    String longPrefix = "y".repeat(150) + "-1.0";

    assertThat(namePattern(longName)).contains("x".repeat(127) + "*");
    assertThat(namePattern(longPrefix)).contains("y".repeat(127) + "*");
    assertThat(namePattern("z".repeat(128))).contains("z".repeat(128));
  }

  @Test
  void aNameWithoutAValidPatternHasNone() {
    assertThat(namePattern(null)).isEmpty();
    assertThat(namePattern("")).isEmpty();
    assertThat(namePattern("   ")).isEmpty();
    // '?' needs 3 characters: a two-character name with a character AWS refuses has no pattern
    assertThat(namePattern("é1")).isEmpty();
    assertThat(namePattern("*")).isEmpty();
  }

  @Test
  void coveredPatternsAreDropped() {
    assertThat(
            Names.withoutCovered(
                List.of(
                    "al2023-ami-*",
                    "al2023-ami-minimal-*",
                    "al2023-ami-minimal-2023",
                    "al2023-ami-*",
                    "ubuntu-*",
                    "ubuntu")))
        .containsExactly("al2023-ami-*", "ubuntu", "ubuntu-*");
  }

  @Test
  void wideningMergesTheLongestSharedTokenPrefixFirst() {
    List<String> patterns =
        List.of(
            "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-*",
            "ubuntu/images/hvm-ssd-gp3/ubuntu-jammy-*",
            "ubuntu/images/hvm-ssd/ubuntu-focal-*",
            "al2023-ami-*");

    assertThat(Names.widen(patterns, 3))
        .contains(
            List.of(
                "al2023-ami-*",
                "ubuntu/images/hvm-ssd-gp3/ubuntu-*",
                "ubuntu/images/hvm-ssd/ubuntu-focal-*"));
    assertThat(Names.widen(patterns, 2)).contains(List.of("al2023-ami-*", "ubuntu/images/hvm-*"));
    // no token boundary is shared any more: characters, then nothing
    assertThat(Names.widen(List.of("alpha-*", "almond-*", "beta-*"), 2))
        .contains(List.of("al*", "beta-*"));
    assertThat(Names.widen(List.of("alpha-*", "beta-*"), 1)).isEmpty();
    assertThat(Names.widen(patterns, 4)).contains(List.copyOf(new java.util.TreeSet<>(patterns)));
  }

  // ---- What each kind of image gets ----

  @Test
  void onlyTheAccountsOwnImagesGiveNoneAndANote() {
    Proposal proposal =
        CriteriaProposal.propose(
            List.of(new ImageUse(image("ami-1", "golden-1.0", OWN, null, null), 3, 2)), OWN);

    assertThat(proposal.criteria()).isEqualTo(ImageCriteria.of(List.of(providers("none"))));
    assertThat(proposal.notes())
        .containsExactly(
            "1 image (3 running instances, 2 launch template versions) owned by the account"
                + " itself (111122223333): always allowed, no criterion needed",
            "no image in use needs a criterion: 'none' allows only the account's own images");
  }

  @Test
  void noImagesAtAllGiveNone() {
    assertThat(CriteriaProposal.propose(List.of(), OWN).criteria())
        .isEqualTo(ImageCriteria.of(List.of(providers("none"))));
  }

  @Test
  void imagesOfSpecificAccountsAreAllowedByTheirAccountIdsInOneCriterion() {
    Proposal proposal =
        CriteriaProposal.propose(
            List.of(
                use("ami-1", "acme-rhel9-2025.09", VENDOR, null),
                use("ami-2", "other-1", "444455556666", null),
                use("ami-3", "other-2", "444455556666", "someone"),
                use("ami-4", "restored", "555566667777", "aws-backup-vault")),
            OWN);

    assertThat(proposal.criteria())
        .isEqualTo(
            ImageCriteria.of(List.of(providers(VENDOR, "444455556666", "aws-backup-vault"))));
    assertThat(proposal.notes()).isEmpty();
    assertThat(judge(proposal, image("ami-9", "x", "999988887777", null, null)))
        .isEqualTo(Verdict.NOT_ALLOWED);
  }

  @Test
  void amazonImagesGetAmazonWithTheirNameFamiliesAndUbuntuIsNotAllowedByAnAmazonLinuxFit() {
    Proposal proposal =
        CriteriaProposal.propose(
            List.of(
                use(
                    "ami-1",
                    "al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64",
                    AMAZON_OWNER,
                    "amazon"),
                use(
                    "ami-2",
                    "al2023-ami-2023.7.20250101.0-kernel-6.1-arm64",
                    AMAZON_OWNER,
                    "amazon"),
                use(
                    "ami-3",
                    "al2023-ami-minimal-2023.7.20250101.0-kernel-6.1-x86_64",
                    AMAZON_OWNER,
                    "amazon")),
            OWN);

    assertThat(proposal.criteria())
        .isEqualTo(ImageCriteria.of(List.of(names("amazon", "al2023-ami-*"))));
    assertThat(
            judge(
                proposal,
                image(
                    "ami-u",
                    "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610",
                    CANONICAL,
                    "amazon",
                    null)))
        .isEqualTo(Verdict.NOT_ALLOWED);
    assertThat(judge(proposal, image("ami-n", "al2023-ami-2024.1", AMAZON_OWNER, "amazon", null)))
        .as("a newer release of the same family")
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void marketplaceImagesGetTheirProductCodesWhenKnownAndTheirNamesOtherwise() {
    Proposal proposal =
        CriteriaProposal.propose(
            List.of(
                use(
                    "ami-1",
                    "CIS Ubuntu Linux 22.04 LTS Benchmark - Level 1",
                    "679593333241",
                    "aws-marketplace",
                    Set.of("prodcode1")),
                use("ami-2", "fortinet-fortigate-7.4.3", "679593333241", "aws-marketplace")),
            OWN);

    assertThat(proposal.criteria())
        .isEqualTo(
            ImageCriteria.of(
                List.of(
                    names("aws-marketplace", "fortinet-fortigate-*"),
                    new ImageCriterion(
                        List.of("aws-marketplace"),
                        null,
                        List.of("prodcode1"),
                        null,
                        null,
                        null))));
    // Another Marketplace product is not allowed: not the whole catalog.
    assertThat(
            judge(
                proposal,
                image(
                    "ami-9", "paloalto-vm-11.0", "679593333241", "aws-marketplace", Set.of("x9"))))
        .isEqualTo(Verdict.NOT_ALLOWED);
  }

  @Test
  void aCatalogImageWithoutANameLeavesTheProviderAloneAndSaysSo() {
    Proposal proposal =
        CriteriaProposal.propose(
            List.of(
                use("ami-1", "al2023-ami-2023.6", AMAZON_OWNER, "amazon"),
                use("ami-2", null, AMAZON_OWNER, "amazon"),
                use("ami-3", "acme-1", VENDOR, null)),
            OWN);

    assertThat(proposal.criteria())
        .isEqualTo(ImageCriteria.of(List.of(providers(VENDOR, "amazon"))));
    assertThat(proposal.notes())
        .containsExactly(
            "1 image (1 running instance) of 'amazon' reports no usable name: only 'amazon' alone"
                + " fits, and it allows every image of that catalog: ami-2");
  }

  @Test
  void anImageWhoseOwnerIsNotReportedIsNamedInANoteNeverGuessed() {
    List<ImageUse> uses = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      uses.add(use("ami-" + i, "gone-" + i, null, null));
    }
    uses.add(use("ami-8", "acme-1", VENDOR, null));
    uses.add(use("ami-9", "weird", "not-an-account", null));

    Proposal proposal = CriteriaProposal.propose(uses, OWN);

    assertThat(proposal.criteria()).isEqualTo(ImageCriteria.of(List.of(providers(VENDOR))));
    assertThat(proposal.notes())
        .containsExactly(
            "7 images (7 running instances) report no owner: cannot be fitted (never guessed):"
                + " ami-1, ami-2, ami-3, ami-4, ami-5 and 2 more",
            "1 image (1 running instance) reports an owner that is not an account ID: cannot be"
                + " fitted: ami-9");
  }

  @Test
  void anImageWithOnlyAnAliasIsFittedByTheAlias() {
    ImageUse aliasOnly = use("ami-1", "al2023-ami-2023.6", null, "amazon");

    Proposal proposal = CriteriaProposal.propose(List.of(aliasOnly), OWN);

    assertThat(judge(proposal, aliasOnly.image())).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void theSameImageFromInstancesAndLaunchTemplatesCountsOnceWithWhatIsKnownOfIt() {
    ImageUse fromInstance =
        new ImageUse(image("ami-1", "mp-1.0", "1", "aws-marketplace", null), 4, 0);
    ImageUse fromTemplate =
        new ImageUse(image("ami-1", "mp-1.0", "1", "aws-marketplace", Set.of("code1")), 0, 2);

    Proposal proposal = CriteriaProposal.propose(List.of(fromInstance, fromTemplate), OWN);

    assertThat(proposal.criteria().criteria())
        .singleElement()
        .satisfies(c -> assertThat(c.marketplaceProductCodes()).containsExactly("code1"));
  }

  @Test
  void noCriterionEverLimitsDates() {
    Proposal proposal = CriteriaProposal.propose(Fleets.random(new Random(7), 300, 40), OWN);

    assertThat(proposal.criteria().criteria())
        .allSatisfy(
            c -> {
              assertThat(c.maximumDaysSinceCreated()).isNull();
              assertThat(c.maximumDaysSinceDeprecated()).isNull();
              assertThat(c.imageWatermarks()).isEmpty();
            });
  }

  @Test
  void theProposalIsTheSameWhateverTheOrderOfTheImages() {
    List<ImageUse> fleet = Fleets.random(new Random(11), 400, 30);
    List<ImageUse> shuffled = new ArrayList<>(fleet);
    Collections.shuffle(shuffled, new Random(12));

    assertThat(CriteriaProposal.propose(shuffled, OWN))
        .isEqualTo(CriteriaProposal.propose(fleet, OWN));
  }

  // ---- Limits ----

  @Test
  void fiveHundredAccountsFillThreeCriteriaOf200() {
    List<ImageUse> uses = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      uses.add(use("ami-" + i, "x-" + i, String.format("%012d", 100_000_000_000L + i), null));
    }

    Proposal proposal = CriteriaProposal.propose(uses, OWN);

    assertThat(proposal.criteria().criteria())
        .extracting(c -> c.imageProviders().size())
        .containsExactlyInAnyOrder(200, 200, 100);
    uses.forEach(u -> assertThat(judge(proposal, u.image())).isEqualTo(Verdict.ALLOWED));
  }

  @Test
  void aThousandDistinctNamesAreWidenedIntoTenCriteriaAndAllStillAllowed() {
    List<ImageUse> uses = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      uses.add(use("ami-" + i, "family" + i + "-base-1.0", AMAZON_OWNER, "amazon"));
    }

    Proposal proposal = CriteriaProposal.propose(uses, OWN);

    assertThat(proposal.criteria().size()).isLessThanOrEqualTo(Limits.MAX_CRITERIA);
    assertThat(proposal.criteria().criteria())
        .allSatisfy(c -> assertThat(c.imageNames()).hasSizeLessThanOrEqualTo(Limits.MAX_VALUES));
    uses.forEach(u -> assertThat(judge(proposal, u.image())).isEqualTo(Verdict.ALLOWED));
    assertThat(proposal.notes())
        .singleElement()
        .asString()
        .startsWith("'amazon': names widened to ")
        .contains("AWS's limits");
    // still not the whole catalog
    assertThat(judge(proposal, image("ami-x", "ubuntu-1", CANONICAL, "amazon", null)))
        .isEqualTo(Verdict.NOT_ALLOWED);
  }

  @Test
  void accountsComeFirstAndCatalogsFallBackToTheProviderAloneWhenNothingElseFits() {
    List<ImageUse> uses = new ArrayList<>();
    for (int i = 0; i < 1_990; i++) {
      uses.add(use("ami-a" + i, "x", String.format("%012d", 100_000_000_000L + i), null));
    }
    for (int i = 0; i < 60; i++) {
      uses.add(use("ami-m" + i, "mp" + i + "-1", "1", "aws-marketplace", Set.of("code" + i)));
    }
    uses.add(use("ami-l", "al2023-ami-1", AMAZON_OWNER, "amazon"));

    Proposal proposal = CriteriaProposal.propose(uses, OWN);

    assertThat(proposal.criteria().size()).isEqualTo(Limits.MAX_CRITERIA);
    uses.forEach(u -> assertThat(judge(proposal, u.image())).isEqualTo(Verdict.ALLOWED));
    assertThat(String.join("\n", proposal.notes()))
        .contains("'aws-marketplace': 60 product codes do not fit AWS's limits")
        .contains("'aws-marketplace' alone allows every image of that catalog");
  }

  @Test
  void moreProvidersThanTenCriteriaCanListLeaveOnlyEveryName() {
    List<ImageUse> uses = new ArrayList<>();
    for (int i = 0; i < 2_001; i++) {
      uses.add(use("ami-" + i, "x-" + i, String.format("%012d", 100_000_000_000L + i), null));
    }

    Proposal proposal = CriteriaProposal.propose(uses, OWN);

    assertThat(proposal.criteria())
        .isEqualTo(
            ImageCriteria.of(
                List.of(new ImageCriterion(null, List.of("*"), null, null, null, null))));
    assertThat(proposal.notes()).singleElement().asString().startsWith("2001 providers are in use");
    uses.forEach(u -> assertThat(judge(proposal, u.image())).isEqualTo(Verdict.ALLOWED));
  }
}
