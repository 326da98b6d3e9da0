package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The `demo` command end to end, in process: it stops by itself once the policy is Ready (or the
 * --timeout of each step runs out), so each run is bounded.
 */
class DemoCommandTest {

  /** Runs the CLI as `java -jar ... demo` would, and returns its exit code and output. */
  private static Run demo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] command = new String[args.length + 1];
    command[0] = "demo";
    System.arraycopy(args, 0, command, 1, args.length);
    int exit =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(command);
    return new Run(exit, out.toString(), err.toString());
  }

  private record Run(int exit, String out, String err) {}

  private static long count(String text, String fragment) {
    return Pattern.compile(Pattern.quote(fragment)).matcher(text).results().count();
  }

  @Test
  void theBuiltInRolloutReachesAuditModeThenEnabledInEveryRegionAndExits0() {
    Run run = demo("--timeout", "60s");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(count(run.out(), "Ready=True")).as("both steps of the rollout").isEqualTo(2);
    for (String region : DemoCommand.DEMO_REGIONS) {
      assertThat(run.out()).containsPattern("\\n  " + region + " +audit-mode +in sync");
      assertThat(run.out()).containsPattern("\\n  " + region + " +enabled +in sync");
    }
    assertThat(run.out())
        .contains("kubectl get allowedamipolicy documented-rollout -o yaml  (status):")
        .contains("observedGeneration: 2")
        .contains("regionsInSync: \"6/6\"")
        .doesNotContain("timed out");
  }

  @Test
  void aPolicyFileIsAppliedInsteadOfTheRollout() {
    Run run = demo("--policy", "deploy/examples/01-audit-rollout.yaml", "--timeout", "60s");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("Applying deploy/examples/01-audit-rollout.yaml");
    assertThat(count(run.out(), "Ready=True")).isEqualTo(1);
    for (String region : new String[] {"us-east-1", "us-west-2", "eu-west-1"}) {
      assertThat(run.out()).containsPattern("\\n  " + region + " +audit-mode +in sync");
    }
    assertThat(run.out()).contains("regionsInSync: \"3/3\"");
  }

  @Test
  void aMissingPolicyFileIsAOneLineError() {
    Run run = demo("--policy", "no/such/policy.yaml");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: --policy no/such/policy.yaml is not a readable file");
  }
}
