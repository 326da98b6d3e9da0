package io.allowedami.simulator;

import io.allowedami.simulator.model.AccessKey;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ModelMappers;
import io.allowedami.simulator.model.OptInStatus;
import io.allowedami.simulator.model.SeededSettings;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.model.WorldAccount;
import io.allowedami.simulator.model.WorldImage;
import io.allowedami.simulator.model.WorldInstance;
import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.model.WorldRegion;
import io.allowedami.simulator.model.WorldRole;
import io.allowedami.simulator.model.WorldSsmParameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The seed of a simulation: accounts and their keys and roles, Regions, images, instances and
 * initial settings, plus the clock date conditions are evaluated against. Immutable.
 */
public final class SimulatorWorld {

  /** The "operator" account of the default world and its static credentials. */
  /** The 17 Regions enabled in the default world (every commercial Region without opt-in). */
  public static final List<String> DEFAULT_REGIONS =
      List.of(
          "us-east-1",
          "us-east-2",
          "us-west-1",
          "us-west-2",
          "ca-central-1",
          "eu-west-1",
          "eu-west-2",
          "eu-west-3",
          "eu-central-1",
          "eu-north-1",
          "ap-south-1",
          "ap-northeast-1",
          "ap-northeast-2",
          "ap-northeast-3",
          "ap-southeast-1",
          "ap-southeast-2",
          "sa-east-1");

  public static final String DEFAULT_ACCOUNT_ID = "111122223333";

  public static final String DEFAULT_ACCESS_KEY_ID = "AKIASIMOPERATOR00001";
  public static final String DEFAULT_SECRET_ACCESS_KEY = "simulator/operator/SecretAccessKey000001";

  /**
   * The second account of the default world, reachable with AssumeRole from the operator account.
   */
  public static final String MEMBER_ACCOUNT_ID = "444455556666";

  public static final String MEMBER_ACCESS_KEY_ID = "AKIASIMWORKLOADS0001";
  public static final String MEMBER_SECRET_ACCESS_KEY = "simulator/workloads/SecretAccessKey00001";
  public static final String MEMBER_ROLE_NAME = "AllowedAmiOperatorRole";
  public static final String MEMBER_ROLE_ARN =
      "arn:aws:iam::" + MEMBER_ACCOUNT_ID + ":role/" + MEMBER_ROLE_NAME;
  public static final String MEMBER_EXTERNAL_ID = "allowed-ami-operator-external-id";

  /**
   * A second role of the member account: the one deploy/iam-cross-account.md has users create and
   * deploy/examples/04-cross-account.yaml assumes, so that the example runs as written.
   */
  public static final String MEMBER_DEPLOY_ROLE_NAME = "allowed-ami-operator";

  public static final String MEMBER_DEPLOY_ROLE_ARN =
      "arn:aws:iam::" + MEMBER_ACCOUNT_ID + ":role/" + MEMBER_DEPLOY_ROLE_NAME;
  public static final String MEMBER_DEPLOY_EXTERNAL_ID = "allowed-ami-operator";

  private final List<WorldAccount> accounts;
  private final List<WorldRegion> regions;
  private final List<WorldImage> images;
  private final List<WorldInstance> instances;
  private final List<SeededSettings> settings;
  private final List<WorldLaunchTemplate> launchTemplates;
  private final List<WorldSsmParameter> ssmParameters;
  private final Clock clock;

  /** The shape of a world file (YAML or JSON). */
  record WorldFile(
      List<WorldAccount> accounts,
      List<WorldRegion> regions,
      List<WorldImage> images,
      List<WorldInstance> instances,
      List<SeededSettings> settings,
      List<WorldLaunchTemplate> launchTemplates,
      List<WorldSsmParameter> ssmParameters) {}

  private SimulatorWorld(
      List<WorldAccount> accounts,
      List<WorldRegion> regions,
      List<WorldImage> images,
      List<WorldInstance> instances,
      List<SeededSettings> settings,
      List<WorldLaunchTemplate> launchTemplates,
      List<WorldSsmParameter> ssmParameters,
      Clock clock) {
    this.accounts = List.copyOf(accounts);
    this.regions = List.copyOf(regions);
    this.images = List.copyOf(images);
    this.instances = List.copyOf(instances);
    this.settings = List.copyOf(settings);
    this.launchTemplates = List.copyOf(launchTemplates);
    this.ssmParameters = List.copyOf(ssmParameters);
    this.clock = clock;
    validate();
  }

  /**
   * The built-in demo world (17 Regions, several hundred instances), with dates relative to the
   * system clock.
   */
  public static SimulatorWorld defaultWorld() {
    return defaultWorld(Clock.systemUTC());
  }

  public static SimulatorWorld defaultWorld(Clock clock) {
    return DefaultWorld.build(clock);
  }

