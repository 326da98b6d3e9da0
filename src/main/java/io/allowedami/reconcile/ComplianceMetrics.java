package io.allowedami.reconcile;

import io.allowedami.compliance.ComplianceReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus figures of what the operator sees: instances by AWS's verdict per account and Region,
 * and reconcile durations. Labels are bounded (accounts x Regions x 3); never an instance or image.
 */
public final class ComplianceMetrics {
  static final String INSTANCES = "allowedami.instances";
  static final String RECONCILE = "allowedami.reconcile.duration";

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
  private final Timer reconcileTimer;

  public ComplianceMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.reconcileTimer =
        Timer.builder(RECONCILE)
            .description("Time to reconcile one AllowedAmiPolicy, all Regions included")
            .register(registry);
  }

  void record(String accountId, ComplianceReport report) {
    set(accountId, report.region(), "allowed", report.reported().allowed());
    set(accountId, report.region(), "not_allowed", report.reported().notAllowed());
    set(accountId, report.region(), "unknown", report.reported().unknown());
  }

  /** The compliance of every Region a policy governs now (placeholder until hygiene lands). */
  void recordPolicy(String policyUid, String accountId, java.util.List<ComplianceReport> reports) {
    reports.forEach(report -> record(accountId, report));
  }

  /** Forgets a policy's gauges (placeholder until hygiene lands). */
  void forgetPolicy(String policyUid) {}

  void recordReconcile(Duration duration) {
    reconcileTimer.record(duration);
  }

  private void set(String account, String region, String compliance, int value) {
    gauges
        .computeIfAbsent(
            account + '/' + region + '/' + compliance,
            key -> {
              AtomicInteger holder = new AtomicInteger();
              Gauge.builder(INSTANCES, holder, AtomicInteger::get)
                  .description("Instances by AWS's ImageAllowed verdict for their image")
                  .tag("account", account)
                  .tag("region", region)
                  .tag("compliance", compliance)
                  .register(registry);
              return holder;
            })
        .set(value);
  }
}
