package io.allowedami.simulator;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The `simulator` command: runs the Allowed AMIs simulator standalone until killed. */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = "Runs the Allowed AMIs simulator: an EC2 + STS endpoint for AWS SDKs and CLIs.")
public final class SimulatorCommand implements Callable<Integer> {

  public static final int DEFAULT_PORT = 8766;

  @Option(
      names = "--port",
      defaultValue = "" + DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--world",
      description = "World file (YAML or JSON); default: the built-in demo world.")
  Path world;

  @Option(names = "--no-throttling", description = "Disable EC2's default request throttling.")
  boolean noThrottling;

  @Override
  public Integer call() throws InterruptedException {
    SimulatorWorld loaded =
        world == null ? SimulatorWorld.defaultWorld() : SimulatorWorld.load(world);
    Ec2Simulator simulator = Ec2Simulator.start(loaded, host, port);
    simulator.faults().throttlingEnabled(!noThrottling);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "ec2-simulator-shutdown"));
    System.out.println("Allowed AMIs simulator listening on " + simulator.endpoint());
    System.out.println("Admin endpoint: " + simulator.endpoint() + Ec2Simulator.ADMIN_PATH);
    loaded
        .accounts()
        .forEach(
            account -> {
              System.out.println("Account " + account.id() + " (" + account.name() + ")");
              account
                  .accessKeys()
                  .forEach(
                      key ->
                          System.out.println(
                              "  AWS_ACCESS_KEY_ID="
                                  + key.id()
                                  + " AWS_SECRET_ACCESS_KEY="
                                  + key.secret()));
              account
                  .roles()
                  .forEach(
                      role ->
                          System.out.println(
                              "  role "
                                  + role.arn(account.id())
                                  + (role.externalId() == null
                                      ? ""
                                      : " (external ID " + role.externalId() + ")")));
            });
    System.out.println(
        "Regions: "
            + loaded.regions().size()
            + ", images: "
            + loaded.images().size()
            + ", instances: "
            + loaded.instances().size()
            + ", launch templates: "
            + loaded.launchTemplates().size());
    System.out.flush();
    new CountDownLatch(1).await();
    return 0;
  }
}
