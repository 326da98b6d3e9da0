package io.allowedami.plan;

import io.allowedami.plan.PlanReport.ActionReport;
import io.allowedami.plan.PlanReport.GateReport;
import io.allowedami.plan.PlanReport.ImageReport;
import io.allowedami.plan.PlanReport.ImpactReport;
import io.allowedami.plan.PlanReport.LaunchTemplatesReport;
import io.allowedami.plan.PlanReport.PolicyReport;
import io.allowedami.plan.PlanReport.ProposalReport;
import io.allowedami.plan.PlanReport.RegionReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plan as a reviewer reads it in a CI log: one block per policy, one line per Region with what
 * would change under it, the gate and the impact, then a summary and the exit code.
 */
public final class PlanText {
  private PlanText() {}

  public static void write(PlanReport report, PrintWriter out) {
    for (PolicyReport policy : report.policies()) {
      policy(policy, out);
    }
    if (report.policies().isEmpty()) {
      out.println("no AllowedAmiPolicy found in the files given");
    }
    out.println();
    out.println(summary(report));
    out.println(
        "Result: "
            + switch (report.exitCode()) {
              case PlanReport.NO_CHANGES -> "no changes";
              case PlanReport.CHANGES_PENDING -> "changes pending";
              default -> "error";
            }
            + " (exit "
            + report.exitCode()
            + ")");
    out.flush();
  }

  private static void policy(PolicyReport policy, PrintWriter out) {
    String header =
        "policy " + (policy.name() == null ? "?" : policy.name()) + " (" + policy.source() + ")";
    if (!policy.problems().isEmpty()) {
      out.println(header + ": invalid, nothing planned");
      policy.problems().forEach(problem -> out.println("  - " + problem));
      return;
    }
    out.println(
        header
            + ": account "
            + (policy.accountId() == null ? "unknown" : policy.accountId())
            + (policy.assumeRole() == null ? "" : " via " + policy.assumeRole()));
    policy.regions().forEach(region -> region(region, out));
    if (policy.proposal() != null) {
      proposal(policy.proposal(), out);
    }
  }

  /** The proposal as YAML to paste under {@code spec:}, its notes as comments. */
  private static void proposal(ProposalReport proposal, PrintWriter out) {
    out.println(
        "  proposed criteria: allow the "
            + count(proposal.images(), "image", "images")
            + " in use by "
            + count(proposal.runningInstances(), "running instance", "running instances")
            + " and "
            + count(
                proposal.launchTemplateVersions(),
                "launch template version",
                "launch template versions")
            + "; paste under spec: in place of providers or imageCriteria");
    ProposedCriteria.yaml(proposal.proposedCriteria(), proposal.notes())
        .forEach(line -> out.println("    " + line));
  }

