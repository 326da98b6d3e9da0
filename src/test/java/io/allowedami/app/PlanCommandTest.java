package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allowedami.simulator.CallCounters;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.testing.SimulatorCalls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * `plan` against the EC2 simulator through the real CLI wiring (Main's command line, picocli's exit
 * codes, the SDK gateway): what it prints, how it exits, and that it never writes.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PlanCommandTest {
  private static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Ec2Simulator simulator;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void startSimulator() {
    simulator = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
  }

  @AfterEach
  void planNeverWrites() {
    try {
      // Not one write call of any kind, DryRun included: plan only reads.
      assertThat(writeCalls()).isEmpty();
    } finally {
      simulator.close();
    }
  }

  private Map<CallCounters.CallKey, Long> writeCalls() {
    Map<CallCounters.CallKey, Long> writes = new java.util.HashMap<>();
    simulator.counters().snapshot().entrySet().stream()
        .filter(e -> SimulatorCalls.WRITE_ACTIONS.contains(e.getKey().action()))
        .forEach(e -> writes.put(e.getKey(), e.getValue()));
    return writes;
  }

  private Run plan(String... args) {
    CommandLine cli = Main.commandLine();
    PlanCommand command = cli.getSubcommands().get("plan").getCommand();
    command.credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("plan"));
    all.addAll(List.of(args));
    all.addAll(
        List.of("--aws-endpoint-url", simulator.endpoint().toString(), "--max-attempts", "1"));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private Path policy(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  private Path auditAmazon() throws IOException {
    return policy(
        "audit.yaml",
        """
        apiVersion: ec2.allowedami.io/v1alpha1
        kind: AllowedAmiPolicy
        metadata:
          name: audit-amazon
        spec:
          mode: audit-mode
          regions: [us-east-1, eu-west-1]
          providers: [amazon]
        """);
  }

  @Test
  void aFreshAccountHasChangesPendingExit2AndTheTextSaysWhatWouldChange() throws IOException {
    Run run = plan(auditAmazon().toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.out())
        .contains("policy audit-amazon (" + dir.resolve("audit.yaml") + "#1): account " + ACCOUNT)
        .contains("  us-east-1: disabled -> audit-mode: 2 changes")
        .contains("  eu-west-1: disabled -> audit-mode: 2 changes")
        .contains("    replace criteria: 1 criterion (amazon)")
        .contains("    set state disabled -> audit-mode")
        .contains("    impact: ")
        .contains("Plan: 1 policy, 2 Regions: 2 to change; 0 errors")
        .endsWith("Result: changes pending (exit 2)\n");
    // The criteria go first on the way to more enforcement, as the operator would write them.
    assertThat(run.out().indexOf("replace criteria"))
        .isLessThan(run.out().indexOf("set state disabled -> audit-mode"));
    assertThat(simulator.counters().count("GetAllowedImagesSettings")).isEqualTo(2);
    assertThat(simulator.counters().count("DescribeInstanceImageMetadata")).isEqualTo(2);
  }

  @Test
  void theWildcardIsPlannedOverEveryRegionEnabledForTheAccountMinusTheExcluded()
      throws IOException {
    Path file =
        policy(
            "all.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata:
              name: all
            spec:
              mode: audit-mode
              regions: ["*"]
              excludeRegions: [sa-east-1]
              providers: [amazon]
            """);

    Run run = plan(file.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.out())
        .contains("Plan: 1 policy, 16 Regions: 16 to change; 0 errors")
        .contains("  eu-north-1: disabled -> audit-mode")
        .doesNotContain("sa-east-1:")
        .doesNotContain("af-south-1:");
    assertThat(simulator.counters().count("DescribeRegions")).isEqualTo(1);
    assertThat(simulator.counters().count("GetAllowedImagesSettings")).isEqualTo(16);
  }

  @Test
  void settingsThatAlreadyMatchThePolicyExit0() throws IOException {
    for (String region : List.of("us-east-1", "eu-west-1")) {
      simulator
          .outOfBand()
          .setSettings(
              ACCOUNT, region, SettingsState.AUDIT_MODE, List.of(Criterion.ofProviders("amazon")));
    }

    Run run = plan(auditAmazon().toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("  us-east-1: audit-mode: no change")
        .contains("  eu-west-1: audit-mode: no change")
        .doesNotContain("replace criteria")
        .doesNotContain("set state")
        .endsWith("Result: no changes (exit 0)\n");
  }

  @Test
  void theJsonOutputHasTheDocumentedShape() throws IOException {
    simulator
        .outOfBand()
        .setSettings(
            ACCOUNT,
            "eu-west-1",
            SettingsState.AUDIT_MODE,
            List.of(Criterion.ofProviders("amazon")));

    Run run = plan("--output", "json", auditAmazon().toString());

    assertThat(run.exit()).isEqualTo(2);
    JsonNode plan = JSON.readTree(run.out());
    assertThat(fieldNames(plan)).containsExactly("result", "exitCode", "policies");
    assertThat(plan.get("result").asText()).isEqualTo("changes-pending");
    assertThat(plan.get("exitCode").asInt()).isEqualTo(2);
    JsonNode policy = plan.get("policies").get(0);
    assertThat(fieldNames(policy))
        .containsExactly(
            "name", "source", "accountId", "assumeRole", "problems", "regions", "proposal");
    assertThat(policy.get("name").asText()).isEqualTo("audit-amazon");
    assertThat(policy.get("accountId").asText()).isEqualTo(ACCOUNT);
    assertThat(policy.get("assumeRole").isNull()).isTrue();

    JsonNode usEast1 = policy.get("regions").get(0);
    assertThat(fieldNames(usEast1))
        .containsExactly(
            "region",
            "outcome",
            "state",
            "desiredState",
            "managedBy",
            "actions",
            "blockedBy",
            "gate",
            "impact",
            "launchTemplates",
            "error");
    assertThat(usEast1.get("region").asText()).isEqualTo("us-east-1");
    assertThat(fieldNames(usEast1.get("launchTemplates")))
        .containsExactly(
            "templates",
            "versions",
            "wouldFail",
            "unknown",
            "withoutImage",
            "partial",
            "failing",
            "omitted",
            "error");
    assertThat(usEast1.get("outcome").asText()).isEqualTo("apply");
    assertThat(usEast1.get("state").asText()).isEqualTo("disabled");
    assertThat(usEast1.get("desiredState").asText()).isEqualTo("audit-mode");
    assertThat(usEast1.get("managedBy").asText()).isEqualTo("account");
    JsonNode replace = usEast1.get("actions").get(0);
    assertThat(replace.get("action").asText()).isEqualTo("replace-criteria");
    assertThat(replace.get("description").asText())
        .isEqualTo("replace criteria: 1 criterion (amazon)");
    assertThat(replace.get("fromCriteria")).isEmpty();
    assertThat(replace.get("toCriteria").get(0).get("imageProviders").get(0).asText())
        .isEqualTo("amazon");
    JsonNode setState = usEast1.get("actions").get(1);
    assertThat(setState.get("action").asText()).isEqualTo("set-state");
    assertThat(setState.get("fromState").asText()).isEqualTo("disabled");
    assertThat(setState.get("toState").asText()).isEqualTo("audit-mode");
    assertThat(usEast1.get("blockedBy").isNull()).isTrue();
    assertThat(usEast1.get("gate").isNull()).as("no safe-rollout limit is set").isTrue();
    assertThat(usEast1.get("error").isNull()).isTrue();
    JsonNode impact = usEast1.get("impact");
    assertThat(fieldNames(impact))
        .containsExactly("runningNotAllowed", "runningUnknown", "images", "omittedImages");
    for (JsonNode image : impact.get("images")) {
      assertThat(fieldNames(image))
          .containsExactly(
              "id", "name", "ownerId", "ownerAlias", "verdict", "instances", "running", "reason");
      assertThat(image.get("verdict").asText()).isIn("not-allowed", "unknown");
    }

    JsonNode euWest1 = policy.get("regions").get(1);
    assertThat(euWest1.get("outcome").asText()).isEqualTo("in-sync");
    assertThat(euWest1.get("actions")).isEmpty();
  }

  @Test
  void everyPolicyGetsCriteriaThatFitItsImagesInUseAsYamlAndJsonWithoutChangingTheExitCode()
      throws IOException {
    Run text = plan(auditAmazon().toString());
    JsonNode proposal =
        JSON.readTree(plan("--output", "json", auditAmazon().toString()).out())
            .at("/policies/0/proposal");

    assertThat(text.exit()).isEqualTo(2);
    assertThat(text.out())
        .contains("  proposed criteria: allow the ")
        .contains("    imageCriteria:\n    - imageProviders:\n")
        .contains("      - \"al2023-ami-*\"")
        .contains("    # ");
    assertThat(proposal.get("runningInstances").asInt()).isPositive();
    JsonNode criteria = proposal.get("proposedCriteria");
    assertThat(criteria).isNotEmpty();
    for (JsonNode criterion : criteria) {
      assertThat(fieldNames(criterion))
          .isSubsetOf("imageProviders", "imageNames", "marketplaceProductCodes");
    }
    assertThat(proposal.get("notes")).isNotEmpty();
  }

  @Test
  void theImpactNamesTheRunningInstancesAndImagesTheCriteriaWouldNotAllow() throws IOException {
    Path ownOnly =
        policy(
            "own.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: own-only}
            spec: {mode: enabled, regions: [us-east-1], providers: [none]}
            """);

    JsonNode region =
        JSON.readTree(plan("--output", "json", ownOnly.toString()).out())
            .at("/policies/0/regions/0");

    JsonNode impact = region.get("impact");
    assertThat(impact.get("runningNotAllowed").asInt()).isPositive();
    assertThat(impact.get("images")).isNotEmpty();
    JsonNode top = impact.get("images").get(0);
    assertThat(top.get("verdict").asText()).isEqualTo("not-allowed");
    assertThat(top.get("running").asInt()).isPositive();
    assertThat(top.get("reason").asText())
        .isEqualTo("criterion 1 closest: provider none allows only the account's own images");
    assertThat(plan(ownOnly.toString()).out())
        .contains(
            "        why: criterion 1 closest: provider none allows only the account's own images");
    // Most running first.
    List<Integer> running = new ArrayList<>();
    impact.get("images").forEach(i -> running.add(i.get("running").asInt()));
    assertThat(running).isSortedAccordingTo((a, b) -> b - a);
  }

  @Test
  void theSafeRolloutGateHoldsTheSwitchToEnabledAndThatIsAPendingChange() throws IOException {
    Path gated =
        policy(
            "gated.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: gated}
            spec:
              mode: enabled
              regions: [us-west-2]
              providers: [amazon]
              rollout: {maxBlockedInstances: 0}
            """);

    Run text = plan(gated.toString());
    JsonNode region =
        JSON.readTree(plan("--output", "json", gated.toString()).out()).at("/policies/0/regions/0");

    assertThat(text.exit()).isEqualTo(2);
    assertThat(text.out())
        .contains(
            "  us-west-2: disabled -> enabled: switch to enabled held by the safe-rollout gate")
        .contains("safe-rollout gate (maxBlockedInstances 0): HOLDS: switch to enabled held: ");
    assertThat(region.get("outcome").asText()).isEqualTo("held");
    assertThat(region.at("/gate/held").asBoolean()).isTrue();
    assertThat(region.at("/gate/maxBlockedInstances").asInt()).isZero();
    // The criteria would still be written; the state switch waits.
    assertThat(region.get("actions")).hasSize(1);
    assertThat(region.at("/actions/0/action").asText()).isEqualTo("replace-criteria");
  }

  @Test
  void anInvalidPolicyIsAnErrorWithTheOperatorsMessagesAndCallsNoAws() throws IOException {
    Path invalid =
        policy(
            "invalid.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: invalid}
            spec:
              mode: sometimes
              regions: [us-east-9]
              providers: [amazon]
            """);

    Run run = plan(invalid.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("policy invalid (" + invalid + "#1): invalid, nothing planned")
        .contains("  - spec.mode 'sometimes' is not one of enabled, audit-mode, disabled")
        .contains("us-east-9")
        .endsWith("Result: error (exit 1)\n");
    assertThat(simulator.counters().total()).isZero();
  }

  @Test
  void anUnquotedAccountIdGetsTheOperatorsMessage() throws IOException {
    // YAML reads 123456789012 as a number; the schema types providers as strings.
    Path unreadable =
        policy(
            "unreadable.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: unreadable}
            spec:
              mode: audit-mode
              regions: [us-east-1]
              providers: [amazon, 123456789012]
            """);

    Run run = plan(unreadable.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("  - spec.providers[1] must be a string");
  }

  @Test
  void anInvalidPolicyBesideAValidOneStillPlansTheValidOneAndExits1() throws IOException {
    Path invalid =
        policy(
            "invalid.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: invalid}
            spec: {mode: enabled, regions: [us-east-1]}
            """);

    Run run = plan(auditAmazon().toString(), invalid.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("  us-east-1: disabled -> audit-mode: 2 changes")
        .contains("  - mode 'enabled' needs spec.providers or spec.imageCriteria");
  }

  @Test
  void aRegionDownIsAnErrorAndTheOtherRegionsAreStillPlanned() throws IOException {
    simulator.faults().regionDown("eu-west-1", true);

    Run text = plan(auditAmazon().toString());
    JsonNode regions =
        JSON.readTree(plan("--output", "json", auditAmazon().toString()).out())
            .at("/policies/0/regions");

    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out())
        .contains("  us-east-1: disabled -> audit-mode: 2 changes")
        .contains("  eu-west-1: settings could not be read")
        .contains("    error Unavailable (Recoverable): ")
        .endsWith("Result: error (exit 1)\n");
    assertThat(regions.get(0).get("outcome").asText()).isEqualTo("apply");
    assertThat(regions.get(1).get("outcome").asText()).isEqualTo("unknown");
    assertThat(regions.get(1).get("state").isNull()).isTrue();
    assertThat(regions.get(1).at("/error/code").asText()).isEqualTo("Unavailable");
    assertThat(regions.get(1).at("/error/kind").asText()).isEqualTo("Recoverable");
  }

  @Test
  void aRegionADeclarativePolicyEnforcesDifferentlyIsBlockedAndAnError() throws IOException {
    simulator
        .faults()
        .managedByDeclarativePolicy(
            ACCOUNT, "us-east-1", SettingsState.ENABLED, List.of(Criterion.ofProviders("amazon")));

    JsonNode plan = JSON.readTree(plan("--output", "json", auditAmazon().toString()).out());

    assertThat(plan.get("exitCode").asInt()).isEqualTo(1);
    JsonNode region = plan.at("/policies/0/regions/0");
    assertThat(region.get("outcome").asText()).isEqualTo("blocked");
    assertThat(region.get("blockedBy").asText()).isEqualTo("declarative-policy");
    assertThat(region.get("managedBy").asText()).isEqualTo("declarative-policy");
    assertThat(region.get("actions")).isEmpty();
    assertThat(region.at("/error/code").asText()).isEqualTo("ManagedByDeclarativePolicy");
  }

  @Test
  void anAccountThatCannotBeReachedFailsEveryRegionOfItsPolicy() throws IOException {
    Path wrongExternalId =
        policy(
            "cross.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: cross}
            spec:
              mode: audit-mode
              regions: [us-east-1, eu-west-1]
              providers: [amazon]
              assumeRole:
                roleArn: arn:aws:iam::444455556666:role/allowed-ami-operator
                externalId: not-the-one-the-trust-policy-asks-for
            """);

    Run run = plan(wrongExternalId.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("account unknown via arn:aws:iam::444455556666:role/allowed-ami-operator")
        .contains("  us-east-1: settings could not be read")
        .contains("  eu-west-1: settings could not be read")
        .contains("    error AccessDenied (Terminal): ")
        .doesNotContain("not-the-one");
  }

  @Test
  void severalDocumentsInOneFileArePlannedAndOtherKindsSkipped() throws IOException {
    Path file =
        policy(
            "bundle.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: unrelated}
            ---
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: first}
            spec: {mode: audit-mode, regions: [us-east-1], providers: [amazon]}
            ---
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAmiPolicy
            metadata: {name: second}
            spec: {mode: disabled, regions: [eu-west-1]}
            ---
            """);

    Run run = plan(file.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out())
        .contains("policy first (" + file + "#2)")
        .contains("policy second (" + file + "#3)")
        .contains("  eu-west-1: disabled: no change")
        .contains("Plan: 2 policies, 2 Regions: 1 to change, 1 in sync; 0 errors");
  }

  @Test
  void aMisspelledKindOfThisApiIsAnErrorNotSkipped() throws IOException {
    Path file =
        policy(
            "typo.yaml",
            """
            apiVersion: ec2.allowedami.io/v1alpha1
            kind: AllowedAMIPolicy
            metadata: {name: typo}
            spec: {mode: audit-mode, regions: [us-east-1], providers: [amazon]}
            """);

    Run run = plan(file.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("is not ec2.allowedami.io/v1alpha1 AllowedAmiPolicy");
  }

  @Test
  void filesThatCannotBeReadAreErrors() throws IOException {
    Path broken = policy("broken.yaml", "apiVersion: [unclosed\n");

    Run missing = plan(dir.resolve("missing.yaml").toString());
    Run invalidYaml = plan(broken.toString());
    Run noPolicy = plan(policy("empty.yaml", "---\n").toString());

    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).contains("no such file");
    assertThat(invalidYaml.exit()).isEqualTo(1);
    assertThat(invalidYaml.out()).contains("not valid YAML");
    assertThat(noPolicy.exit()).isEqualTo(1);
    assertThat(noPolicy.out()).contains("no AllowedAmiPolicy found");
    assertThat(simulator.counters().total()).isZero();
  }

  @Test
  void badOptionsExit1NotTheChangesPendingCode() throws IOException {
    String file = auditAmazon().toString();

    assertThat(plan("--output", "yaml", file).exit()).isEqualTo(1);
    assertThat(plan("--no-such-option", file).exit()).isEqualTo(1);
    assertThat(plan().exit()).as("no policy file").isEqualTo(1);
    assertThat(plan("--region-concurrency", "0", file).exit()).isEqualTo(1);
    Run badEndpoint =
        run(Main.commandLine(), "plan", "--aws-endpoint-url", "localhost:1", "x.yaml");
    assertThat(badEndpoint.exit()).isEqualTo(1);
    assertThat(badEndpoint.err()).contains("--aws-endpoint-url 'localhost:1'");
  }

  @Test
  void helpListsTheExitCodes() {
    Run help = run(Main.commandLine(), "plan", "--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("Exit codes:")
        .contains("0   nothing would change")
        .contains("2   changes pending")
        .contains("1   error");
  }

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static List<Path> examples() throws IOException {
    return ExamplesRunInTheDemoTest.examples();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExamplePlansWithoutErrorAgainstTheDemoWorld(Path example) {
    Run run = plan(example.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.out()).doesNotContain("error ").contains("; 0 errors");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
