package io.allowedami.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the figures ran on: they mean little without it. */
final class Machine {
  private Machine() {}

  static String describe() {
    return "%d cores (%s), %s RAM, %s; Java %s (%s)"
        .formatted(
            Runtime.getRuntime().availableProcessors(),
            cpuModel().orElse("unknown CPU"),
            memTotal().orElse("unknown"),
            System.getProperty("os.name") + " " + System.getProperty("os.version"),
            System.getProperty("java.runtime.version"),
            System.getProperty("java.vm.name"));
  }

  /** The 1-, 5- and 15-minute load averages: on a shared machine, how noisy the times are. */
  static String load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return "load average %s %s %s".formatted(fields[0], fields[1], fields[2]);
    } catch (IOException e) {
      return "load average unknown";
    }
  }

  private static Optional<String> cpuModel() {
    return procLine(Path.of("/proc/cpuinfo"), "model name")
        .map(line -> line.substring(line.indexOf(':') + 1).trim());
  }

  private static Optional<String> memTotal() {
    return procLine(Path.of("/proc/meminfo"), "MemTotal:")
        .map(line -> line.replaceAll("\\D+", ""))
        .map(kb -> "%.1f GiB".formatted(Long.parseLong(kb) / 1024.0 / 1024.0));
  }

  static Optional<String> procLine(Path file, String prefix) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
