package io.allowedami.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The simulator adds next to nothing to a call: with Nagle's algorithm on, the JDK HTTP server's
 * body waited for the client's delayed ACK of the headers, about 40 ms on every call.
 */
class PerCallOverheadTest {

  static Ec2Simulator sim;

  @BeforeAll
  static void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    sim.faults().throttlingEnabled(false);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void whenTheSimulatorStarts_thenItsHttpServerSendsWithTcpNoDelay() {
    assertThat(System.getProperty(Ec2Simulator.NO_DELAY_PROPERTY)).isEqualTo("true");
  }

  @Test
  void whenNoLatencyIsInjected_thenTheMedianCallTakesFarLessThanADelayedAck() {
    try (Ec2Client ec2 = SimulatorClients.ec2(sim, "eu-west-1")) {
      for (int i = 0; i < 10; i++) {
        ec2.getAllowedImagesSettings(r -> {}); // connection, class loading, JIT
      }
      long[] nanos = new long[50];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        ec2.getAllowedImagesSettings(r -> {});
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      // About 2 ms with TCP_NODELAY, at least 40 ms (Linux's delayed ACK) without it.
      assertThat(nanos[nanos.length / 2] / 1_000_000).isLessThan(20);
    }
  }
}
