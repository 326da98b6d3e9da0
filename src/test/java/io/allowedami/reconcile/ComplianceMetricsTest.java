package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.ComplianceReport.ImageList;
import io.allowedami.compliance.ComplianceReport.InstanceSample;
import io.allowedami.compliance.ComplianceReport.VerdictCounts;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.RolloutCautions;
import io.allowedami.domain.ImageCriteria;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The instance gauges follow the policies that exist and the Regions they govern. */
class ComplianceMetricsTest {
  private static final String ACCOUNT = "111122223333";
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ComplianceMetrics metrics = new ComplianceMetrics(registry);

  private static ComplianceReport report(String region, int allowed, int notAllowed, int unknown) {
    return new ComplianceReport(
        region,
        allowed + notAllowed + unknown,
        new VerdictCounts(allowed, notAllowed, unknown),
        new TreeMap<>(),
        new ImageList(List.of(), 0),
        new InstanceSample(List.of(), 0),
        null,
        new RolloutCautions(ImageCriteria.NONE, ACCOUNT, Instant.EPOCH));
  }

  /** "account/region/compliance" of every instance gauge in the registry, with its value. */
  private Map<String, Double> gauges() {
    return registry.find(ComplianceMetrics.INSTANCES).gauges().stream()
        .collect(
            Collectors.toMap(
                g ->
                    g.getId().getTag("account")
                        + "/"
                        + g.getId().getTag("region")
                        + "/"
                        + g.getId().getTag("compliance"),
                Gauge::value));
  }

  @Test
  void recordingAPolicyExportsThreeGaugesPerRegion() {
    metrics.recordPolicy(
        "uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1), report("eu-west-1", 3, 0, 0)));

    assertThat(gauges())
        .containsOnly(
            Map.entry(ACCOUNT + "/us-east-1/allowed", 5.0),
            Map.entry(ACCOUNT + "/us-east-1/not_allowed", 2.0),
            Map.entry(ACCOUNT + "/us-east-1/unknown", 1.0),
            Map.entry(ACCOUNT + "/eu-west-1/allowed", 3.0),
            Map.entry(ACCOUNT + "/eu-west-1/not_allowed", 0.0),
            Map.entry(ACCOUNT + "/eu-west-1/unknown", 0.0));
  }

  @Test
  void whenAPolicyDropsARegion_thenThatRegionsGaugesAreRemovedAndTheOthersUpdated() {
    metrics.recordPolicy(
        "uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1), report("eu-west-1", 3, 4, 0)));

    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 7, 0, 0)));

