package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allowedami.aws.AwsClientSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class OperatorCommandTest {

  private static OperatorCommand parse(String... args) {
    return parseIn(Map.of(), args);
  }

  /** Parses as a pod with these environment variables would. */
  private static OperatorCommand parseIn(Map<String, String> environment, String... args) {
    OperatorCommand command = new OperatorCommand();
    command.environment = environment::get;
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void inAPod_leaderElectionIsOn_withThePodsNameAndNamespace() {
    LeaderElectionSettings election =
        parseIn(Map.of("POD_NAME", "operator-7d9f-x2", "POD_NAMESPACE", "ami-system"))
            .config()
            .leaderElection();

    assertThat(election.enabled()).isTrue();
    assertThat(election.identity()).isEqualTo("operator-7d9f-x2");
    assertThat(election.leaseNamespace()).contains("ami-system");
    assertThat(election.leaseName()).isEqualTo("allowed-ami-operator");
    assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(election.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theLeaseCanBeNamedAndPlaced_andElectionTurnedOff() {
    LeaderElectionSettings election =
        parseIn(
                Map.of("HOSTNAME", "host-1", "POD_NAMESPACE", "ami-system"),
                "--lease-name",
                "allowed-ami-operator-shard-a",
                "--lease-namespace",
                "ops")
            .config()
            .leaderElection();
    assertThat(election.identity()).isEqualTo("host-1");
    assertThat(election.leaseNamespace()).contains("ops");
    assertThat(election.leaseName()).isEqualTo("allowed-ami-operator-shard-a");

    assertThat(parse("--leader-election=false").config().leaderElection().enabled()).isFalse();
    assertThat(parse("--leader-election").config().leaderElection().enabled()).isTrue();
  }

  @Test
  void outsideAPod_theIdentityIsUniquePerProcess_andTheNamespaceIsLeftToTheClient() {
    LeaderElectionSettings first = parse().config().leaderElection();
    LeaderElectionSettings second = parse().config().leaderElection();

    assertThat(first.identity()).isNotBlank().isNotEqualTo(second.identity());
    assertThat(first.leaseNamespace()).isEmpty();
  }

  @Test
  void aPolicySelectorIsCheckedAtStart() {
    assertThat(parse().config().policySelector().selectsAll()).isTrue();
    assertThat(parse("--policy-selector", "shard in (a,b)").config().policySelector().expression())
        .isEqualTo("shard in (a,b)");
    assertThatThrownBy(() -> parse("--policy-selector", "shard in (a").config())
        .hasMessageStartingWith("--policy-selector: 'shard in (a' is not a label selector");
    assertThatThrownBy(() -> parse("--lease-name", "Not_A_Name").config())
        .hasMessageContaining("lease name 'Not_A_Name' is not a Kubernetes object name");
  }

  @Test
  void optionsBecomeOneImmutableConfiguration() {
    OperatorConfig config =
        parse(
                "--aws-endpoint-url",
                "http://127.0.0.1:8766",
                "--resync-interval",
                "90s",
                "--region-concurrency",
                "4",
                "--management-port",
                "9090",
                "--max-attempts",
                "5",
                "--sts-region",
                "eu-west-1")
            .config();

    assertThat(config.aws().endpointOverride()).contains(URI.create("http://127.0.0.1:8766"));
    assertThat(config.aws().stsRegion()).isEqualTo("eu-west-1");
    assertThat(config.aws().maxAttempts()).isEqualTo(5);
    assertThat(config.reconcile().defaultResyncInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.regionConcurrency()).isEqualTo(4);
    assertThat(config.managementPort()).isEqualTo(9090);
  }

  @Test
  void withoutOptionsTheDefaultsTalkToAws() {
    OperatorConfig config = parse().config();

    assertThat(config.aws().endpointOverride()).isEmpty();
    assertThat(config.reconcile().defaultResyncInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.regionConcurrency()).isEqualTo(AwsClientSettings.DEFAULT_REGION_CONCURRENCY);
    assertThat(config.regionConcurrency())
        .as("EC2's 17 default Regions in one wave")
        .isGreaterThanOrEqualTo(17);
  }

  @Test
  void theAwsConnectionPoolIsSizedFromTheRegionConcurrency() {
    for (int concurrency : new int[] {1, 8, 64, 256}) {
      OperatorConfig config = parse("--region-concurrency", String.valueOf(concurrency)).config();

      assertThat(config.aws().maxConnections())
          .as("a connection per call a Region worker has in flight, and room for STS")
          .isEqualTo(5 * concurrency + AwsClientSettings.STS_CONNECTIONS);
    }
  }

  @Test
  void awsClientsAreReleasedAfterTwiceTheResyncIntervalUnlessToldOtherwise() {
    assertThat(parse("--resync-interval", "7m").config().aws().idleClientTimeout())
        .isEqualTo(Duration.ofMinutes(14));
    assertThat(
            parse("--resync-interval", "7m", "--aws-client-idle-timeout", "1h")
                .config()
                .aws()
                .idleClientTimeout())
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aConfigurationWhosePoolCannotServeEveryRegionWorkerIsRejected() {
    OperatorConfig defaults = OperatorConfig.defaults();
    assertThatThrownBy(
            () ->
                new OperatorConfig(
                    defaults.aws().withRegionConcurrency(8),
                    defaults.reconcile(),
                    64,
                    defaults.managementPort()))
        .hasMessageContaining("connection pool (48)")
        .hasMessageContaining("64 Regions");
  }

  @Test
  void badValuesAreRejectedWithAClearMessage() {
    assertThatThrownBy(() -> parse("--resync-interval", "5 minutes").config())
        .hasMessageContaining("--resync-interval '5 minutes'");
    assertThatThrownBy(() -> parse("--resync-interval", "2s").config())
        .hasMessageContaining("below the minimum");
    assertThatThrownBy(() -> parse("--aws-endpoint-url", "localhost:8766").config())
        .hasMessageContaining("is not an http(s) URL");
    assertThatThrownBy(() -> parse("--region-concurrency", "0").config())
        .hasMessage("--region-concurrency 0 is out of range: it must be between 1 and 256");
    assertThatThrownBy(() -> parse("--region-concurrency", "257").config())
        .hasMessage("--region-concurrency 257 is out of range: it must be between 1 and 256");
    assertThatThrownBy(() -> parse("--aws-client-idle-timeout", "later").config())
        .hasMessageContaining("--aws-client-idle-timeout 'later'");
    assertThatThrownBy(() -> parse("--aws-client-idle-timeout", "0s").config())
        .hasMessageContaining("longer than 0s");
    assertThatThrownBy(() -> parse("--max-attempts", "0").config())
        .hasMessageContaining("at least 1");
  }

  @Test
  void aBadOptionValueIsOneLineWithoutAStackTrace() {
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLine()
            .setErr(new PrintWriter(err))
            .execute("operator", "--resync-interval", "soon");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: --resync-interval 'soon'");
  }

  @Test
  void aCommandLineMistakeIsOneLineWithoutUsageOrStackTrace() {
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLine()
            .setErr(new PrintWriter(err))
            .execute("operator", "--region-concurrency", "lots");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: Invalid value for option '--region-concurrency'")
        .endsWith("(see allowed-ami-operator operator --help)");
  }

  /** Stands for any failure nobody anticipated, such as an unreachable Kubernetes API. */
  @Command(name = "fail")
  static final class FailingCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException(
          "cannot start the operator", new ConnectException("Connection refused"));
    }
  }

  @Test
  void anUnexpectedFailureIsReportedWithItsMessageAndStackTrace() {
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLine()
            .addSubcommand(new FailingCommand())
            .setErr(new PrintWriter(err))
            .execute("fail");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: cannot start the operator" + System.lineSeparator())
        .contains("java.lang.IllegalStateException: cannot start the operator")
        .contains("at io.allowedami.app.OperatorCommandTest$FailingCommand.call")
        .contains("Caused by: java.net.ConnectException: Connection refused");
  }
}
