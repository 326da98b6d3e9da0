package io.allowedami.plan;

import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import java.util.List;
import java.util.Objects;

/**
 * One AllowedAmiPolicy as read from a file, before validation: where it came from ({@code
 * file#document}), its name, its spec read leniently (null when absent), and what kept it from
 * being read at all (then nothing is planned for it).
 */
public record PolicyDocument(
    String source, String name, AllowedAmiPolicySpec spec, List<String> problems) {

  public PolicyDocument {
    Objects.requireNonNull(source, "source");
    problems = List.copyOf(problems);
  }

  static PolicyDocument unreadable(String source, String problem) {
    return new PolicyDocument(source, null, null, List.of(problem));
  }
}
