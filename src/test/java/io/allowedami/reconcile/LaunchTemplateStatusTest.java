package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.allowedami.api.v1alpha1.LaunchTemplateCompliance;
import io.allowedami.api.v1alpha1.LaunchTemplateRef;
import io.allowedami.api.v1alpha1.RegionStatus;
import io.allowedami.compliance.LaunchTemplateReport;
import io.allowedami.compliance.LaunchTemplateReport.Entry;
import io.allowedami.compliance.LaunchTemplateReport.Outcome;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.ManagedBy;
import io.allowedami.domain.RegionPlanner;
import io.allowedami.domain.RegionSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** How a Region's launch template report, or its failure, shows in status. */
class LaunchTemplateStatusTest {
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final RegionSettings CONVERGED =
      new RegionSettings(AllowedImagesState.ENABLED, AMAZON, ManagedBy.ACCOUNT);
  private static final Instant SCANNED = Instant.parse("2026-11-24T09:00:00Z");
  private static final Failure DENIED = Failure.terminal("UnauthorizedOperation", "no");

  private static RegionOutcome outcome(String region, LaunchTemplateScan.Result templates) {
    return RegionOutcome.builder(
            region,
            CONVERGED,
            RegionPlanner.plan(DesiredSettings.of(AllowedImagesState.ENABLED, AMAZON), CONVERGED))
        .launchTemplates(templates)
        .build();
  }

  private static LaunchTemplateScan.Result report(int wouldFail, int unknown) {
    return new LaunchTemplateScan.Result(
        Optional.of(
            new LaunchTemplateReport(
                4,
                5,
                5 - wouldFail - unknown,
                wouldFail,
                unknown,
                1,
                List.of(
                    new Entry("lt-1", "web", 3, true, "ami-1", Outcome.NOT_ALLOWED, "why"),
                    new Entry("lt-2", "db", 1, false, "resolve:ssm:/p", Outcome.UNKNOWN, "ssm")),
                2,
                false,
                SCANNED,
                null)),
        Optional.empty());
  }

  private static LaunchTemplateScan.Result failure() {
    return new LaunchTemplateScan.Result(Optional.empty(), Optional.of(DENIED));
  }

  @Test
  void aReportShowsItsCountsAndItsListAndTheSummarySumsTheRegions() {
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(
            null,
            1,
            "111122223333",
            List.of(outcome("us-east-1", report(2, 1)), outcome("eu-west-1", report(1, 0))),
            "t1");

    LaunchTemplateCompliance east = status.getRegions().get(0).getLaunchTemplates();
    assertThat(east.scannedAt()).isEqualTo("2026-11-24T09:00:00Z");
    assertThat(east.templates()).isEqualTo(4);
    assertThat(east.versions()).isEqualTo(5);
    assertThat(east.wouldFail()).isEqualTo(2);
    assertThat(east.unknown()).isEqualTo(1);
    assertThat(east.withoutImage()).isEqualTo(1);
    assertThat(east.omitted()).isEqualTo(2);
    assertThat(east.partial()).as("only said when true").isNull();
    assertThat(east.failing())
        .extracting(LaunchTemplateRef::id, LaunchTemplateRef::verdict, LaunchTemplateRef::reason)
        .containsExactly(
            Tuple.tuple("lt-1", "NotAllowed", "why"), Tuple.tuple("lt-2", "Unknown", "ssm"));
    // No instance compliance in these outcomes, so no summary to add the totals to.
    assertThat(status.getCompliance()).isNull();
  }

  @Test
  void aFailedReadKeepsTheLastFiguresWithTheErrorAndItsFirstSeenTime() {
    AllowedAmiPolicyStatus first =
        StatusBuilder.build(
            null, 1, "111122223333", List.of(outcome("us-east-1", report(2, 1))), "t1");
    AllowedAmiPolicyStatus second =
        StatusBuilder.build(
            first, 1, "111122223333", List.of(outcome("us-east-1", failure())), "t2");
    AllowedAmiPolicyStatus third =
        StatusBuilder.build(
            second, 1, "111122223333", List.of(outcome("us-east-1", failure())), "t3");

    LaunchTemplateCompliance kept = third.getRegions().get(0).getLaunchTemplates();
    assertThat(kept.wouldFail()).isEqualTo(2);
    assertThat(kept.error().getCode()).isEqualTo("UnauthorizedOperation");
    assertThat(kept.error().getSince()).isEqualTo("t2");
  }

  @Test
  void aFirstFailedReadShowsOnlyTheError() {
    AllowedAmiPolicyStatus status =
        StatusBuilder.build(null, 1, "a", List.of(outcome("us-east-1", failure())), "t1");

    LaunchTemplateCompliance only = status.getRegions().get(0).getLaunchTemplates();
    assertThat(only.wouldFail()).isNull();
    assertThat(only.error().getCode()).isEqualTo("UnauthorizedOperation");
  }

  @Test
  void aRegionThatCouldNotBeReadKeepsItsLastTemplatesAndAPolicyThatStopsScanningDropsThem() {
    AllowedAmiPolicyStatus first =
        StatusBuilder.build(null, 1, "a", List.of(outcome("us-east-1", report(1, 0))), "t1");

    AllowedAmiPolicyStatus unread =
        StatusBuilder.build(
            first,
            1,
            "a",
            List.of(RegionOutcome.failedBeforeReading("us-east-1", Failure.recoverable("X", "x"))),
            "t2");
    assertThat(unread.getRegions().get(0).getLaunchTemplates().wouldFail()).isEqualTo(1);

    AllowedAmiPolicyStatus stopped =
        StatusBuilder.build(
            first,
            2,
            "a",
            List.of(outcome("us-east-1", LaunchTemplateScan.Result.NOT_SCANNED)),
            "t3");
    assertThat(stopped.getRegions())
        .extracting(RegionStatus::getLaunchTemplates)
        .containsOnlyNulls();
  }
}
