package io.allowedami.simulator;

import static io.allowedami.simulator.SimulatorClients.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedImagesSettingsEnabledState;
import software.amazon.awssdk.services.ec2.model.ImageCriterionRequest;

class FaultInjectionTest {

  static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  static Ec2Simulator sim;
  static Ec2Client ec2;

  @BeforeAll
  static void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    ec2 = SimulatorClients.ec2(sim, "eu-north-1");
  }

  @AfterAll
  static void stop() {
    ec2.close();
    sim.close();
  }

  @AfterEach
  void clearFaults() {
    sim.faults().clear();
    sim.counters().reset();
  }

  private static AwsServiceException failure(Runnable call) {
    return catchThrowableOfType(AwsServiceException.class, call::run);
  }

  @Test
  void aNotOptedInRegionAnswersAuthFailure() {
    try (Ec2Client capeTown = SimulatorClients.ec2(sim, "af-south-1")) {
      AwsServiceException e = failure(() -> capeTown.getAllowedImagesSettings(r -> {}));
      assertThat(errorCode(e)).isEqualTo("AuthFailure");
      assertThat(e.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aDeniedActionAnswersUnauthorizedOperationAlsoForDryRun() {
    sim.faults().restrictPermissions(ACCOUNT, Set.of("EnableAllowedImagesSettings"));
    AwsServiceException e =
        failure(
            () ->
                ec2.enableAllowedImagesSettings(
                    r ->
                        r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.ENABLED)
                            .dryRun(true)));
    assertThat(errorCode(e)).isEqualTo("UnauthorizedOperation");
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(ec2.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
  }

  @Test
  void aSmallTokenBucketThrottlesWithRequestLimitExceededPerAction() {
    sim.faults().throttle("eu-north-1", "GetAllowedImagesSettings", 3, 0);
    for (int i = 0; i < 3; i++) {
      ec2.getAllowedImagesSettings(r -> {});
    }
    AwsServiceException e = failure(() -> ec2.getAllowedImagesSettings(r -> {}));
    assertThat(errorCode(e)).isEqualTo("RequestLimitExceeded");
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(ec2.describeRegions().regions()).isNotEmpty();
    assertThat(
            sim.counters()
                .count("GetAllowedImagesSettings", "eu-north-1", ACCOUNT, "RequestLimitExceeded"))
        .isEqualTo(1);
  }

  @Test
  void resetThrottlingRemovesOverridesButKeepsDeclarativePolicies() {
    sim.faults().throttle("eu-north-1", "GetAllowedImagesSettings", 0, 0);
    sim.faults()
        .managedByDeclarativePolicy(
            ACCOUNT,
            "eu-north-1",
            SettingsState.AUDIT_MODE,
            List.of(Criterion.ofProviders("amazon")));
    assertThat(errorCode(failure(() -> ec2.getAllowedImagesSettings(r -> {}))))
        .isEqualTo("RequestLimitExceeded");

    sim.faults().resetThrottling();

    assertThat(ec2.getAllowedImagesSettings(r -> {}).managedByAsString())
        .isEqualTo("declarative-policy");
  }

  @Test
  void theCallLogSaysWhoManagedTheSettingAndWhatEachWriteAsked() {
    try {
      ec2.getAllowedImagesSettings(r -> {});
      failure(
          () ->
              ec2.enableAllowedImagesSettings(
                  r ->
                      r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.ENABLED)
                          .dryRun(true)));
      ec2.replaceImageCriteriaInAllowedImagesSettings(
          r ->
              r.imageCriteria(
                  ImageCriterionRequest.builder()
                      .imageProviders("amazon", "aws-marketplace")
                      .build()));
      sim.faults()
          .managedByDeclarativePolicy(ACCOUNT, "eu-north-1", SettingsState.AUDIT_MODE, List.of());
      failure(() -> ec2.disableAllowedImagesSettings(r -> {}));
      sim.faults().throttle("eu-north-1", null, 0, 0);
      failure(() -> ec2.getAllowedImagesSettings(r -> {}));
    } finally {
      sim.outOfBand().setSettings(ACCOUNT, "eu-north-1", SettingsState.DISABLED, List.of());
    }

    List<CallCounters.LoggedCall> log = sim.counters().log();
    assertThat(log)
        .extracting(CallCounters.LoggedCall::action, CallCounters.LoggedCall::outcome)
        .containsExactly(
            tuple("GetAllowedImagesSettings", "ok"),
            tuple("EnableAllowedImagesSettings", "DryRunOperation"),
            tuple("ReplaceImageCriteriaInAllowedImagesSettings", "ok"),
            tuple("DisableAllowedImagesSettings", "OperationNotPermitted"),
            tuple("GetAllowedImagesSettings", "RequestLimitExceeded"));
    assertThat(log)
        .extracting(c -> c.details().managedBy())
        .as("also for a call answered before its action ran")
        .containsExactly(
            ManagedBy.ACCOUNT,
            ManagedBy.ACCOUNT,
            ManagedBy.ACCOUNT,
            ManagedBy.DECLARATIVE_POLICY,
            ManagedBy.DECLARATIVE_POLICY);
    assertThat(log)
        .extracting(c -> c.details().requestedState())
        .containsExactly(null, SettingsState.ENABLED, null, SettingsState.DISABLED, null);
    assertThat(log.get(2).details().requestedCriteria())
        .containsExactly(Criterion.ofProviders("amazon", "aws-marketplace"));
    assertThat(log).extracting(c -> c.details().roleArn()).containsOnlyNulls();
  }

  @Test
  void serverErrorsAreAnswered5xx() {
    sim.faults().serverErrorRate(1.0);
    AwsServiceException e = failure(() -> ec2.getAllowedImagesSettings(r -> {}));
    assertThat(e.statusCode()).isIn(500, 503);
    assertThat(errorCode(e)).isIn("InternalError", "Unavailable");
  }

  @Test
  void aRegionDownAnswersUnavailableForEveryAccountUntilRestored() {
    sim.faults().regionDown("eu-north-1", true);
    AwsServiceException e = failure(() -> ec2.getAllowedImagesSettings(r -> {}));
    assertThat(errorCode(e)).isEqualTo("Unavailable");
    assertThat(e.statusCode()).isEqualTo(503);
    sim.faults().regionDown("eu-north-1", false);
    assertThat(ec2.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
  }

  @Test
  void anInjectedErrorIsAnsweredWithItsCodeAndStatusOnlyWhereItWasInjected() {
    sim.faults()
        .injectError(
            "eu-north-1", "GetAllowedImagesSettings", 400, "SomeFutureError", "new in 2027");

    AwsServiceException e = failure(() -> ec2.getAllowedImagesSettings(r -> {}));
    assertThat(errorCode(e)).isEqualTo("SomeFutureError");
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("new in 2027");
    assertThat(ec2.describeRegions().regions()).as("another action").isNotEmpty();
    try (Ec2Client ohio = SimulatorClients.ec2(sim, "us-east-2")) {
      assertThat(ohio.getAllowedImagesSettings(r -> {}).state()).as("another Region").isNotNull();
    }
    assertThat(
            sim.counters()
                .count("GetAllowedImagesSettings", "eu-north-1", ACCOUNT, "SomeFutureError"))
        .isEqualTo(1);

    sim.faults().clear();
    assertThat(ec2.getAllowedImagesSettings(r -> {}).state()).isEqualTo("disabled");
  }

  @Test
  void theCallLogKeepsTheOrderOfCallsAndMarksDryRuns() {
    ImageCriterionRequest amazon = ImageCriterionRequest.builder().imageProviders("amazon").build();
    failure(
        () ->
            ec2.replaceImageCriteriaInAllowedImagesSettings(
                r -> r.imageCriteria(amazon).dryRun(true)));
    ec2.replaceImageCriteriaInAllowedImagesSettings(r -> r.imageCriteria(amazon));
    ec2.enableAllowedImagesSettings(
        r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.AUDIT_MODE));
    ec2.disableAllowedImagesSettings(r -> {});

    List<CallCounters.LoggedCall> log = sim.counters().log();
    assertThat(log)
        .extracting(
            CallCounters.LoggedCall::action,
            CallCounters.LoggedCall::region,
            CallCounters.LoggedCall::account,
            CallCounters.LoggedCall::dryRun,
            CallCounters.LoggedCall::outcome)
        .containsExactly(
            tuple(
                "ReplaceImageCriteriaInAllowedImagesSettings",
                "eu-north-1",
                ACCOUNT,
                true,
                "DryRunOperation"),
            tuple(
                "ReplaceImageCriteriaInAllowedImagesSettings", "eu-north-1", ACCOUNT, false, "ok"),
            tuple("EnableAllowedImagesSettings", "eu-north-1", ACCOUNT, false, "ok"),
            tuple("DisableAllowedImagesSettings", "eu-north-1", ACCOUNT, false, "ok"));
    assertThat(log).extracting(CallCounters.LoggedCall::sequence).isSorted();
    assertThat(log).extracting(CallCounters.LoggedCall::nanoTime).isSorted();

    sim.counters().reset();
    assertThat(sim.counters().log()).isEmpty();
    sim.outOfBand().setSettings(ACCOUNT, "eu-north-1", SettingsState.DISABLED, List.of());
  }

  @Test
  void latencyDelaysTheAction() {
    sim.faults().latency("GetAllowedImagesSettings", Duration.ofMillis(300));
    long start = System.nanoTime();
    ec2.getAllowedImagesSettings(r -> {});
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aDeclarativePolicyRejectsWritesReportsManagedByAndRollsBackWhenLifted() {
    try (Ec2Client seoul = SimulatorClients.ec2(sim, "ap-northeast-2")) {
      seoul.enableAllowedImagesSettings(
          r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.AUDIT_MODE));
      sim.faults()
          .managedByDeclarativePolicy(
              ACCOUNT,
              "ap-northeast-2",
              SettingsState.ENABLED,
              List.of(Criterion.ofProviders("amazon")));

      var managed = seoul.getAllowedImagesSettings(r -> {});
      assertThat(managed.managedByAsString()).isEqualTo("declarative-policy");
      assertThat(managed.state()).isEqualTo("enabled");
      for (Runnable write :
          List.<Runnable>of(
              () -> seoul.disableAllowedImagesSettings(r -> {}),
              () ->
                  seoul.enableAllowedImagesSettings(
                      r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.ENABLED)),
              () ->
                  seoul.replaceImageCriteriaInAllowedImagesSettings(
                      r ->
                          r.imageCriteria(
                              ImageCriterionRequest.builder().imageProviders("none").build())))) {
        AwsServiceException e = failure(write);
        assertThat(errorCode(e)).isEqualTo("OperationNotPermitted");
        assertThat(e.awsErrorDetails().errorMessage()).contains("declarative policy");
      }

      sim.faults().liftDeclarativePolicy(ACCOUNT, "ap-northeast-2");
      var restored = seoul.getAllowedImagesSettings(r -> {});
      assertThat(restored.managedByAsString()).isEqualTo("account");
      assertThat(restored.state()).isEqualTo("audit-mode");
      assertThat(restored.imageCriteria()).isEmpty();
    }
  }

  @Test
  void outOfBandDriftIsVisibleThroughTheApi() {
    sim.outOfBand()
        .setSettings(
            ACCOUNT,
            "eu-north-1",
            SettingsState.ENABLED,
            List.of(Criterion.ofProviders("aws-marketplace")));
    var drifted = ec2.getAllowedImagesSettings(r -> {});
    assertThat(drifted.state()).isEqualTo("enabled");
    assertThat(drifted.imageCriteria().get(0).imageProviders()).containsExactly("aws-marketplace");
    sim.outOfBand().setSettings(ACCOUNT, "eu-north-1", SettingsState.DISABLED, List.of());
  }

  @Test
  void countersCountCallsByActionRegionAccountAndOutcome() {
    ec2.getAllowedImagesSettings(r -> {});
    ec2.getAllowedImagesSettings(r -> {});
    failure(() -> ec2.getAllowedImagesSettings(r -> r.dryRun(true)));
    try (Ec2Client ohio = SimulatorClients.ec2(sim, "us-east-2")) {
      ohio.getAllowedImagesSettings(r -> {});
    }
    CallCounters counters = sim.counters();
    assertThat(counters.count("GetAllowedImagesSettings")).isEqualTo(4);
    assertThat(counters.count("GetAllowedImagesSettings", "eu-north-1")).isEqualTo(3);
    assertThat(counters.count("GetAllowedImagesSettings", "eu-north-1", ACCOUNT, "ok"))
        .isEqualTo(2);
    assertThat(counters.count("GetAllowedImagesSettings", "eu-north-1", ACCOUNT, "DryRunOperation"))
        .isEqualTo(1);
    assertThat(counters.total()).isEqualTo(4);
    assertThat(counters.snapshot())
        .containsEntry(
            new CallCounters.CallKey("GetAllowedImagesSettings", "us-east-2", ACCOUNT, "ok"), 1L);
    counters.reset();
    assertThat(counters.total()).isZero();
  }
}