  /** Reads a world file: YAML for .yaml/.yml, JSON otherwise. Uses the system clock. */
  public static SimulatorWorld load(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    try {
      WorldFile world =
          (yaml ? ModelMappers.yaml() : ModelMappers.json())
              .readValue(file.toFile(), WorldFile.class);
      return new SimulatorWorld(
          orEmpty(world.accounts()),
          orEmpty(world.regions()),
          orEmpty(world.images()),
          orEmpty(world.instances()),
          orEmpty(world.settings()),
          orEmpty(world.launchTemplates()),
          orEmpty(world.ssmParameters()),
          Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read world file " + file + ": " + e.getMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public SimulatorWorld withClock(Clock newClock) {
    return new SimulatorWorld(
        accounts, regions, images, instances, settings, launchTemplates, ssmParameters, newClock);
  }

  /** This world with one more account (for example a third account with an assumable role). */
  public SimulatorWorld withAccount(WorldAccount account) {
    List<WorldAccount> more = new ArrayList<>(accounts);
    more.add(account);
    return new SimulatorWorld(
        more, regions, images, instances, settings, launchTemplates, ssmParameters, clock);
  }

  public List<WorldAccount> accounts() {
    return accounts;
  }

  public List<WorldRegion> regions() {
    return regions;
  }

  public List<WorldImage> images() {
    return images;
  }

  public List<WorldInstance> instances() {
    return instances;
  }

  public List<SeededSettings> settings() {
    return settings;
  }

  /** Launch templates of every account and Region, with their versions. */
  public List<WorldLaunchTemplate> launchTemplates() {
    return launchTemplates;
  }

  public List<WorldSsmParameter> ssmParameters() {
    return ssmParameters;
  }

  public Clock clock() {
    return clock;
  }

  private void validate() {
    List<String> regionNames = regions.stream().map(WorldRegion::name).toList();
    List<String> accountIds = accounts.stream().map(WorldAccount::id).toList();
    accounts.forEach(
        a ->
            require(
                a.id() != null && a.id().matches("\\d{12}"),
                "account IDs must have 12 digits: " + a.id()));
    images.forEach(
        i ->
            require(
                regionNames.contains(i.region()),
                "image " + i.imageId() + " is in an unknown Region " + i.region()));
    instances.forEach(
        i -> {
          require(
              regionNames.contains(i.region()),
              "instance " + i.instanceId() + " is in an unknown Region " + i.region());
          require(
              accountIds.contains(i.accountId()),
              "instance " + i.instanceId() + " belongs to an unknown account " + i.accountId());
        });
    settings.forEach(
        s ->
            require(
                accountIds.contains(s.accountId()) && regionNames.contains(s.region()),
                "settings for unknown account or Region: " + s.accountId() + "/" + s.region()));
    validateLaunchTemplates(regionNames, accountIds);
  }

  private void validateLaunchTemplates(List<String> regionNames, List<String> accountIds) {
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (WorldLaunchTemplate t : launchTemplates) {
      require(t != null, "a launch template is null");
      t.problem().ifPresent(p -> require(false, p));
      String self = "launch template " + t.launchTemplateId();
      require(regionNames.contains(t.region()), self + " is in an unknown Region " + t.region());
      require(
          accountIds.contains(t.accountId()),
          self + " belongs to an unknown account " + t.accountId());
      require(
          ids.add(t.launchTemplateId()), "duplicate launch template ID " + t.launchTemplateId());
      require(
          names.add(t.accountId() + "/" + t.region() + "/" + t.name()),
          "duplicate launch template name "
              + t.name()
              + " in account "
              + t.accountId()
              + " and "
              + t.region());
    }
    for (WorldSsmParameter p : ssmParameters) {
      require(
          p != null && p.name() != null && p.value() != null,
          "SSM parameters need a name and a value");
      require(
          accountIds.contains(p.accountId()) && regionNames.contains(p.region()),
          "SSM parameter "
              + p.name()
              + " of unknown account or Region: "
              + p.accountId()
              + "/"
              + p.region());
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid world: " + message);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** Builds small worlds in code, for tests. */
  public static final class Builder {
    private final Map<String, WorldAccount> accounts = new LinkedHashMap<>();
    private final List<WorldRegion> regions = new ArrayList<>();
    private final List<WorldImage> images = new ArrayList<>();
    private final List<WorldInstance> instances = new ArrayList<>();
    private final List<SeededSettings> settings = new ArrayList<>();
    private final List<WorldLaunchTemplate> launchTemplates = new ArrayList<>();
    private final List<WorldSsmParameter> ssmParameters = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder account(String id, String accessKeyId, String secretAccessKey) {
      return account(
          new WorldAccount(
              id, null, List.of(new AccessKey(accessKeyId, secretAccessKey)), List.of()));
    }

    public Builder account(WorldAccount account) {
      accounts.put(account.id(), account);
      return this;
    }

    /** Adds an assumable role to an account already added; a null external ID is not checked. */
    public Builder role(String accountId, String roleName, String externalId) {
      WorldAccount account = accounts.get(accountId);
      if (account == null) {
        throw new IllegalArgumentException("add account " + accountId + " before its roles");
      }
      List<WorldRole> roles = new ArrayList<>(account.roles());
      roles.add(new WorldRole(roleName, externalId));
      accounts.put(
          accountId, new WorldAccount(account.id(), account.name(), account.accessKeys(), roles));
      return this;
    }

    public Builder region(String name) {
      return region(name, OptInStatus.OPT_IN_NOT_REQUIRED);
    }

    public Builder region(String name, OptInStatus optInStatus) {
      regions.add(new WorldRegion(name, optInStatus));
      return this;
    }

    public Builder image(WorldImage image) {
      images.add(image);
      return this;
    }

    public Builder instance(WorldInstance instance) {
      instances.add(instance);
      return this;
    }

    public Builder settings(
        String accountId, String region, SettingsState state, List<Criterion> criteria) {
      settings.add(new SeededSettings(accountId, region, state, criteria));
      return this;
    }

    public Builder launchTemplate(WorldLaunchTemplate template) {
      launchTemplates.add(template);
      return this;
    }

    public Builder ssmParameter(String accountId, String region, String name, String imageId) {
      ssmParameters.add(new WorldSsmParameter(accountId, region, name, imageId));
      return this;
    }

    public SimulatorWorld build() {
      return new SimulatorWorld(
          List.copyOf(accounts.values()),
          regions,
          images,
          instances,
          settings,
          launchTemplates,
          ssmParameters,
          clock);
    }
  }
}
