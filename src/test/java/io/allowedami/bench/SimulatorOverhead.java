package io.allowedami.bench;

import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What the simulator itself adds to a call: sequential GetAllowedImagesSettings calls through the
 * AWS SDK on the Apache HTTP client (the operator's stack), with no injected latency, and with 50
 * ms injected (the time beyond the 50 ms is the overhead under the benchmark's latency).
 */
public final class SimulatorOverhead {
  static final Duration INJECTED = Duration.ofMillis(50);

  record Result(List<Double> bareMillis, List<Double> beyondInjectedMillis) {}

  private SimulatorOverhead() {}

  static Result measure(int calls) {
    try (Ec2Simulator simulator = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
        Ec2Client ec2 = client(simulator, "eu-west-1")) {
      simulator.faults().throttlingEnabled(false);
      time(ec2, 50); // warm-up: class loading, JIT, the connection
      List<Double> bare = time(ec2, calls);
      simulator.faults().latency(null, INJECTED);
      List<Double> beyond =
          time(ec2, Math.max(10, calls / 10)).stream().map(ms -> ms - INJECTED.toMillis()).toList();
      return new Result(bare, beyond);
    }
  }

  private static List<Double> time(Ec2Client ec2, int calls) {
    List<Double> millis = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      ec2.getAllowedImagesSettings(r -> {});
      millis.add((System.nanoTime() - start) / 1e6);
    }
    return millis;
  }

  static Ec2Client client(Ec2Simulator simulator, String region) {
    return Ec2Client.builder()
        .endpointOverride(simulator.endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    SimulatorWorld.DEFAULT_ACCESS_KEY_ID,
                    SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  /**
   * Prints the median time per call; run with and without Nagle as whole processes (BENCHMARKS.md).
   */
  public static void main(String[] args) {
    Result result = measure(args.length > 0 ? Integer.parseInt(args[0]) : 200);
    System.out.printf(
        "sun.net.httpserver.nodelay=%s: per call %.2f ms median, %.2f ms p90 (%d calls);"
            + " beyond 50 ms injected: %.2f ms median%n",
        System.getProperty("sun.net.httpserver.nodelay"),
        Stats.median(result.bareMillis()),
        Stats.percentile(result.bareMillis(), 90),
        result.bareMillis().size(),
        Stats.median(result.beyondInjectedMillis()));
  }
}
