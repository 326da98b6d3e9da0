package io.allowedami.bench;

import io.allowedami.simulator.SimulatorWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged operator jar in a process of its own, as the container runs it ({@code java <flags>
 * -jar allowed-ami-operator.jar operator}), pointed at this process's Kubernetes API and simulator,
 * so that its memory and CPU are its own: read from /proc, its GC log and its /metrics.
 */
final class OperatorProcess implements AutoCloseable {
  private static final Pattern MANAGEMENT_PORT = Pattern.compile("management port (\\d+)");
  private static final Pattern GC_SIZES =
      Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
  private static final Pattern HEAP_USED =
      Pattern.compile(
          "^\\s*(?:def new generation|tenured generation|garbage-first"
              + " heap|PSYoungGen|ParOldGen)\\s.*used (\\d+)K");
  private static final Pattern GC_PAUSE =
      Pattern.compile("Pause (?:Young|Full).* (\\d+\\.\\d+)ms$");
  private static final long CLOCK_TICKS = clockTicks();

  private final Process process;
  private final long startNanos;
  private final LocalTime startedAt;
  private final Path log;
  private final Path gcLog;

  private OperatorProcess(
      Process process, long startNanos, LocalTime startedAt, Path log, Path gcLog) {
    this.process = process;
    this.startNanos = startNanos;
    this.startedAt = startedAt;
    this.log = log;
    this.gcLog = gcLog;
  }

  /** The shaded jar {@code mvn package} builds; fails with the command to run when absent. */
  static Path packagedJar() {
    return findPackagedJar().orElseThrow(OperatorProcess::noJar);
  }

  static Optional<Path> findPackagedJar() {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("allowed-ami-operator-.*\\.jar"))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static IllegalStateException noJar() {
    return new IllegalStateException(
        "no packaged jar in target/: run `mvn -B -q -o package -DskipTests` first (or use the"
            + " bench profile, which packages before it runs)");
  }

  /**
   * Starts {@code java <jvmFlags> -jar <jar> operator <args>} against the Kubernetes API at {@code
   * kubernetes} and the simulator at {@code aws}, with the simulator's operator keys; its output
   * and GC log go to {@code workDir}.
   */
  static OperatorProcess start(
      String label,
      List<String> jvmFlags,
      URI kubernetes,
      URI aws,
      List<String> operatorArgs,
      Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(label + ".log");
      Path gcLog = workDir.resolve(label + ".gc.log");
      Files.deleteIfExists(gcLog);
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(jvmFlags);
      command.add("-Xlog:gc:file=" + gcLog);
      command.addAll(List.of("-jar", packagedJar().toString(), "operator"));
      command.addAll(List.of("--aws-endpoint-url", aws.toString(), "--management-port", "0"));
      command.addAll(operatorArgs);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> env = builder.environment();
      env.put("KUBERNETES_MASTER", kubernetes.toString());
      env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
      env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
      env.put("KUBERNETES_NAMESPACE", "default");
      env.put("AWS_ACCESS_KEY_ID", SimulatorWorld.DEFAULT_ACCESS_KEY_ID);
      env.put("AWS_SECRET_ACCESS_KEY", SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY);
      env.remove("AWS_SESSION_TOKEN");
      env.remove("AWS_PROFILE");
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      env.remove("JAVA_TOOL_OPTIONS");
      env.remove("JDK_JAVA_OPTIONS");
      LocalTime startedAt = LocalTime.now();
      long start = System.nanoTime();
      return new OperatorProcess(builder.start(), start, startedAt, log, gcLog);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Throws when the process has exited: nothing the benchmark waits for will come. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the operator exited with " + process.exitValue() + ": see " + log);
    }
  }

  /** System.nanoTime() just before the process was started. */
  long startNanos() {
    return startNanos;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** A field of /proc/PID/status in KiB (VmRSS, VmHWM), or -1 once the process is gone. */
  long statusKiB(String field) {
    return Machine.procLine(Path.of("/proc", Long.toString(pid()), "status"), field + ":")
        .map(line -> Long.parseLong(line.replaceAll("\\D+", "")))
        .orElse(-1L);
  }

  long threads() {
    return Machine.procLine(Path.of("/proc", Long.toString(pid()), "status"), "Threads:")
        .map(line -> Long.parseLong(line.replaceAll("\\D+", "")))
        .orElse(-1L);
  }

  /** User plus system CPU seconds the process has used so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The management port the operator logged once it started; waits for it. */
  int managementPort(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      Optional<Integer> port = logged(MANAGEMENT_PORT).map(Integer::parseInt);
      if (port.isPresent()) {
        return port.get();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the operator did not start within " + timeout + ": " + log);
  }

  /**
   * Milliseconds from process start to the first log line containing {@code text} (the log's
   * timestamps have millisecond resolution), or empty.
   */
  OptionalDouble millisUntilLogged(String text) {
    try {
      return Files.readAllLines(log).stream()
          .filter(l -> l.contains(text))
          .findFirst()
          .map(l -> LocalTime.parse(l.substring(0, 12)))
          .map(t -> OptionalDouble.of(Duration.between(startedAt, t).toNanos() / 1e6))
          .orElse(OptionalDouble.empty());
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  private Optional<String> logged(Pattern pattern) {
    try {
      Matcher m = pattern.matcher(Files.readString(log));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A Prometheus sample's value (summed over label sets) from the operator's /metrics. */
  OptionalDouble metric(int managementPort, String name) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response
          .body()
          .lines()
          .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .reduce(Double::sum);
    } catch (IOException e) {
      return OptionalDouble.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /**
   * The most heap the process used, in MiB: the largest occupancy before a collection in its GC
   * log, or what it uses now if that is more.
   */
  double peakHeapMiB() {
    double peak = 0;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_SIZES.matcher(line);
        if (m.find()) {
          peak = Math.max(peak, mebibytes(m.group(1), m.group(2)));
        }
      }
    } catch (IOException e) {
      // no collection yet
    }
    return Math.max(peak, currentHeapMiB());
  }

  /** The collections in the GC log so far: how many were full, and the seconds spent paused. */
  record Collections(int total, int full, double pausedSeconds) {
    @Override
    public String toString() {
      return "%d collections, %d full, %.1f s paused".formatted(total, full, pausedSeconds);
    }
  }

  Collections collections() {
    int total = 0;
    int full = 0;
    double paused = 0;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_PAUSE.matcher(line);
        if (m.find()) {
          total++;
          full += line.contains("Pause Full") ? 1 : 0;
          paused += Double.parseDouble(m.group(1)) / 1000;
        }
      }
    } catch (IOException e) {
      // no log yet
    }
    return new Collections(total, full, paused);
  }

  /** Heap in use now, from {@code jcmd PID GC.heap_info}. */
  double currentHeapMiB() {
    try {
      return jcmd("GC.heap_info")
              .lines()
              .map(HEAP_USED::matcher)
              .filter(Matcher::find)
              .mapToLong(m -> Long.parseLong(m.group(1)))
              .sum()
          / 1024.0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Runs {@code jcmd PID <command>} and returns what it prints. */
  String jcmd(String... command) throws IOException, InterruptedException {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid())));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  private static double mebibytes(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }

  /** Stops the operator as Kubernetes does (SIGTERM), then waits for it to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
