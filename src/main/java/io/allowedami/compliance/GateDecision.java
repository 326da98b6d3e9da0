package io.allowedami.compliance;

import java.util.Objects;

/** The safe-rollout gate's answer, with the sentence status shows either way. */
public record GateDecision(boolean held, String message) {
  public GateDecision {
    Objects.requireNonNull(message, "message");
  }
}
