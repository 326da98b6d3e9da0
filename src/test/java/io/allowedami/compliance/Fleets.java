package io.allowedami.compliance;

import io.allowedami.compliance.CriteriaProposal.ImageUse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random fleets for property tests of {@link CriteriaProposal}: images of every kind the proposal
 * meets (own, other accounts, Amazon and Marketplace families with versions, names AWS would not
 * take in a criterion, no name, no owner), and outsiders that a tight proposal must not allow.
 * Fleet names never start with 'z'; outsiders' names and codes always do.
 */
final class Fleets {
  static final String OWN = CriteriaProposalTest.OWN;
  static final String AMAZON_OWNER = CriteriaProposalTest.AMAZON_OWNER;
  static final String MARKETPLACE_OWNER = "679593333241";
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxy";
  private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

  private Fleets() {}

  /** {@code images} distinct images from {@code families} name families and as many accounts. */
  static List<ImageUse> random(Random r, int images, int families) {
    return random(r, images, families, Math.max(1, families / 2), true);
  }

  /**
   * With {@code unnamed}, a few catalog images report no name (so the catalog is allowed whole).
   */
  static List<ImageUse> random(Random r, int images, int families, int accounts, boolean unnamed) {
    List<String> familyNames = new ArrayList<>();
    for (int i = 0; i < families; i++) {
      familyNames.add(word(r) + i);
    }
    List<ImageUse> uses = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      String id = String.format("ami-%017x", (long) i);
      String family = familyNames.get(r.nextInt(familyNames.size()));
      int kind = r.nextInt(100);
      ImageFacts image;
      if (kind < 8) {
        image = image(id, family + "-golden-" + version(r), OWN, null, null);
      } else if (kind < 28) {
        String account = String.format("%012d", 200_000_000_000L + r.nextInt(accounts));
        image =
            image(id, family + "-" + version(r), account, r.nextInt(10) == 0 ? "x" : null, null);
      } else if (kind < 63) {
        image = image(id, amazonName(r, family), AMAZON_OWNER, "amazon", null);
      } else if (kind < 83) {
        Set<String> codes = r.nextBoolean() ? Set.of("p" + family) : null;
        image =
            image(
                id,
                family + " appliance " + version(r),
                MARKETPLACE_OWNER,
                "aws-marketplace",
                codes);
      } else if (kind < 90) {
        image = image(id, junkName(r, family), AMAZON_OWNER, "amazon", null);
      } else if (kind < 93) {
        image =
            image(id, family + "-restored-" + version(r), "300000000000", "aws-backup-vault", null);
      } else if (kind < 95 && unnamed) {
        image = image(id, null, AMAZON_OWNER, r.nextBoolean() ? "amazon" : "aws-marketplace", null);
      } else if (kind < 98) {
        image = image(id, family + "-" + version(r), null, null, null);
      } else {
        image = image(id, family + "-" + version(r), "12345", null, null);
      }
      uses.add(new ImageUse(image, r.nextInt(5), r.nextInt(3)));
    }
    return uses;
  }

  /** Images no fleet uses: other catalogs' families, other accounts, other products. */
  static List<ImageFacts> outsiders(Random r, int count) {
    List<ImageFacts> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = String.format("ami-f%016x", (long) i);
      String family = "z" + word(r);
      images.add(
          switch (i % 3) {
            case 0 -> image(id, amazonName(r, family), AMAZON_OWNER, "amazon", null);
            case 1 ->
                image(
                    id,
                    family + " appliance " + version(r),
                    MARKETPLACE_OWNER,
                    "aws-marketplace",
                    Set.of("z" + i));
            default -> image(id, family + "-" + version(r), "999900000000", null, null);
          });
    }
    return images;
  }

  private static String amazonName(Random r, String family) {
    return switch (r.nextInt(3)) {
      case 0 -> family + "-ami-" + version(r) + "-kernel-6.1-x86_64";
      case 1 -> "ubuntu/images/hvm-ssd-gp3/" + family + "-" + version(r) + "-amd64-server";
      default -> family + "_Server-" + version(r) + "-English-Full-Base";
    };
  }

  /** Names AWS would not take in a criterion as they are: odd characters, too long. */
  private static String junkName(Random r, String family) {
    return switch (r.nextInt(4)) {
      case 0 -> family + "-ümlaut+plus-" + version(r);
      case 1 -> family + "-" + "k".repeat(130 + r.nextInt(40)) + "-" + version(r);
      case 2 -> family + "*star?" + version(r);
      default -> family + "\t\"quoted\"\\" + version(r);
    };
  }

  private static String version(Random r) {
    return (2020 + r.nextInt(6)) + "." + r.nextInt(13) + "." + r.nextInt(100);
  }

  private static String word(Random r) {
    StringBuilder word = new StringBuilder();
    int length = 3 + r.nextInt(6);
    for (int i = 0; i < length; i++) {
      word.append(LETTERS.charAt(r.nextInt(LETTERS.length())));
    }
    return word.toString();
  }

  static DescribedImage image(
      String id, String name, String owner, String alias, Set<String> codes) {
    return new DescribedImage(
        id, name, owner, alias, CREATED, null, "available", Verdict.UNKNOWN, codes, null);
  }
}
