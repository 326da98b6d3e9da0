package io.allowedami.app;

import io.allowedami.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: `operator` in a cluster, `demo` on a laptop, `plan` in a pull request,
 * `simulator` for tests and trials.
 */
@Command(
    name = "allowed-ami-operator",
    mixinStandardHelpOptions = true,
    version = "allowed-ami-operator 0.1.0",
    description = "Keeps EC2 Allowed AMIs settings converged to AllowedAmiPolicy resources.",
    subcommands = {
      OperatorCommand.class,
      DemoCommand.class,
      PlanCommand.class,
      SimulatorCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("error: " + e.getMessage());
              return 2;
            });
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
