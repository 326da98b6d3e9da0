package io.allowedami.simulator;

import static io.allowedami.simulator.SimulatorClients.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldAccount;
import io.allowedami.simulator.model.WorldRole;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedImagesSettingsEnabledState;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

class StsAndMultiAccountTest {

  static Ec2Simulator sim;
  static StsClient sts;

  @BeforeAll
  static void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    sts = SimulatorClients.sts(sim, SimulatorClients.operatorCredentials());
  }

  @AfterAll
  static void stop() {
    sts.close();
    sim.close();
  }

  @Test
  void getCallerIdentityReportsTheAccountOfTheAccessKey() {
    var identity = sts.getCallerIdentity();
    assertThat(identity.account()).isEqualTo(SimulatorWorld.DEFAULT_ACCOUNT_ID);
    assertThat(identity.arn()).isEqualTo("arn:aws:iam::111122223333:user/operator");
    assertThat(identity.userId()).isNotBlank();
  }

  @Test
  void assumedRoleCredentialsActOnTheTargetAccount() {
    Credentials issued =
        sts.assumeRole(
                r ->
                    r.roleArn(SimulatorWorld.MEMBER_ROLE_ARN)
                        .externalId(SimulatorWorld.MEMBER_EXTERNAL_ID)
                        .roleSessionName("allowed-ami-operator"))
            .credentials();
    AwsSessionCredentials session =
        AwsSessionCredentials.create(
            issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken());
    assertThat(issued.expiration()).isAfter(java.time.Instant.now());

    try (StsClient memberSts = SimulatorClients.sts(sim, session);
        Ec2Client memberEc2 = SimulatorClients.ec2(sim, "sa-east-1", session)) {
      var identity = memberSts.getCallerIdentity();
      assertThat(identity.account()).isEqualTo(SimulatorWorld.MEMBER_ACCOUNT_ID);
      assertThat(identity.arn())
          .isEqualTo(
              "arn:aws:sts::444455556666:assumed-role/AllowedAmiOperatorRole/allowed-ami-operator");

      memberEc2.enableAllowedImagesSettings(
          r -> r.allowedImagesSettingsState(AllowedImagesSettingsEnabledState.AUDIT_MODE));
      assertThat(memberEc2.describeInstanceImageMetadata(r -> {}).instanceImageMetadata())
          .isNotEmpty()
          .allSatisfy(m -> assertThat(m.ownerId()).isEqualTo(SimulatorWorld.MEMBER_ACCOUNT_ID));
    }
    assertThat(sim.outOfBand().settings(SimulatorWorld.MEMBER_ACCOUNT_ID, "sa-east-1").state())
        .isEqualTo(SettingsState.AUDIT_MODE);
    assertThat(sim.outOfBand().settings(SimulatorWorld.DEFAULT_ACCOUNT_ID, "sa-east-1").state())
        .isEqualTo(SettingsState.DISABLED);
  }

  @Test
  void anAccountAddedToAWorldIsReachableByItsRoleAndTheCallLogNamesTheRoleAndTheCaller() {
    String third = "777788889999";
    String roleArn = "arn:aws:iam::" + third + ":role/Quarantine";
    SimulatorWorld world =
        SimulatorWorld.defaultWorld()
            .withAccount(
                new WorldAccount(
                    third, "quarantine", List.of(), List.of(new WorldRole("Quarantine", "q-id"))));
    try (Ec2Simulator withThird = Ec2Simulator.start(world, 0);
        StsClient operatorSts =
            SimulatorClients.sts(withThird, SimulatorClients.operatorCredentials())) {
      Credentials issued =
          operatorSts
              .assumeRole(r -> r.roleArn(roleArn).externalId("q-id").roleSessionName("campaign"))
              .credentials();
      try (Ec2Client thirdEc2 =
          SimulatorClients.ec2(
              withThird,
              "eu-west-3",
              AwsSessionCredentials.create(
                  issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken()))) {
        thirdEc2.getAllowedImagesSettings(r -> {});
      }

      List<CallCounters.LoggedCall> calls = withThird.counters().log();
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0).action()).isEqualTo("AssumeRole");
      assertThat(calls.get(0).details().roleArn()).isEqualTo(roleArn);
      assertThat(calls.get(0).account()).isEqualTo(SimulatorWorld.DEFAULT_ACCOUNT_ID);
      assertThat(calls.get(0).details().managedBy()).as("not an EC2 call").isNull();
      assertThat(calls.get(1).account()).isEqualTo(third);
      assertThat(calls.get(1).details().managedBy()).isEqualTo(ManagedBy.ACCOUNT);
    }
    assertThat(world.accounts()).extracting(WorldAccount::id).endsWith(third);
    assertThat(SimulatorWorld.defaultWorld().accounts()).hasSize(2);
  }

  @Test
  void aWrongOrMissingExternalIdOrUnknownRoleIsAccessDenied() {
    for (String externalId : new String[] {"wrong", null}) {
      AwsServiceException e =
          catchThrowableOfType(
              AwsServiceException.class,
              () ->
                  sts.assumeRole(
                      r ->
                          r.roleArn(SimulatorWorld.MEMBER_ROLE_ARN)
                              .externalId(externalId)
                              .roleSessionName("s1")));
      assertThat(errorCode(e)).isEqualTo("AccessDenied");
      assertThat(e.statusCode()).isEqualTo(403);
    }
    assertThat(
            errorCode(
                catchThrowableOfType(
                    AwsServiceException.class,
                    () ->
                        sts.assumeRole(
                            r ->
                                r.roleArn("arn:aws:iam::444455556666:role/Nope")
                                    .roleSessionName("s1")))))
        .isEqualTo("AccessDenied");
  }

  @Test
  void unknownKeysAreRejectedByStsAndEc2() {
    var unknown = AwsBasicCredentials.create("AKIAUNKNOWN000000000", "secret");
    try (StsClient badSts = SimulatorClients.sts(sim, unknown);
        Ec2Client badEc2 = SimulatorClients.ec2(sim, "us-east-1", unknown)) {
      assertThat(
              errorCode(catchThrowableOfType(AwsServiceException.class, badSts::getCallerIdentity)))
          .isEqualTo("InvalidClientTokenId");
      AwsServiceException e =
          catchThrowableOfType(
              AwsServiceException.class, () -> badEc2.getAllowedImagesSettings(r -> {}));
      assertThat(errorCode(e)).isEqualTo("AuthFailure");
      assertThat(e.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void deniedAssumeRoleIsAccessDenied() {
    sim.faults()
        .restrictPermissions(SimulatorWorld.MEMBER_ACCOUNT_ID, java.util.Set.of("AssumeRole"));
    try (StsClient member =
        SimulatorClients.sts(
            sim,
            AwsBasicCredentials.create(
                SimulatorWorld.MEMBER_ACCESS_KEY_ID, SimulatorWorld.MEMBER_SECRET_ACCESS_KEY))) {
      assertThat(
              errorCode(
                  catchThrowableOfType(
                      AwsServiceException.class,
                      () ->
                          member.assumeRole(
                              r ->
                                  r.roleArn(SimulatorWorld.MEMBER_ROLE_ARN)
                                      .externalId(SimulatorWorld.MEMBER_EXTERNAL_ID)
                                      .roleSessionName("s1")))))
          .isEqualTo("AccessDenied");
    } finally {
      sim.faults().clear();
    }
  }
}
