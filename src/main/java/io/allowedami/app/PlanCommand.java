package io.allowedami.app;

import io.allowedami.aws.AwsClientSettings;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.plan.PlanJson;
import io.allowedami.plan.PlanReport;
import io.allowedami.plan.PlanText;
import io.allowedami.plan.Planner;
import io.allowedami.plan.PolicyFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Lets a pull request show what merging its policies would change in AWS before anything does:
 * reads only, and exits 0, 2 or 1 so that CI can gate the merge.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Print, per policy and Region, what the operator would change and the impact on running"
          + " instances, and per policy criteria that would allow every image in use by running"
          + " instances and launch templates, without writing anything: only"
          + " sts:GetCallerIdentity (sts:AssumeRole for policies with assumeRole),"
          + " ec2:GetAllowedImagesSettings, ec2:DescribeInstanceImageMetadata,"
          + " ec2:DescribeLaunchTemplateVersions and ec2:DescribeImages are called, never a"
          + " write, not even a DryRun.",
      "Credentials come from the AWS SDK's default chain."
    },
    // Picocli's own exit code for bad options is 2; here 2 means "changes pending".
    exitCodeOnInvalidInput = PlanReport.ERROR,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing would change: every Region matches its policy",
      "2:changes pending (including a switch to enabled that the safe-rollout gate holds)",
      "1:error: an invalid policy or option, an AWS error in any Region, a Region an"
          + " Organizations declarative policy keeps from the policy"
    })
public final class PlanCommand implements Callable<Integer> {

  /** How the plan is printed. */
  enum Output {
    TEXT,
    JSON
  }

  @Parameters(
      arity = "1..*",
      paramLabel = "POLICY_FILE",
      description = "AllowedAmiPolicy YAML files, one or several documents each.")
  List<Path> files;

  @Mixin AwsOptions aws;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      converter = OutputConverter.class,
      description = "text (for a CI log) or json (for tools); default ${DEFAULT-VALUE}.")
  Output output;

  @Option(
      names = "--region-concurrency",
      paramLabel = "N",
      defaultValue = "8",
      description = "Regions read in parallel (default ${DEFAULT-VALUE}).")
  int regionConcurrency;

  @Spec CommandSpec spec;

  /** Null: the SDK's default chain. Tests point plan at the simulator's keys. */
  AwsCredentialsProvider credentials;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Every failure ends here as exit 1: exit 2 here means "changes pending", not a usage error.
    try {
      if (regionConcurrency < 1 || regionConcurrency > 64) {
        throw new IllegalArgumentException(
            "--region-concurrency must be between 1 and 64, was " + regionConcurrency);
      }
      AwsClientSettings settings = aws.settings().withRegionConcurrency(regionConcurrency);
      var policies = PolicyFiles.read(files);
      try (SdkGatewayFactory gateways =
          new SdkGatewayFactory(
              settings,
              credentials != null ? credentials : DefaultCredentialsProvider.builder().build(),
              new SimpleMeterRegistry())) {
        PlanReport report =
            new Planner(gateways, regionConcurrency, Clock.systemUTC()).plan(policies);
        if (output == Output.JSON) {
          PlanJson.write(report, out);
        } else {
          PlanText.write(report, out);
        }
        return report.exitCode();
      }
    } catch (RuntimeException e) {
      out.flush();
      err.println("error: " + e.getMessage());
      err.flush();
      return PlanReport.ERROR;
    }
  }

  /** {@code text} or {@code json}, as users type them. */
  static final class OutputConverter implements ITypeConverter<Output> {
    @Override
    public Output convert(String value) {
      return switch (value) {
        case "text" -> Output.TEXT;
        case "json" -> Output.JSON;
        default -> throw new TypeConversionException("'" + value + "' is not text or json");
      };
    }
  }
}
