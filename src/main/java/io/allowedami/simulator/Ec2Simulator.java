package io.allowedami.simulator;

import com.sun.net.httpserver.HttpServer;
import io.allowedami.simulator.ec2.AllowedImagesSettingsActions;
import io.allowedami.simulator.ec2.DescribeImagesAction;
import io.allowedami.simulator.ec2.DescribeInstanceImageMetadataAction;
import io.allowedami.simulator.ec2.DescribeLaunchTemplateVersionsAction;
import io.allowedami.simulator.ec2.DescribeLaunchTemplatesAction;
import io.allowedami.simulator.ec2.DescribeRegionsAction;
import io.allowedami.simulator.http.AdminHandler;
import io.allowedami.simulator.http.QueryRequestHandler;
import io.allowedami.simulator.protocol.Action;
import io.allowedami.simulator.state.CredentialStore;
import io.allowedami.simulator.state.ImageCatalog;
import io.allowedami.simulator.state.InstanceInventory;
import io.allowedami.simulator.state.LaunchTemplateStore;
import io.allowedami.simulator.state.SettingsStore;
import io.allowedami.simulator.state.SimulatorState;
import io.allowedami.simulator.sts.StsActions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Allowed AMIs simulator: an EC2 and STS endpoint that AWS SDKs and CLIs talk to unmodified
 * (endpoint override, static credentials), with fault injection, out-of-band changes and call
 * counters.
 */
public final class Ec2Simulator implements AutoCloseable {

  /** Path prefix of the JSON admin endpoint; AWS Query requests are posted to "/". */
  public static final String ADMIN_PATH = "/_admin";

  /**
   * The JDK HTTP server sends a response's headers and its body in two writes. With Nagle's
   * algorithm on, the body waits until the client acknowledges the headers, and clients delay that
   * acknowledgement (40 ms on Linux): every call cost about 45 ms instead of 2. This property sets
   * TCP_NODELAY on the server's connections. The JDK reads it once, when the process creates its
   * first HttpServer, so it is set before this class creates one; an explicit {@code -D} wins.
   */
  public static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final SimulatorState state;
  private final FaultInjector faults;
  private final CallCounters counters = new CallCounters();
  private final URI endpoint;

  private Ec2Simulator(SimulatorWorld world, String host, int port) throws IOException {
    SettingsStore settings = new SettingsStore();
    world
        .settings()
        .forEach(
            s -> settings.setOutOfBand(s.accountId(), s.region(), s.state(), s.imageCriteria()));
    state =
        new SimulatorState(
            world.regions(),
            settings,
            new ImageCatalog(world.images()),
            new InstanceInventory(world.instances()),
            new LaunchTemplateStore(world.launchTemplates(), world.ssmParameters()),
            new CredentialStore(world.accounts(), world.clock()),
            world.clock());
    faults = new FaultInjector(settings);
    List<Action> actions = new ArrayList<>(new AllowedImagesSettingsActions(settings).actions());
    actions.add(new DescribeInstanceImageMetadataAction(state).action());
    actions.add(new DescribeImagesAction(state).action());
    actions.add(new DescribeLaunchTemplatesAction(state).action());
    actions.add(new DescribeLaunchTemplateVersionsAction(state).action());
    actions.add(new DescribeRegionsAction(state).action());
    actions.addAll(new StsActions(state.credentials()).actions());

    server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.createContext("/", new QueryRequestHandler(actions, state, faults, counters));
    server.createContext(ADMIN_PATH, new AdminHandler(state, faults, counters, outOfBand()));
    executor = Executors.newCachedThreadPool(daemonThreads());
    server.setExecutor(executor);
    server.start();
    endpoint = URI.create("http://" + hostForUri(host) + ":" + server.getAddress().getPort());
  }

  /** Starts on 127.0.0.1; port 0 picks a free port. */
  public static Ec2Simulator start(SimulatorWorld world, int port) {
    return start(world, "127.0.0.1", port);
  }

  /** Starts on the given interface (for example 0.0.0.0 in a container). */
  public static Ec2Simulator start(SimulatorWorld world, String host, int port) {
    try {
      return new Ec2Simulator(world, host, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulator on " + host + ":" + port, e);
    }
  }

  /** The endpoint override for both the EC2 and the STS client. */
  public URI endpoint() {
    return endpoint;
  }

  public FaultInjector faults() {
    return faults;
  }

  public OutOfBand outOfBand() {
    return new OutOfBand(state.settings(), state);
  }

  public CallCounters counters() {
    return counters;
  }

  /** The instances, changeable at runtime: add, terminate, remove. */
  public InstanceInventory instances() {
    return state.instances();
  }

  /** The images, changeable at runtime: add, deregister. */
  public ImageCatalog images() {
    return state.images();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static String hostForUri(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "ec2-simulator-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
