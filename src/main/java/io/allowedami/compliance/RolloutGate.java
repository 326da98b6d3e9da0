package io.allowedami.compliance;

import io.allowedami.compliance.ComplianceReport.ImageCount;
import io.allowedami.compliance.ComplianceReport.Preview;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides whether a Region may switch to {@code enabled} under a policy's {@code
 * rollout.maxBlockedInstances}. Conservative: a running instance whose image the preview cannot
 * judge counts as blocked, because a safe-rollout gate must not release on a guess.
 */
public final class RolloutGate {

  /** How many images the message names; the preview in status lists more. */
  private static final int IMAGES_NAMED = 3;

  private RolloutGate() {}

  /**
   * @param maxBlockedInstances null when the policy sets no gate
   */
  public static GateDecision decide(Integer maxBlockedInstances, Preview preview) {
    if (maxBlockedInstances == null) {
      return new GateDecision(false, "no safe-rollout limit is set");
    }
    int atRisk = preview.runningNotAllowed() + preview.runningUnknown();
    if (atRisk <= maxBlockedInstances) {
      return new GateDecision(
          false,
          atRisk
              + " running instances use images that would not be allowed or cannot"
              + " be judged; the limit is "
              + maxBlockedInstances);
    }
    return new GateDecision(
        true,
        "switch to enabled held: "
            + atRisk
            + " running instances use images that would"
            + " not be allowed ("
            + preview.runningNotAllowed()
            + ") or cannot be judged from the instance metadata ("
            + preview.runningUnknown()
            + "); the limit is "
            + maxBlockedInstances
            + namedImages(preview));
  }

  /**
   * The gate for a Region whose instances may not have been read: with a limit set and no preview,
   * it holds, naming why the instances could not be read, because a gate must not release on a
   * guess.
   */
  public static GateDecision decide(
      Integer maxBlockedInstances, Optional<Preview> preview, String whyUnread) {
    if (maxBlockedInstances == null) {
      return decide(null, (Preview) null);
    }
    return preview
        .map(p -> decide(maxBlockedInstances, p))
        .orElseGet(
            () ->
                new GateDecision(
                    true,
                    "switch to enabled held: the running instances could not be read ("
                        + whyUnread
                        + ")"));
  }

  /**
   * The gate on launch templates: with a limit set, it holds while more versions would fail or
   * cannot be judged than the limit allows, and while the templates could not be read.
   */
  public static GateDecision decideLaunchTemplates(
      Integer maxBlocked, Optional<LaunchTemplateReport> report, String whyUnread) {
    if (maxBlocked == null) {
      return new GateDecision(false, "no launch template limit is set");
    }
    if (report.isEmpty()) {
      return new GateDecision(
          true,
          "switch to enabled held: the launch templates could not be read (" + whyUnread + ")");
    }
    LaunchTemplateReport templates = report.get();
    int atRisk = templates.wouldFail() + templates.unknown();
    if (templates.truncated()) {
      return new GateDecision(
          true,
          "switch to enabled held: the Region has more launch template versions than one scan"
              + " reads, so the limit cannot be checked");
    }
    if (atRisk <= maxBlocked) {
      return new GateDecision(
          false,
          atRisk
              + " launch template versions would fail or cannot be judged; the limit is "
              + maxBlocked);
    }
    String named =
        templates.entries().stream()
            .limit(IMAGES_NAMED)
            .map(e -> e.templateId() + " v" + e.version() + " (" + e.image() + ")")
            .collect(Collectors.joining(", "));
    return new GateDecision(
        true,
        "switch to enabled held: "
            + atRisk
            + " launch template versions would fail to launch ("
            + templates.wouldFail()
            + ") or cannot be judged ("
            + templates.unknown()
            + "); the limit is "
            + maxBlocked
            + (named.isEmpty() ? "" : "; for example " + named));
  }

  /** Both gates: held when either holds, saying every reason that holds. */
  public static GateDecision both(GateDecision instances, GateDecision launchTemplates) {
    if (instances.held() && launchTemplates.held()) {
      return new GateDecision(
          true,
          instances.message()
              + "; and "
              + launchTemplates.message().replaceFirst("^switch to enabled held: ", ""));
    }
    return instances.held() || !launchTemplates.held() ? instances : launchTemplates;
  }

  private static String namedImages(Preview preview) {
    List<String> named =
        Stream.concat(
                preview.notAllowedImages().images().stream()
                    .map(image -> describe(image, "not allowed")),
                preview.unknownImages().images().stream().map(image -> describe(image, "unknown")))
            .filter(described -> described.image().running() > 0)
            .sorted(
                Comparator.comparingInt((Described d) -> -d.image().running())
                    .thenComparing(d -> d.image().id()))
            .limit(IMAGES_NAMED)
            .map(Described::text)
            .toList();
    return named.isEmpty() ? "" : "; images: " + String.join(", ", named);
  }

  private static Described describe(ImageCount image, String verdict) {
    String name = image.name() == null ? "" : " '" + image.name() + "'";
    return new Described(
        image, image.id() + name + " x" + image.running() + " running (" + verdict + ")");
  }

  private record Described(ImageCount image, String text) {}
}
