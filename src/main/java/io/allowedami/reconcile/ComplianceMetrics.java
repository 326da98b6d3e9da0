package io.allowedami.reconcile;

import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.LaunchTemplateReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Prometheus figures of what the operator sees: instances by AWS's verdict per account and Region,
 * and reconcile durations. Labels are bounded (accounts x Regions x 3); never an instance or image.
 * The instance gauges follow the policies that exist: an (account, Region) pair keeps its gauges
 * while at least one policy reports it, and loses them when the last such policy is deleted or
 * drops the Region, so that an alert on them clears.
 */
public final class ComplianceMetrics {
  static final String INSTANCES = "allowedami.instances";
  static final String RECONCILE = "allowedami.reconcile.duration";
  static final String LAUNCH_TEMPLATE_VERSIONS = "allowedami.launch.template.versions";

  /**
   * Deleted policies remembered, so that a reconcile still running when its policy was deleted
   * cannot bring the gauges back. Kubernetes never reuses a UID; this bounds the memory.
   */
  static final int FORGOTTEN_POLICIES_REMEMBERED = 1024;

  private final MeterRegistry registry;
  private final Timer reconcileTimer;

  // Guarded by this: which series each policy reports, and the gauges of each series.
  private final Map<String, Set<Series>> seriesByPolicy = new HashMap<>();
  private final Map<Series, SeriesGauges> gauges = new HashMap<>();
  private final Set<String> forgottenPolicies =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > FORGOTTEN_POLICIES_REMEMBERED;
            }
          });

  public ComplianceMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.reconcileTimer =
        Timer.builder(RECONCILE)
            .description("Time to reconcile one AllowedAmiPolicy, all Regions included")
            // A few buckets, so that dashboards can chart percentiles (a handful of series).
            .serviceLevelObjectives(
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2))
            .register(registry);
  }

  /**
   * Sets the gauges of one policy's Regions and makes them the policy's whole set: a Region the
   * policy reported before and not now loses its gauges unless another policy still reports it.
   * Pass a report for every Region the policy governs whose gauges should stay.
   */
  public synchronized void recordPolicy(
      String policyUid, String accountId, List<ComplianceReport> reports) {
    recordPolicy(policyUid, accountId, List.of(), reports);
  }

  /**
   * As {@link #recordPolicy(String, String, List)}, and a Region of {@code governedRegions} that
   * has no report this time (its instances could not be read) keeps its last figures, so that a
   * passing error does not clear and re-fire an alert.
   */
  public synchronized void recordPolicy(
      String policyUid,
      String accountId,
      Collection<String> governedRegions,
      List<ComplianceReport> reports) {
    recordPolicy(policyUid, accountId, governedRegions, reports, Map.of());
  }

  /**
   * As {@link #recordPolicy(String, String, Collection, List)}, with the launch template verdicts
   * of the Regions whose templates were judged this time (a Region without one keeps its last).
   */
  public synchronized void recordPolicy(
      String policyUid,
      String accountId,
      Collection<String> governedRegions,
      List<ComplianceReport> reports,
      Map<String, LaunchTemplateReport> launchTemplates) {
    Objects.requireNonNull(policyUid, "policyUid");
    Objects.requireNonNull(accountId, "accountId");
    if (forgottenPolicies.contains(policyUid)) {
      return; // deleted while this reconcile ran
    }
    Set<Series> current = new HashSet<>();
    for (ComplianceReport report : reports) {
      Series series = new Series(accountId, report.region());
      gauges.computeIfAbsent(series, this::register).set(report.reported());
      current.add(series);
    }
    Set<Series> before = seriesByPolicy.getOrDefault(policyUid, Set.of());
    for (String region : governedRegions) {
      Series kept = new Series(accountId, region);
      if (before.contains(kept)) {
        current.add(kept);
      }
    }
    for (Series series : current) {
      LaunchTemplateReport templates = launchTemplates.get(series.region());
      SeriesGauges seriesGauges = gauges.get(series);
      if (templates != null && seriesGauges != null) {
        seriesGauges.templates(() -> registerTemplates(series)).set(templates);
      }
    }
    Set<Series> dropped = new HashSet<>(before);
    dropped.removeAll(current);
    seriesByPolicy.put(policyUid, current);
    removeUnclaimed(dropped);
  }

  /**
   * Drops a policy's claim on its gauges while it exists but governs nothing (its spec is invalid);
   * unlike {@link #forgetPolicy} it may report again.
   */
  public synchronized void releasePolicy(String policyUid) {
    Set<Series> before = seriesByPolicy.remove(policyUid);
    if (before != null) {
      removeUnclaimed(before);
    }
  }

  /** Drops a deleted policy's claim on its gauges; gauges no other policy reports are removed. */
  public synchronized void forgetPolicy(String policyUid) {
    forgottenPolicies.add(policyUid);
    Set<Series> before = seriesByPolicy.remove(policyUid);
    if (before != null) {
      removeUnclaimed(before);
    }
  }

  void recordReconcile(Duration duration) {
    reconcileTimer.record(duration);
  }

  private void removeUnclaimed(Collection<Series> candidates) {
    for (Series series : candidates) {
      boolean claimed = seriesByPolicy.values().stream().anyMatch(s -> s.contains(series));
      if (!claimed) {
        SeriesGauges removed = gauges.remove(series);
        if (removed != null) {
          removed.removeFrom(registry);
        }
      }
    }
  }

  private SeriesGauges register(Series series) {
    return new SeriesGauges(
        register(series, "allowed"), register(series, "not_allowed"), register(series, "unknown"));
  }

  private TemplateGauges registerTemplates(Series series) {
    return new TemplateGauges(
        registerTemplates(series, "allowed"),
        registerTemplates(series, "would_fail"),
        registerTemplates(series, "unknown"));
  }

  private Holder registerTemplates(Series series, String verdict) {
    AtomicInteger value = new AtomicInteger();
    Gauge gauge =
        Gauge.builder(LAUNCH_TEMPLATE_VERSIONS, value, AtomicInteger::get)
            .description(
                "Launch template versions (default and latest) by what a launch from them would"
                    + " meet under the desired criteria")
            .tag("account", series.account())
            .tag("region", series.region())
            .tag("verdict", verdict)
            .register(registry);
    return new Holder(value, gauge);
  }

  private Holder register(Series series, String compliance) {
    AtomicInteger value = new AtomicInteger();
    Gauge gauge =
        Gauge.builder(INSTANCES, value, AtomicInteger::get)
            .description("Instances by AWS's ImageAllowed verdict for their image")
            .tag("account", series.account())
            .tag("region", series.region())
            .tag("compliance", compliance)
            .register(registry);
    return new Holder(value, gauge);
  }

  /** One account and Region: the labels shared by its three gauges. */
  private record Series(String account, String region) {}

  /** A gauge and the value it reads (held here, since Micrometer only keeps a weak reference). */
  private record Holder(AtomicInteger value, Gauge gauge) {}

  /**
   * The three instance gauges of one series, one per verdict, and its launch template gauges once
   * its templates were judged.
   */
  private static final class SeriesGauges {
    private final Holder allowed;
    private final Holder notAllowed;
    private final Holder unknown;
    private TemplateGauges templates;

    SeriesGauges(Holder allowed, Holder notAllowed, Holder unknown) {
      this.allowed = allowed;
      this.notAllowed = notAllowed;
      this.unknown = unknown;
    }

    void set(ComplianceReport.VerdictCounts counts) {
      allowed.value().set(counts.allowed());
      notAllowed.value().set(counts.notAllowed());
      unknown.value().set(counts.unknown());
    }

    TemplateGauges templates(Supplier<TemplateGauges> register) {
      if (templates == null) {
        templates = register.get();
      }
      return templates;
    }

    void removeFrom(MeterRegistry registry) {
      registry.remove(allowed.gauge());
      registry.remove(notAllowed.gauge());
      registry.remove(unknown.gauge());
      if (templates != null) {
        registry.remove(templates.allowed().gauge());
        registry.remove(templates.wouldFail().gauge());
        registry.remove(templates.unknown().gauge());
      }
    }
  }

  /** The launch template gauges of one series. */
  private record TemplateGauges(Holder allowed, Holder wouldFail, Holder unknown) {
    void set(LaunchTemplateReport report) {
      allowed.value().set(report.allowed());
      wouldFail.value().set(report.wouldFail());
      unknown.value().set(report.unknown());
    }
  }
}