    assertThat(gauges())
        .containsOnly(
            Map.entry(ACCOUNT + "/us-east-1/allowed", 7.0),
            Map.entry(ACCOUNT + "/us-east-1/not_allowed", 0.0),
            Map.entry(ACCOUNT + "/us-east-1/unknown", 0.0));
  }

  @Test
  void whenAPolicyIsForgotten_thenItsGaugesLeaveTheRegistry() {
    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1)));

    metrics.forgetPolicy("uid-a");

    assertThat(gauges()).isEmpty();
    assertThat(registry.find(ComplianceMetrics.RECONCILE).timer())
        .as("the reconcile timer is not per policy")
        .isNotNull();
  }

  @Test
  void aRegionReportedByTwoPoliciesKeepsItsGaugesUntilTheLastOneLetsGo() {
    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1)));
    metrics.recordPolicy(
        "uid-b", ACCOUNT, List.of(report("us-east-1", 5, 2, 1), report("eu-west-1", 1, 1, 1)));

    metrics.forgetPolicy("uid-b");
    assertThat(gauges())
        .containsOnlyKeys(
            ACCOUNT + "/us-east-1/allowed",
            ACCOUNT + "/us-east-1/not_allowed",
            ACCOUNT + "/us-east-1/unknown");

    metrics.recordPolicy("uid-a", ACCOUNT, List.of());
    assertThat(gauges()).isEmpty();
  }

  @Test
  void aReconcileThatFinishesAfterItsPolicyWasDeletedDoesNotBringTheGaugesBack() {
    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1)));
    metrics.forgetPolicy("uid-a");

    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1)));

    assertThat(gauges()).isEmpty();
  }

  @Test
  void aRemovedGaugeComesBackWhenAPolicyReportsTheRegionAgain() {
    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1)));
    metrics.recordPolicy("uid-a", ACCOUNT, List.of());

    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 4, 3, 0)));

    assertThat(gauges()).containsEntry(ACCOUNT + "/us-east-1/not_allowed", 3.0).hasSize(3);
  }

  @Test
  void aGovernedRegionWhoseInstancesCouldNotBeReadKeepsItsLastFigures() {
    metrics.recordPolicy(
        "uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1), report("eu-west-1", 3, 0, 0)));

    metrics.recordPolicy(
        "uid-a", ACCOUNT, List.of("us-east-1", "eu-west-1"), List.of(report("eu-west-1", 4, 0, 0)));

    assertThat(gauges())
        .contains(
            Map.entry(ACCOUNT + "/us-east-1/not_allowed", 2.0),
            Map.entry(ACCOUNT + "/eu-west-1/allowed", 4.0));
  }

  @Test
  void aPolicyReleasedWhileItsSpecIsInvalidLosesItsGaugesAndMayReportAgain() {
    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 5, 2, 1)));

    metrics.releasePolicy("uid-a");
    assertThat(gauges()).isEmpty();

    metrics.recordPolicy("uid-a", ACCOUNT, List.of(report("us-east-1", 6, 0, 0)));
    assertThat(gauges()).containsEntry(ACCOUNT + "/us-east-1/allowed", 6.0);
  }

  private static LaunchTemplateReport templates(int allowed, int wouldFail, int unknown) {
    return new LaunchTemplateReport(
        allowed + wouldFail + unknown,
        allowed + wouldFail + unknown,
        allowed,
        wouldFail,
        unknown,
        0,
        List.of(),
        0,
        false,
        Instant.EPOCH,
        null);
  }

  private Map<String, Double> templateGauges() {
    return registry.find(ComplianceMetrics.LAUNCH_TEMPLATE_VERSIONS).gauges().stream()
        .collect(
            Collectors.toMap(
                g -> g.getId().getTag("region") + "/" + g.getId().getTag("verdict"), Gauge::value));
  }

  @Test
  void launchTemplateGaugesAppearOnceJudgedKeepTheirLastFiguresAndLeaveWithTheirRegion() {
    List<String> governed = List.of("us-east-1", "eu-west-1");
    metrics.recordPolicy(
        "uid-a",
        ACCOUNT,
        governed,
        List.of(report("us-east-1", 1, 0, 0), report("eu-west-1", 1, 0, 0)),
        Map.of("us-east-1", templates(4, 2, 1)));
    assertThat(templateGauges())
        .containsOnly(
            Map.entry("us-east-1/allowed", 4.0),
            Map.entry("us-east-1/would_fail", 2.0),
            Map.entry("us-east-1/unknown", 1.0));

    // Not judged this time (the scan was reused or failed): the last figures stay.
    metrics.recordPolicy(
        "uid-a", ACCOUNT, governed, List.of(report("us-east-1", 1, 0, 0)), Map.of());
    assertThat(templateGauges()).containsEntry("us-east-1/would_fail", 2.0);

    metrics.recordPolicy(
        "uid-a",
        ACCOUNT,
        List.of("eu-west-1"),
        List.of(report("eu-west-1", 1, 0, 0)),
        Map.of("eu-west-1", templates(0, 0, 0)));
    assertThat(templateGauges())
        .containsOnly(
            Map.entry("eu-west-1/allowed", 0.0),
            Map.entry("eu-west-1/would_fail", 0.0),
            Map.entry("eu-west-1/unknown", 0.0));

    metrics.forgetPolicy("uid-a");
    assertThat(templateGauges()).isEmpty();
  }
}
