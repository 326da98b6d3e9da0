package io.allowedami.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's memory against the container's limit: what JAVA_TOOL_OPTIONS caps plus what no flag
 * caps must fit. Used on the base's Deployment and on the Helm chart's.
 */
final class JvmMemory {
  private static final long MIB = 1024 * 1024;

  /**
   * What no flag caps, measured with NMT and RSS on the packaged jar (100,000 instances, 17
   * Regions): ~120 thread stacks 13 MiB, symbols and GC 17 MiB, libraries and malloc ~45 MiB;
   * rounded up.
   */
  static final long UNCAPPED = 90 * MIB;

  /** The pools a flag must cap, so that the sum means something. */
  static final List<String> CAPS =
      List.of(
          "-Xmx",
          "-XX:MaxMetaspaceSize=",
          "-XX:ReservedCodeCacheSize=",
          "-XX:MaxDirectMemorySize=");

  private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");

  private JvmMemory() {}

  static void assertFitsTheLimit(Container container) {
    String options =
        container.getEnv().stream()
            .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no JAVA_TOOL_OPTIONS in " + container.getName()));
    assertThat(options)
        .as("a percentage of the limit as heap leaves what is outside the heap unaccounted")
        .doesNotContain("RAMPercentage")
        .doesNotContain("-XX:MaxRAM=");
    Map<String, Long> caps = new LinkedHashMap<>();
    for (String option : options.trim().split("\\s+")) {
      for (String cap : CAPS) {
        if (option.startsWith(cap)) {
          caps.put(cap, bytes(option.substring(cap.length())));
        }
      }
    }
    assertThat(caps.keySet())
        .as("capped pools in %s", options)
        .containsExactlyInAnyOrderElementsOf(CAPS);
    long limit = limitBytes(container, "limits");
    long worstCase = caps.values().stream().mapToLong(Long::longValue).sum() + UNCAPPED;
    assertThat(worstCase)
        .as(
            "%s MiB capped + %s MiB uncapped against a limit of %s MiB",
            (worstCase - UNCAPPED) / MIB, UNCAPPED / MIB, limit / MIB)
        .isLessThanOrEqualTo(limit);
    assertThat(limitBytes(container, "requests"))
        .as("memory request = limit: the JVM keeps what it has taken")
        .isEqualTo(limit);
  }

  private static long limitBytes(Container container, String which) {
    Map<String, Quantity> values =
        which.equals("limits")
            ? container.getResources().getLimits()
            : container.getResources().getRequests();
    assertThat(values).as("%s of %s", which, container.getName()).containsKey("memory");
    return Quantity.getAmountInBytes(values.get("memory")).longValueExact();
  }

  /** A JVM size: 192m, 1g, 65536. */
  static long bytes(String size) {
    Matcher m = SIZE.matcher(size);
    assertThat(m.matches()).as("JVM size %s", size).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase()) {
      case "k" -> n * 1024;
      case "m" -> n * MIB;
      case "g" -> n * 1024 * MIB;
      default -> n;
    };
  }
}
