package io.allowedami.bench;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container as the Dockerfile and the Deployment make it, without a Docker engine: the JVM
 * flags of the Dockerfile's ENTRYPOINT and of the Deployment's JAVA_TOOL_OPTIONS, read from those
 * files, and the AppCDS archive built by the Dockerfile's steps (a class list from a run of the
 * demo, then {@code -Xshare:dump} against the packaged jar).
 */
final class ContainerImage {
  /** Where the image keeps the archive (the Dockerfile's paths, replaced by the harness's). */
  static final String IMAGE_ARCHIVE = "/app/operator.jsa";

  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path DEPLOYMENT = Path.of("deploy", "base", "deployment.yaml");
  private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$");

  private ContainerImage() {}

  /**
   * The Deployment's JAVA_TOOL_OPTIONS, then the ENTRYPOINT's flags with the archive at {@code
   * archive}: the order in which the JVM reads them.
   */
  static List<String> jvmFlags(Path archive) {
    List<String> flags = new ArrayList<>(javaToolOptions());
    for (String flag : entrypointFlags()) {
      flags.add(flag.replace(IMAGE_ARCHIVE, archive.toAbsolutePath().toString()));
    }
    return flags;
  }

  /** The flags between {@code java} and {@code -jar} in the Dockerfile's ENTRYPOINT. */
  static List<String> entrypointFlags() {
    try {
      Matcher m = ENTRYPOINT.matcher(Files.readString(DOCKERFILE));
      if (!m.find()) {
        throw new IllegalStateException("no ENTRYPOINT [...] in " + DOCKERFILE);
      }
      List<String> words =
          Arrays.stream(m.group(1).split(","))
              .map(w -> w.strip().replaceAll("^\"|\"$", ""))
              .toList();
      return words.subList(1, words.indexOf("-jar"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> javaToolOptions() {
    try {
      Deployment deployment =
          Serialization.unmarshal(Files.readString(DEPLOYMENT), Deployment.class);
      String options =
          deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
              .map(EnvVar::getValue)
              .findFirst()
              .orElse("");
      return options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The archive the Dockerfile builds, built again when the packaged jar is newer: the demo (the
   * production operator against the in-process Kubernetes API and the simulator) run from the
   * classes and runtime dependencies with {@code -XX:DumpLoadedClassList}, then {@code
   * -Xshare:dump} of that list against the jar. Checked by mapping it with {@code -Xshare:on}.
   */
  static Path cdsArchive(Path workDir) throws IOException, InterruptedException {
    Path jar = OperatorProcess.packagedJar().toAbsolutePath();
    Path archive = workDir.resolve("operator.jsa").toAbsolutePath();
    if (Files.isRegularFile(archive)
        && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
      return archive;
    }
    Files.createDirectories(workDir);
    Path classpathFile = workDir.resolve("runtime-classpath.txt").toAbsolutePath();
    Path classList = workDir.resolve("operator.classlist").toAbsolutePath();
    Files.deleteIfExists(archive);
    run(
        workDir.resolve("cds-classpath.log"),
        List.of(
            "mvn",
            "-B",
            "-q",
            "dependency:build-classpath",
            "-Dmdep.includeScope=runtime",
            "-Dmdep.outputFile=" + classpathFile));
    String classpath = "target/classes:" + Files.readString(classpathFile).strip();
    run(
        workDir.resolve("cds-training.log"),
        List.of(
            java(),
            "-XX:DumpLoadedClassList=" + classList,
            "-cp",
            classpath,
            "io.allowedami.app.Main",
            "demo"));
    run(
        workDir.resolve("cds-dump.log"),
        List.of(
            java(),
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + classList,
            "-XX:SharedArchiveFile=" + archive,
            "-cp",
            jar.toString()));
    // -Xshare:on fails instead of running without the archive when it does not match the jar.
    run(
        workDir.resolve("cds-check.log"),
        List.of(
            java(),
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive,
            "-jar",
            jar.toString(),
            "-h"));
    return archive;
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static void run(Path log, List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "building the CDS archive failed: " + String.join(" ", command) + "; see " + log);
    }
  }
}
