package io.allowedami.testing;

import io.allowedami.aws.AwsClientSettings;
import io.allowedami.aws.SdkGatewayFactory;
import io.allowedami.simulator.Ec2Simulator;
import io.allowedami.simulator.SimulatorWorld;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The simulator on a random port and the production SDK gateway pointed at it with static keys. */
public final class SimulatedAws implements AutoCloseable {
  private final Ec2Simulator simulator;
  private final SdkGatewayFactory gateways;

  public SimulatedAws(SimulatorWorld world, MeterRegistry metrics) {
    simulator = Ec2Simulator.start(world, 0);
    gateways = newGateways(metrics);
  }

  public SimulatedAws(SimulatorWorld world) {
    this(world, new SimpleMeterRegistry());
  }

  /**
   * Another gateway factory to the same simulator, with no client or credentials cached yet (what a
   * restarted operator starts with); the caller closes it.
   */
  public SdkGatewayFactory newGateways(MeterRegistry metrics) {
    return new SdkGatewayFactory(
        AwsClientSettings.defaults().withEndpointOverride(simulator.endpoint()).withMaxAttempts(1),
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(
                SimulatorWorld.DEFAULT_ACCESS_KEY_ID, SimulatorWorld.DEFAULT_SECRET_ACCESS_KEY)),
        metrics);
  }

  public Ec2Simulator simulator() {
    return simulator;
  }

  public SdkGatewayFactory gateways() {
    return gateways;
  }

  @Override
  public void close() {
    gateways.close();
    simulator.close();
  }
}