  private static String count(int count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  private static void region(RegionReport region, PrintWriter out) {
    String states =
        region.state() == null
            ? ""
            : region.state().equals(region.desiredState())
                ? region.state() + ": "
                : region.state() + " -> " + region.desiredState() + ": ";
    out.println("  " + region.region() + ": " + states + headline(region));
    for (ActionReport action : region.actions()) {
      out.println("    " + action.description());
    }
    if (region.gate() != null) {
      out.println("    " + gate(region.gate()));
    }
    if (region.error() != null) {
      out.println(
          "    error "
              + region.error().code()
              + " ("
              + region.error().kind()
              + "): "
              + region.error().message());
    }
    if (region.impact() != null) {
      impact(region.impact(), out);
    }
    if (region.launchTemplates() != null) {
      launchTemplates(region.launchTemplates(), out);
    }
  }

  private static void launchTemplates(LaunchTemplatesReport templates, PrintWriter out) {
    if (templates.error() != null) {
      out.println(
          "    launch templates could not be read: "
              + templates.error().code()
              + ": "
              + templates.error().message());
      return;
    }
    if (templates.versions() != null && templates.versions() == 0) {
      out.println("    launch templates: none");
      return;
    }
    out.println(
        "    launch templates: "
            + templates.versions()
            + " default and latest versions of "
            + templates.templates()
            + " templates; "
            + templates.wouldFail()
            + " would fail to launch, "
            + templates.unknown()
            + " cannot be judged"
            + (templates.partial() ? " (partial: more versions than one scan reads)" : ""));
    for (PlanReport.LaunchTemplateReport t : templates.failing()) {
      out.println(
          "      "
              + t.id()
              + (t.name() == null ? "" : " '" + t.name() + "'")
              + " v"
              + t.version()
              + (t.defaultVersion() ? " (default)" : "")
              + " "
              + t.image()
              + ": "
              + t.verdict());
      if (t.reason() != null) {
        out.println("        why: " + t.reason());
      }
    }
    if (templates.omitted() > 0) {
      out.println("      and " + templates.omitted() + " more versions");
    }
  }

  private static String headline(RegionReport region) {
    int changes = region.actions().size();
    return switch (region.outcome()) {
      case RegionReport.IN_SYNC -> "no change";
      case RegionReport.APPLY -> changes + (changes == 1 ? " change" : " changes");
      case RegionReport.HELD ->
          "switch to enabled held by the safe-rollout gate"
              + (changes == 0 ? "" : "; " + changes + (changes == 1 ? " change" : " changes"));
      case RegionReport.BLOCKED ->
          "blocked: an Organizations declarative policy enforces these settings";
      default -> "settings could not be read";
    };
  }

  private static String gate(GateReport gate) {
    List<String> limits = new ArrayList<>();
    if (gate.maxBlockedInstances() != null) {
      limits.add("maxBlockedInstances " + gate.maxBlockedInstances());
    }
    if (gate.maxBlockedLaunchTemplates() != null) {
      limits.add("maxBlockedLaunchTemplates " + gate.maxBlockedLaunchTemplates());
    }
    String prefix = "safe-rollout gate (" + String.join(", ", limits) + "): ";
    return prefix + (gate.held() ? "HOLDS: " : "") + gate.message();
  }

  private static void impact(ImpactReport impact, PrintWriter out) {
    if (impact.runningNotAllowed() == 0 && impact.runningUnknown() == 0) {
      out.println(
          "    impact: no running instance uses an image the desired criteria would not allow");
    } else {
      out.println(
          "    impact: "
              + instances(impact.runningNotAllowed())
              + " on images the desired criteria would not allow, "
              + impact.runningUnknown()
              + " on images that cannot be judged from the instance metadata");
    }
    for (ImageReport image : impact.images()) {
      out.println(
          "      "
              + image.id()
              + (image.name() == null ? "" : " '" + image.name() + "'")
              + (image.ownerId() == null ? "" : " owner " + image.ownerId())
              + (image.ownerAlias() == null ? "" : " (" + image.ownerAlias() + ")")
              + ": "
              + (image.verdict().equals(RegionPreview.NOT_ALLOWED) ? "not allowed" : "unknown")
              + ", "
              + image.running()
              + " running of "
              + image.instances());
      if (image.reason() != null) {
        out.println("        why: " + image.reason());
      }
    }
    if (impact.omittedImages() > 0) {
      out.println("      and " + impact.omittedImages() + " more images");
    }
  }

  private static String instances(int count) {
    return count + (count == 1 ? " running instance" : " running instances");
  }

  static String summary(PlanReport report) {
    Map<String, Integer> byOutcome = new TreeMap<>();
    int regions = 0;
    int errors = 0;
    for (PolicyReport policy : report.policies()) {
      if (!policy.problems().isEmpty()) {
        errors++;
      }
      for (RegionReport region : policy.regions()) {
        regions++;
        byOutcome.merge(region.outcome(), 1, Integer::sum);
        if (region.error() != null) {
          errors++;
        }
      }
    }
    List<String> parts =
        List.of(
            count(byOutcome, RegionReport.APPLY, "to change"),
            count(byOutcome, RegionReport.HELD, "held by the safe-rollout gate"),
            count(byOutcome, RegionReport.IN_SYNC, "in sync"),
            count(byOutcome, RegionReport.BLOCKED, "blocked"),
            count(byOutcome, RegionReport.UNKNOWN, "unread"));
    return "Plan: "
        + report.policies().size()
        + (report.policies().size() == 1 ? " policy, " : " policies, ")
        + regions
        + (regions == 1 ? " Region: " : " Regions: ")
        + String.join(", ", parts.stream().filter(p -> !p.isEmpty()).toList())
        + (regions == 0 ? "none planned" : "")
        + "; "
        + errors
        + (errors == 1 ? " error" : " errors");
  }

  private static String count(Map<String, Integer> byOutcome, String outcome, String label) {
    Integer count = byOutcome.get(outcome);
    return count == null ? "" : count + " " + label;
  }
}
