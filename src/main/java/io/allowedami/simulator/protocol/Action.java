package io.allowedami.simulator.protocol;

import java.util.Set;

/**
 * One API action the simulator answers: its service, throttling kind, accepted parameters and
 * handler.
 */
public record Action(
    String name, AwsService service, Kind kind, Set<String> parameters, Handler handler) {

  /** Whether an action reads or writes, which picks EC2's default throttling bucket. */
  public enum Kind {
    READ,
    WRITE
  }

  /** Parameters every request may carry besides the action's own. */
  public static final Set<String> COMMON_PARAMETERS = Set.of("Action", "Version", "DryRun");

  /** Writes the body of the success response, or throws an {@link ApiException}. */
  @FunctionalInterface
  public interface Handler {
    void handle(CallContext call, XmlWriter response);
  }

  public Action {
    parameters = Set.copyOf(parameters);
  }
}
