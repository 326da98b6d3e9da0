package io.allowedami.aws;

import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.domain.RegionAction;
import io.allowedami.domain.RegionInfo;
import io.allowedami.domain.RegionSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds and caches SDK clients: one shared Apache HTTP client sized for the Region concurrency and
 * one shared scheduler for the calls' timeouts, per account target one credentials provider
 * (assumed roles refresh themselves) and per Region one EC2 client. The clients of an account
 * target that no call has used for the idle timeout are closed (checked whenever a gateway is
 * handed out), so a role no policy assumes any more does not keep its clients and refresh threads
 * forever; they are built again on the next call.
 */
public final class SdkGatewayFactory implements AllowedImagesGatewayFactory {
  private static final Logger log = LoggerFactory.getLogger(SdkGatewayFactory.class);
  private static final String SESSION_NAME = "allowed-ami-operator";

  /** The name of the threads of the one scheduler every SDK client shares. */
  static final String SCHEDULER_THREAD_PREFIX = "aws-sdk-scheduler-";

  private static final int SCHEDULER_THREADS = 2;

  private final AwsClientSettings settings;
  private final AwsCredentialsProvider baseCredentials;
  private final ClientOverrideConfiguration overrides;
  private final SdkHttpClient httpClient;
  private final ScheduledThreadPoolExecutor scheduler;
  private final LongSupplier nanoTime;
  private final InstancePageLimit instancePages;
  private final long idleNanos;
  private final Map<AccountTarget, AccountClients> clientsByTarget = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SdkGatewayFactory(
      AwsClientSettings settings, AwsCredentialsProvider baseCredentials, MeterRegistry metrics) {
    this(settings, baseCredentials, metrics, System::nanoTime);
  }

  /** {@code nanoTime} measures idleness; tests pass a ticker they move by hand. */
  SdkGatewayFactory(
      AwsClientSettings settings,
      AwsCredentialsProvider baseCredentials,
      MeterRegistry metrics,
      LongSupplier nanoTime) {
    this(
        settings,
        baseCredentials,
        metrics,
        nanoTime,
        new InstancePageLimit(
            InstancePageLimit.DEFAULT_FULL_PAGES_AT_ONCE, SdkAllowedImagesGateway.MAX_PAGE_SIZE));
  }

