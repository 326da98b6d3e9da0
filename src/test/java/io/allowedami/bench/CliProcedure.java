package io.allowedami.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWS's documented audit-mode rollout with the AWS CLI, Region by Region, as people run it today:
 * the same four calls as {@link DocumentedProcedure}, one {@code aws} process each.
 */
final class CliProcedure {
  private CliProcedure() {}

  /** The installed CLI's version line, or empty when there is no {@code aws} on the PATH. */
  static Optional<String> version() {
    try {
      Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.waitFor() == 0 ? Optional.of(out.trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Rolls the Regions out one after another; milliseconds for each Region. */
  static List<Double> run(URI endpoint, String accessKeyId, String secretKey, List<String> regions)
      throws IOException, InterruptedException {
    List<Double> millis = new ArrayList<>();
    String criteria =
        "[{\"ImageProviders\":[\"" + String.join("\",\"", DocumentedProcedure.PROVIDERS) + "\"]}]";
    for (String region : regions) {
      long start = System.nanoTime();
      aws(
          endpoint,
          accessKeyId,
          secretKey,
          region,
          "enable-allowed-images-settings",
          "--allowed-images-settings-state",
          "audit-mode");
      aws(
          endpoint,
          accessKeyId,
          secretKey,
          region,
          "replace-image-criteria-in-allowed-images-settings",
          "--image-criteria",
          criteria);
      aws(
          endpoint,
          accessKeyId,
          secretKey,
          region,
          "describe-instance-image-metadata",
          "--filters",
          "Name=image-allowed,Values=false");
      String settings =
          aws(endpoint, accessKeyId, secretKey, region, "get-allowed-images-settings");
      if (!settings.contains("audit-mode")) {
        throw new IllegalStateException(region + " reads back " + settings);
      }
      millis.add((System.nanoTime() - start) / 1e6);
    }
    return millis;
  }

  private static String aws(
      URI endpoint, String accessKeyId, String secretKey, String region, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("aws", "ec2"));
    line.addAll(List.of(command));
    line.addAll(List.of("--endpoint-url", endpoint.toString(), "--region", region));
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("AWS_ACCESS_KEY_ID", accessKeyId);
    env.put("AWS_SECRET_ACCESS_KEY", secretKey);
    env.remove("AWS_SESSION_TOKEN");
    env.remove("AWS_PROFILE");
    env.put("AWS_PAGER", "");
    env.put("AWS_DEFAULT_OUTPUT", "json");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("aws ec2 " + command[0] + " failed: " + out);
    }
    return out;
  }
}
