package io.allowedami.compliance;

import io.allowedami.api.v1alpha1.Limits;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Proposes criteria that allow every image a fleet uses, as tight as the data allows and within
 * AWS's limits, so that a user starts enforcement from what runs today instead of from a guess.
 *
 * <ul>
 *   <li>The account's own images are always allowed: they need nothing.
 *   <li>Providers first: an image of a specific account is allowed by that account ID (images AWS
 *       reports with the {@code aws-backup-vault} alias by that alias); all of them in one
 *       providers list, 200 a criterion.
 *   <li>{@code amazon} and {@code aws-marketplace} are whole catalogs, so they come with image
 *       names generalised from the names in use ({@link #namePattern}); Marketplace images whose
 *       product codes are known come with those codes instead. An image of such a catalog whose
 *       name is not reported leaves only the provider alone.
 *   <li>An image whose owner is not reported cannot be fitted: it is named in a note, never
 *       guessed.
 *   <li>Beyond AWS's limits (10 criteria, 200 providers, 50 names or codes a criterion) names are
 *       widened to shorter shared prefixes, then catalogs fall back to the provider alone; each
 *       step that gives tightness up is noted.
 *   <li>No creation-date or deprecation limit: a tight creation-date limit makes launches fail as
 *       images age (AWS's rollout guidance), and the data says nothing about what a fleet needs.
 * </ul>
 *
 * <p>The result is deterministic: the same images give the same criteria and notes, in order.
 */
public final class CriteriaProposal {

  /** The provider that stands for "only the account's own images". */
  static final String NO_PROVIDER = "none";

  static final String AMAZON = "amazon";
  static final String MARKETPLACE = "aws-marketplace";
  static final String BACKUP_VAULT = "aws-backup-vault";

  /** Image IDs a note names before "and N more". */
  static final int MAX_IDS_IN_NOTE = 5;

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern PRODUCT_CODE = Pattern.compile("[A-Za-z0-9]{1,25}");
  private static final String SEPARATORS = "-_./ ";
  private static final String NAME_SYMBOLS = " ()[]./-'@_";

  /**
   * One image in use, with how many running (or pending) instances and launch template versions use
   * it, so that notes can cite counts.
   */
  public record ImageUse(ImageFacts image, int instances, int launchTemplateVersions) {
    public ImageUse {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(image.imageId(), "image.imageId");
    }
  }

  /**
   * The criteria and what a user should know about them: images left out, tightness given up.
   * {@code criteria} is never empty: when no image needs a criterion, it is {@code none}.
   */
  public record Proposal(ImageCriteria criteria, List<String> notes) {
    public Proposal {
      notes = List.copyOf(notes);
    }
  }

  private CriteriaProposal() {}

  public static Proposal propose(Collection<ImageUse> uses, String ownAccountId) {
    Objects.requireNonNull(ownAccountId, "ownAccountId");
    return new Builder(merge(uses), ownAccountId).build();
  }

  /** The same image given twice (from instances and from launch templates) counts once. */
  private static List<ImageUse> merge(Collection<ImageUse> uses) {
    Map<String, ImageUse> byId = new TreeMap<>();
    for (ImageUse use : uses) {
      byId.merge(
          use.image().imageId(),
          use,
          (a, b) ->
              new ImageUse(
                  a.image().productCodes() != null ? a.image() : b.image(),
                  a.instances() + b.instances(),
                  a.launchTemplateVersions() + b.launchTemplateVersions()));
    }
    return List.copyOf(byId.values());
  }

  /**
   * The pattern that stands for a name and its siblings (the same image family, other versions):
   * the name cut before its first token, after the first, that starts with a digit, then {@code *}
   * ({@code al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64} gives {@code al2023-ami-*}); the exact
   * name when no token looks like a version. Characters AWS does not accept in a criterion become
   * {@code ?}, and the pattern is at most 128 characters. Empty when no valid pattern represents
   * the name (blank, or too short for a {@code ?}).
   */
  static Optional<String> namePattern(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    StringBuilder clean = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      clean.append(isNameChar(c) ? c : '?');
    }
    String text = clean.toString();
    int cut = versionStart(text);
    String pattern;
    if (cut > 0) {
      pattern = star(text.substring(0, cut));
    } else if (text.length() > Limits.MAX_IMAGE_NAME_LENGTH) {
      pattern = star(text);
    } else {
      pattern = text;
    }
    return valid(pattern) ? Optional.of(pattern) : Optional.empty();
  }

  /** Where the first token after the first that starts with a digit begins; -1 when none does. */
  private static int versionStart(String text) {
    boolean seenToken = false;
    for (int i = 0; i < text.length(); i++) {
      boolean tokenStart =
          !isSeparator(text.charAt(i)) && (i == 0 || isSeparator(text.charAt(i - 1)));
      if (tokenStart) {
        if (seenToken && Character.isDigit(text.charAt(i))) {
          return i;
        }
        seenToken = true;
      }
    }
    return -1;
  }

  /** {@code prefix*}, the prefix cut so that the pattern fits in 128 characters. */
  private static String star(String prefix) {
    int keep = Math.min(prefix.length(), Limits.MAX_IMAGE_NAME_LENGTH - 1);
    return prefix.substring(0, keep) + "*";
  }

  private static boolean isSeparator(char c) {
    return SEPARATORS.indexOf(c) >= 0;
  }

  /** What AWS accepts in a name besides the wildcards (which a name cannot mean literally). */
  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || NAME_SYMBOLS.indexOf(c) >= 0;
  }

  private static boolean valid(String pattern) {
    return !pattern.isEmpty()
        && !pattern.equals("*")
        && pattern.length() <= Limits.MAX_IMAGE_NAME_LENGTH
        && (pattern.indexOf('?') < 0
            || pattern.length() >= Limits.MIN_IMAGE_NAME_WITH_QUESTION_MARK);
  }

  /** A set of name patterns, each a literal body (with {@code ?}) and maybe a trailing star. */
  static final class Names {
    private Names() {}

    /** The patterns without duplicates and without those another pattern covers, sorted. */
    static List<String> withoutCovered(Collection<String> patterns) {
      Set<String> starBodies = new HashSet<>();
      for (String p : patterns) {
        if (p.endsWith("*")) {
          starBodies.add(p.substring(0, p.length() - 1));
        }
      }
      TreeSet<String> kept = new TreeSet<>();
      for (String p : patterns) {
        if (!coveredByAnother(p, starBodies)) {
          kept.add(p);
        }
      }
      return List.copyOf(kept);
    }

    private static boolean coveredByAnother(String pattern, Set<String> starBodies) {
      boolean isStar = pattern.endsWith("*");
      String body = isStar ? pattern.substring(0, pattern.length() - 1) : pattern;
      // A star pattern covers every pattern whose body starts with its body (not itself).
      int longest = isStar ? body.length() - 1 : body.length();
      for (int length = 1; length <= longest; length++) {
        if (starBodies.contains(body.substring(0, length))) {
          return true;
        }
      }
      return false;
    }

    /**
     * At most {@code target} patterns that together cover every given one: the two patterns with
     * the longest shared prefix are merged into {@code prefix*}, again and again, preferring a
     * prefix that ends at a separator (a whole token) to one that ends anywhere. Empty when even
     * one-character prefixes leave more than {@code target}.
     */
    static Optional<List<String>> widen(List<String> patterns, int target) {
      TreeSet<String> current = new TreeSet<>(withoutCovered(patterns));
      while (current.size() > target) {
        String prefix = longestSharedPrefix(current, true);
        if (prefix == null) {
          prefix = longestSharedPrefix(current, false);
        }
        if (prefix == null) {
          return Optional.empty();
        }
        String merged = prefix + "*";
        String from = prefix;
        current.removeIf(p -> body(p).startsWith(from));
        current.add(merged);
      }
      return Optional.of(List.copyOf(current));
    }

    private static String body(String pattern) {
      return pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /**
     * The longest prefix two patterns share (sorted, so that neighbours share the most), cut back
     * to a separator when {@code wholeTokens}; ties go to the first in order. Null when none gives
     * a valid pattern.
     */
    private static String longestSharedPrefix(TreeSet<String> patterns, boolean wholeTokens) {
      String best = null;
      String previous = null;
      for (String pattern : patterns) {
        String current = body(pattern);
        if (previous != null) {
          String shared = commonPrefix(previous, current);
          if (wholeTokens) {
            int end = shared.length();
            while (end > 0 && !isSeparator(shared.charAt(end - 1))) {
              end--;
            }
            shared = shared.substring(0, end);
          }
          if (!shared.isEmpty()
              && valid(shared + "*")
              && (best == null || shared.length() > best.length())) {
            best = shared;
          }
        }
        previous = current;
      }
      return best;
    }

    private static String commonPrefix(String a, String b) {
      int n = Math.min(a.length(), b.length());
      int i = 0;
      while (i < n && a.charAt(i) == b.charAt(i)) {
        i++;
      }
      return a.substring(0, i);
    }
  }

  /** The images of one catalog ({@code amazon} or {@code aws-marketplace}) and how to fit them. */
  private static final class Catalog {
    final String provider;
    final List<ImageUse> unnamed = new ArrayList<>();
    final Map<String, List<ImageUse>> byPattern = new TreeMap<>();
    final Map<String, List<ImageUse>> byProductCode = new TreeMap<>();
    List<String> names = List.of();
    boolean providerAlone;
    boolean widened;

    Catalog(String provider) {
      this.provider = provider;
    }

    int criteria() {
      return providerAlone ? 0 : chunks(names.size()) + chunks(byProductCode.size());
    }
  }

  private static int chunks(int values) {
    return (values + Limits.MAX_VALUES - 1) / Limits.MAX_VALUES;
  }

  /** One proposal in the making. */
  private static final class Builder {
    private final List<ImageUse> uses;
    private final String ownAccountId;
    private final List<String> notes = new ArrayList<>();
    private final TreeSet<String> providers = new TreeSet<>();
    private final Map<String, Catalog> catalogs = new LinkedHashMap<>();
    private boolean onlyNamesLeft;

    Builder(List<ImageUse> uses, String ownAccountId) {
      this.uses = uses;
      this.ownAccountId = ownAccountId;
      catalogs.put(AMAZON, new Catalog(AMAZON));
      catalogs.put(MARKETPLACE, new Catalog(MARKETPLACE));
    }

    Proposal build() {
      List<ImageUse> own = new ArrayList<>();
      List<ImageUse> ownerUnknown = new ArrayList<>();
      List<ImageUse> ownerInvalid = new ArrayList<>();
      for (ImageUse use : uses) {
        ImageFacts image = use.image();
        String alias = image.imageOwnerAlias();
        String owner = image.imageOwnerId();
        if (ownAccountId.equals(owner)) {
          own.add(use);
        } else if (AMAZON.equals(alias) || MARKETPLACE.equals(alias)) {
          addToCatalog(catalogs.get(alias), use);
        } else if (BACKUP_VAULT.equals(alias)) {
          providers.add(BACKUP_VAULT);
        } else if (owner == null) {
          ownerUnknown.add(use);
        } else if (ACCOUNT_ID.matcher(owner).matches()) {
          providers.add(owner);
        } else {
          ownerInvalid.add(use);
        }
      }
      if (!own.isEmpty()) {
        notes.add(
            describe(own)
                + " owned by the account itself ("
                + ownAccountId
                + "): always allowed, no criterion needed");
      }
      if (!ownerUnknown.isEmpty()) {
        notes.add(
            describe(ownerUnknown)
                + verb(ownerUnknown, " reports", " report")
                + " no owner: cannot be fitted (never guessed): "
                + ids(ownerUnknown));
      }
      if (!ownerInvalid.isEmpty()) {
        notes.add(
            describe(ownerInvalid)
                + verb(ownerInvalid, " reports", " report")
                + " an owner that is not an account ID: cannot be fitted: "
                + ids(ownerInvalid));
      }
      for (Catalog catalog : catalogs.values()) {
        settle(catalog);
      }
      fitLimits();
      for (Catalog catalog : catalogs.values()) {
        if (catalog.widened && !catalog.providerAlone && !onlyNamesLeft) {
          notes.add(
              "'"
                  + catalog.provider
                  + "': names widened to "
                  + catalog.names.size()
                  + " shorter shared prefixes to fit AWS's limits ("
                  + Limits.MAX_CRITERIA
                  + " criteria of "
                  + Limits.MAX_VALUES
                  + " names): they also allow other images whose names share them");
        }
      }
      return new Proposal(criteria(), notes);
    }

    private void addToCatalog(Catalog catalog, ImageUse use) {
      String code = productCode(use.image());
      if (catalog.provider.equals(MARKETPLACE) && code != null) {
        catalog.byProductCode.computeIfAbsent(code, c -> new ArrayList<>()).add(use);
        return;
      }
      namePattern(use.image().imageName())
          .ifPresentOrElse(
              pattern ->
                  catalog.byPattern.computeIfAbsent(pattern, p -> new ArrayList<>()).add(use),
              () -> catalog.unnamed.add(use));
    }

    /** The first valid product code, when the image's codes are known and one is valid. */
    private static String productCode(ImageFacts image) {
      if (image.productCodes() == null) {
        return null;
      }
      return image.productCodes().stream()
          .filter(code -> code != null && PRODUCT_CODE.matcher(code).matches())
          .sorted()
          .findFirst()
          .orElse(null);
    }

    private void settle(Catalog catalog) {
      if (!catalog.unnamed.isEmpty()) {
        catalog.providerAlone = true;
        notes.add(
            describe(catalog.unnamed)
                + " of '"
                + catalog.provider
                + "'"
                + verb(catalog.unnamed, " reports", " report")
                + " no usable name: only '"
                + catalog.provider
                + "' alone fits, and it allows every image of that catalog: "
                + ids(catalog.unnamed));
        return;
      }
      catalog.names = Names.withoutCovered(catalog.byPattern.keySet());
    }

    /**
     * Widens, step by step and always in the same order, until AWS's limits hold: the biggest user
     * of criteria gives one up first (names are widened; Marketplace product codes give way to
     * names, which can be widened), so that no catalog is crushed while another keeps many.
     */
    private void fitLimits() {
      while (criteriaCount() > Limits.MAX_CRITERIA) {
        Catalog widest = mostNameCriteria();
        Catalog marketplace = catalogs.get(MARKETPLACE);
        int codeCriteria = marketplace.providerAlone ? 0 : chunks(marketplace.byProductCode.size());
        boolean stepTaken;
        if (codeCriteria > 1 && (widest == null || codeCriteria > chunks(widest.names.size()))) {
          stepTaken = dropProductCodes();
        } else if (widest != null) {
          stepTaken = widenNames(widest);
        } else {
          stepTaken = fallBackToProviderAlone();
        }
        if (!stepTaken) {
          giveUp();
          return;
        }
      }
    }

    /** The catalog with the most names, when they take more than one criterion. */
    private Catalog mostNameCriteria() {
      return catalogs.values().stream()
          .filter(c -> !c.providerAlone && chunks(c.names.size()) > 1)
          .max(Comparator.comparingInt((Catalog c) -> c.names.size()))
          .orElse(null);
    }

    private int providerCriteria() {
      int count = providers.size();
      for (Catalog catalog : catalogs.values()) {
        if (catalog.providerAlone) {
          count++;
        }
      }
      return (count + Limits.MAX_PROVIDERS - 1) / Limits.MAX_PROVIDERS;
    }

    private int criteriaCount() {
      int count = providerCriteria();
      for (Catalog catalog : catalogs.values()) {
        count += catalog.criteria();
      }
      return count;
    }

    /** Takes one criterion's worth of names from the catalog with the most name criteria. */
    private boolean widenNames(Catalog widest) {
      int before = widest.names.size();
      int target = (chunks(before) - 1) * Limits.MAX_VALUES;
      List<String> widened = Names.widen(widest.names, target).orElse(null);
      if (widened == null) {
        widest.providerAlone = true;
        notes.add(
            "'"
                + widest.provider
                + "': "
                + before
                + " name patterns cannot be widened to fit AWS's limits: '"
                + widest.provider
                + "' alone allows every image of that catalog");
        return true;
      }
      widest.names = widened;
      widest.widened = true;
      return true;
    }

    /** Marketplace images known by more product codes than fit go back to their names. */
    private boolean dropProductCodes() {
      Catalog marketplace = catalogs.get(MARKETPLACE);
      int codes = marketplace.byProductCode.size();
      List<ImageUse> images =
          marketplace.byProductCode.values().stream().flatMap(List::stream).toList();
      marketplace.byProductCode.clear();
      for (ImageUse use : images) {
        namePattern(use.image().imageName())
            .ifPresentOrElse(
                p -> marketplace.byPattern.computeIfAbsent(p, x -> new ArrayList<>()).add(use),
                () -> marketplace.unnamed.add(use));
      }
      notes.add(
          "'"
              + MARKETPLACE
              + "': "
              + codes
              + " product codes do not fit AWS's limits: their images are fitted by name instead");
      settle(marketplace);
      return true;
    }

    /** A catalog that still has its own criteria gives them up for the provider alone. */
    private boolean fallBackToProviderAlone() {
      for (String provider : List.of(MARKETPLACE, AMAZON)) {
        Catalog catalog = catalogs.get(provider);
        if (!catalog.providerAlone && catalog.criteria() > 0) {
          catalog.providerAlone = true;
          notes.add(
              "'"
                  + provider
                  + "': its names and product codes do not fit AWS's limits beside the other"
                  + " providers: '"
                  + provider
                  + "' alone allows every image of that catalog");
          return true;
        }
      }
      return false;
    }

    /** More providers than 10 criteria of 200 can list: only a criterion on names is left. */
    private void giveUp() {
      int count =
          providers.size() + (int) catalogs.values().stream().filter(c -> c.providerAlone).count();
      providers.clear();
      catalogs.values().forEach(c -> c.providerAlone = false);
      catalogs.values().forEach(c -> c.names = List.of());
      catalogs.values().forEach(c -> c.byProductCode.clear());
      onlyNamesLeft = true;
      notes.add(
          count
              + " providers are in use, more than AWS's "
              + Limits.MAX_CRITERIA
              + " criteria of "
              + Limits.MAX_PROVIDERS
              + " can list: the only criterion that allows them all is image names '*', which"
              + " allows every image");
    }

    private ImageCriteria criteria() {
      List<ImageCriterion> criteria = new ArrayList<>();
      if (onlyNamesLeft) {
        criteria.add(new ImageCriterion(null, List.of("*"), null, null, null, null));
        return ImageCriteria.of(criteria);
      }
      List<String> allProviders = new ArrayList<>(providers);
      for (Catalog catalog : catalogs.values()) {
        if (catalog.providerAlone) {
          allProviders.add(catalog.provider);
        }
      }
      allProviders.sort(Comparator.naturalOrder());
      for (List<String> chunk : split(allProviders, Limits.MAX_PROVIDERS)) {
        criteria.add(ImageCriterion.ofProviders(chunk));
      }
      for (Catalog catalog : catalogs.values()) {
        if (catalog.providerAlone) {
          continue;
        }
        for (List<String> names : split(catalog.names, Limits.MAX_VALUES)) {
          criteria.add(
              new ImageCriterion(List.of(catalog.provider), names, null, null, null, null));
        }
        for (List<String> codes :
            split(List.copyOf(catalog.byProductCode.keySet()), Limits.MAX_VALUES)) {
          criteria.add(
              new ImageCriterion(List.of(catalog.provider), null, codes, null, null, null));
        }
      }
      if (criteria.isEmpty()) {
        criteria.add(ImageCriterion.ofProviders(List.of(NO_PROVIDER)));
        notes.add(
            "no image in use needs a criterion: '"
                + NO_PROVIDER
                + "' allows only the account's own images");
      }
      return ImageCriteria.of(criteria);
    }

    private static <T> List<List<T>> split(List<T> values, int size) {
      List<List<T>> chunks = new ArrayList<>();
      for (int from = 0; from < values.size(); from += size) {
        chunks.add(values.subList(from, Math.min(values.size(), from + size)));
      }
      return chunks;
    }
  }

  /** "3 images (5 running instances, 2 launch template versions)". */
  static String describe(List<ImageUse> uses) {
    int instances = uses.stream().mapToInt(ImageUse::instances).sum();
    int versions = uses.stream().mapToInt(ImageUse::launchTemplateVersions).sum();
    List<String> counts = new ArrayList<>(2);
    if (instances > 0) {
      counts.add(instances + (instances == 1 ? " running instance" : " running instances"));
    }
    if (versions > 0) {
      counts.add(
          versions + (versions == 1 ? " launch template version" : " launch template versions"));
    }
    return uses.size()
        + (uses.size() == 1 ? " image" : " images")
        + (counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")");
  }

  private static String verb(List<ImageUse> uses, String one, String many) {
    return uses.size() == 1 ? one : many;
  }

  /** The first image IDs in order, and how many more. */
  static String ids(List<ImageUse> uses) {
    List<String> ids = uses.stream().map(u -> u.image().imageId()).sorted().toList();
    String shown = String.join(", ", ids.subList(0, Math.min(ids.size(), MAX_IDS_IN_NOTE)));
    return ids.size() > MAX_IDS_IN_NOTE
        ? shown + " and " + (ids.size() - MAX_IDS_IN_NOTE) + " more"
        : shown;
  }
}