  /** {@code instancePages} bounds the instances in flight across every account. */
  SdkGatewayFactory(
      AwsClientSettings settings,
      AwsCredentialsProvider baseCredentials,
      MeterRegistry metrics,
      LongSupplier nanoTime,
      InstancePageLimit instancePages) {
    this.instancePages = instancePages;
    this.settings = settings;
    this.baseCredentials = baseCredentials;
    this.nanoTime = nanoTime;
    this.idleNanos = settings.idleClientTimeout().toNanos();
    this.httpClient = ApacheHttpClient.builder().maxConnections(settings.maxConnections()).build();
    this.scheduler = sharedScheduler();
    this.overrides =
        ClientOverrideConfiguration.builder()
            // Else every client starts a scheduler of its own (up to 5 threads) for its timeouts:
            // 17 Regions over 100 accounts made ~9,000 threads. The SDK does not close a scheduler
            // it was given; close() does.
            .scheduledExecutorService(scheduler)
            .apiCallTimeout(settings.apiCallTimeout())
            .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
            // EC2's standard strategy: backoff with jitter, throttling-aware, bounded attempts.
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(settings.maxAttempts())
                    .build())
            .addExecutionInterceptor(new AwsCallMetrics(metrics))
            .build();
  }

  /**
   * The timeouts of every call (one per call, one per attempt) are scheduled here and nearly all
   * cancelled when the call ends: a task only interrupts a call, so two threads serve any number of
   * clients, and cancelled tasks leave the queue at once instead of when they would have fired.
   */
  private static ScheduledThreadPoolExecutor sharedScheduler() {
    AtomicInteger threads = new AtomicInteger();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            SCHEDULER_THREADS,
            task -> {
              Thread thread = new Thread(task, SCHEDULER_THREAD_PREFIX + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public AllowedImagesGateway forAccount(AccountTarget target) {
    releaseIdleClients();
    return new AccountGateway(target);
  }

  /** The account targets whose clients are open now. */
  Set<AccountTarget> openTargets() {
    return Set.copyOf(clientsByTarget.keySet());
  }

  /** Closes the clients of every account target no call has used for the idle timeout. */
  void releaseIdleClients() {
    long now = nanoTime.getAsLong();
    for (AccountTarget target : clientsByTarget.keySet()) {
      List<AccountClients> released = new ArrayList<>(1);
      // Under the map's lock for this target, so no call can lease the clients meanwhile.
      clientsByTarget.computeIfPresent(
          target,
          (t, clients) -> {
            if (clients.idleAt(now)) {
              released.add(clients);
              return null;
            }
            return clients;
          });
      for (AccountClients clients : released) {
        log.info(
            "closing the AWS clients of {}: unused for {}", target, settings.idleClientTimeout());
        clients.close();
      }
    }
  }

  /** Runs one call with the account's clients, built if needed, held open while it runs. */
  private <T> T withClients(AccountTarget target, Function<SdkAllowedImagesGateway, T> call) {
    AccountClients clients = lease(target);
    try {
      return call.apply(clients.gateway);
    } finally {
      clients.release();
    }
  }

  private AccountClients lease(AccountTarget target) {
    return clientsByTarget.compute(
        target,
        (t, existing) -> {
          if (closed) {
            throw new IllegalStateException("the AWS clients are closed");
          }
          AccountClients clients = existing != null ? existing : new AccountClients(t);
          clients.callsInFlight.incrementAndGet();
          return clients;
        });
  }

  private Ec2Client ec2Client(String region, AwsCredentialsProvider credentials) {
    var builder =
        Ec2Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(httpClient)
            .overrideConfiguration(overrides);
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private StsClient stsClient(AwsCredentialsProvider credentials) {
    var builder =
        StsClient.builder()
            .region(Region.of(settings.stsRegion()))
            .credentialsProvider(credentials)
            .httpClient(httpClient)
            .overrideConfiguration(overrides);
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public void close() {
    closed = true;
    for (AccountTarget target : clientsByTarget.keySet()) {
      AccountClients clients = clientsByTarget.remove(target);
      if (clients != null) {
        clients.close();
      }
    }
    httpClient.close();
    scheduler.shutdownNow();
  }

  /**
   * One account target's SDK clients and credentials, with the calls running on them and when the
   * last one ended.
   */
  private final class AccountClients {
    private final List<SdkAutoCloseable> accountWide = new ArrayList<>();
    private final Map<String, Ec2Client> ec2ByRegion = new ConcurrentHashMap<>();
    private final SdkAllowedImagesGateway gateway;
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private volatile long lastUsedNanos = nanoTime.getAsLong();

    AccountClients(AccountTarget target) {
      StsClient baseSts = stsClient(baseCredentials);
      accountWide.add(baseSts);
      AwsCredentialsProvider credentials = baseCredentials;
      StsClient sts = baseSts;
      if (target.roleArn().isPresent()) {
        StsAssumeRoleCredentialsProvider assumed =
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(baseSts)
                .refreshRequest(
                    r -> {
                      r.roleArn(target.roleArn().get())
                          .roleSessionName(target.sessionName().orElse(SESSION_NAME));
                      target.externalId().ifPresent(r::externalId);
                    })
                .build();
        accountWide.add(assumed);
        credentials = assumed;
        sts = stsClient(credentials);
        accountWide.add(sts);
      }
      AwsCredentialsProvider accountCredentials = credentials;
      gateway =
          new SdkAllowedImagesGateway(
              region -> ec2ByRegion.computeIfAbsent(region, r -> ec2Client(r, accountCredentials)),
              sts,
              settings.stsRegion(),
              instancePages);
    }

    boolean idleAt(long now) {
      return callsInFlight.get() == 0 && now - lastUsedNanos >= idleNanos;
    }

    void release() {
      lastUsedNanos = nanoTime.getAsLong();
      callsInFlight.decrementAndGet();
    }

    void close() {
      ec2ByRegion.values().forEach(SdkAutoCloseable::close);
      ec2ByRegion.clear();
      // The assumed-role provider before the STS client it calls.
      for (int i = accountWide.size() - 1; i >= 0; i--) {
        accountWide.get(i).close();
      }
    }
  }

  /**
   * The gateway handed out for an account target. It holds no client itself: each call leases the
   * target's clients, so a gateway kept across an idle release works on freshly built ones.
   */
  private final class AccountGateway implements AllowedImagesGateway {
    private final AccountTarget target;

    AccountGateway(AccountTarget target) {
      this.target = target;
    }

    @Override
    public String accountId() {
      return withClients(target, SdkAllowedImagesGateway::accountId);
    }

    @Override
    public RegionSettings getSettings(String region) {
      return withClients(target, aws -> aws.getSettings(region));
    }

    @Override
    public void checkPermission(String region, RegionAction action) {
      withClients(
          target,
          aws -> {
            aws.checkPermission(region, action);
            return null;
          });
    }

    @Override
    public void apply(String region, RegionAction action) {
      withClients(
          target,
          aws -> {
            aws.apply(region, action);
            return null;
          });
    }

    @Override
    public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
      withClients(
          target,
          aws -> {
            aws.describeInstanceImages(region, pages);
            return null;
          });
    }

    @Override
    public List<RegionInfo> describeRegions() {
      return withClients(target, SdkAllowedImagesGateway::describeRegions);
    }

    @Override
    public List<LaunchTemplateVersion> describeLaunchTemplateVersions(String region, int limit) {
      return withClients(target, aws -> aws.describeLaunchTemplateVersions(region, limit));
    }

    @Override
    public List<DescribedImage> describeImages(String region, Collection<String> imageIds) {
      return withClients(target, aws -> aws.describeImages(region, imageIds));
    }
  }
}
