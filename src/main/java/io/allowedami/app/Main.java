package io.allowedami.app;

import io.allowedami.simulator.SimulatorCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

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
        .setParameterExceptionHandler(Main::reportUsageError)
        .setExecutionExceptionHandler(Main::reportFailure);
  }

  /**
   * A mistake in the command line or the configuration it describes: one line that says what is
   * wrong, no stack trace and no page of usage.
   */
  private static int reportUsageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command
        .getErr()
        .printf(
            "error: %s (see %s --help)%n",
            e.getMessage(), command.getCommandSpec().qualifiedName());
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Anything else was not expected: the message first, then the stack trace to find its cause. */
  private static int reportFailure(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
    e.printStackTrace(err);
    err.flush();
    return command.getCommandSpec().exitCodeOnExecutionException();
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
