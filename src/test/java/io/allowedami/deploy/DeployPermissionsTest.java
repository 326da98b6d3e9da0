package io.allowedami.deploy;

import static io.allowedami.deploy.Manifests.BASE;
import static io.allowedami.deploy.Manifests.NAME;
import static io.allowedami.deploy.Manifests.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AssumeRoleSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.app.InProcessKubernetes;
import io.allowedami.app.LeaderElectionSettings;
import io.allowedami.app.OperatorConfig;
import io.allowedami.app.OperatorRuntime;
import io.allowedami.app.OperatorRuntime.Leadership;
import io.allowedami.reconcile.ReconcileSettings;
import io.allowedami.simulator.CallCounters.CallKey;
import io.allowedami.simulator.SimulatorWorld;
import io.allowedami.testing.Policies;
import io.allowedami.testing.SimulatedAws;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The permissions deploy/ and iam/ grant are exactly what the operator uses. The real operator,
 * with leader election on as the base's Deployment runs it, wins the Lease, renews it, runs AWS's
 * rollout (audit-mode, enabled, then disabled), a cross-account policy and a deletion (through its
 * finalizer) against the in-process Kubernetes API and the EC2 simulator, and releases the Lease;
 * every Kubernetes request it sends and every AWS action it calls is recorded, and then checked
 * against the base's RBAC and iam/*.json both ways: nothing it did is left ungranted, nothing
 * granted is left unused. The API answers JOSDK's SelfSubjectRulesReview with the base's RBAC, so
 * the operator starts only if that RBAC passes JOSDK's check; a grant no request uses counts as
 * used only if the operator refuses to start without it.
 */
class DeployPermissionsTest {
  private static final String OPERATOR_ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  private static final String MEMBER_ACCOUNT = SimulatorWorld.MEMBER_ACCOUNT_ID;
  /** An opt-in Region among them, so that the operator needs DescribeRegions to resolve them. */
  private static final List<String> REGIONS = List.of("us-east-1", "af-south-1");

  /** The URLs Kubernetes lets every authenticated user read (system:discovery and friends). */
  private static final Set<String> PUBLIC_NON_RESOURCE_URLS =
      Set.of("/api", "/apis", "/version", "/healthz", "/livez", "/readyz", "/openapi/v2");

  /**
   * What Kubernetes lets every authenticated user do, so that the base need not grant it: the
   * default ClusterRole system:basic-user, bound to the group system:authenticated
   * (kubernetes/kubernetes, plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go). JOSDK
   * creates a SelfSubjectRulesReview before it contends for the Lease.
   */
  private static final Set<String> ALLOWED_TO_EVERY_AUTHENTICATED_USER =
      Set.of(
          "create authorization.k8s.io/selfsubjectaccessreviews in *",
          "create authorization.k8s.io/selfsubjectrulesreviews in *");

  /** "verb group/resource in namespace", as {@link KubernetesRequest#grant()} writes it. */
  private static final Pattern GRANT = Pattern.compile("(\\S+) ([^/ ]*)/(\\S+) in (\\S+)");

  private static final List<KubernetesRequest> kubernetesRequests = new CopyOnWriteArrayList<>();
  private static Map<CallKey, Long> awsCalls;

  /** What RBAC decides on: verb, API group, resource (with subresource), namespace or null. */
  record KubernetesRequest(
      String verb, String group, String resource, String namespace, String nonResourceUrl) {

    static KubernetesRequest of(String method, URI uri) {
      String[] parts = uri.getPath().replaceAll("^/|/$", "").split("/");
      int at;
      String group;
      if (parts.length >= 3 && parts[0].equals("api")) {
        group = "";
        at = 2;
      } else if (parts.length >= 4 && parts[0].equals("apis")) {
        group = parts[1];
        at = 3;
      } else {
        return new KubernetesRequest(method, null, null, null, uri.getPath());
      }
      String namespace = null;
      if (parts[at].equals("namespaces") && parts.length > at + 2) {
        namespace = parts[at + 1];
        at += 2;
      }
      String resource = parts[at];
      boolean named = parts.length > at + 1;
      if (parts.length > at + 2) {
        resource += "/" + parts[at + 2];
      }
      String query = uri.getQuery() == null ? "" : uri.getQuery();
      String verb =
          switch (method) {
            case "GET" ->
                named ? "get" : query.matches("(.*&)?watch=(true|1)(&.*)?") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
          };
      return new KubernetesRequest(verb, group, resource, namespace, null);
    }

    /** "verb group/resource in namespace", "*" standing for all namespaces and none. */
    String grant() {
      return verb + " " + group + "/" + resource + " in " + (namespace == null ? "*" : namespace);
    }
  }

  /**
   * The operator as the base's Deployment runs it: leader election on, with the default timings, on
   * a Lease in the base's namespace (the pod's POD_NAMESPACE).
   */
  private static OperatorConfig config() {
    OperatorConfig defaults = OperatorConfig.defaults();
    return new OperatorConfig(
            defaults.aws(),
            new ReconcileSettings(
                Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofMillis(100)),
            8,
            0)
        .withLeaderElection(
            LeaderElectionSettings.lease(
                LeaderElectionSettings.DEFAULT_LEASE_NAME,
                Optional.of(NAMESPACE),
                "allowed-ami-operator-0"));
  }

  @BeforeAll
  static void runTheOperatorThroughARolloutAndACrossAccountPolicy() {
    Set<String> granted = grantsToTheOperator(Manifests.build(BASE));
    try (InProcessKubernetes kubernetes = InProcessKubernetes.start();
        KubernetesClient client = kubernetes.newClient();
        KubernetesClient recorded = recordingClient(client);
        SimulatedAws aws = new SimulatedAws(SimulatorWorld.defaultWorld())) {
      kubernetes.answerRulesReviewsWith(namespace -> rulesIn(granted, namespace));
      aws.simulator().outOfBand().optInRegion("af-south-1");
      try (OperatorRuntime operator =
          OperatorRuntime.start(
              recorded, config(), aws.gateways(), new SimpleMeterRegistry(), Clock.systemUTC())) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> operator.leadership() == Leadership.LEADER);
        String own = "own-account";
        for (Mode mode : List.of(Mode.AUDIT_MODE, Mode.ENABLED, Mode.DISABLED)) {
          AllowedAmiPolicy policy = Policies.providers(own, mode, REGIONS, "amazon");
          client.resource(policy).createOr(existing -> existing.update());
          awaitReady(client, own);
        }
        AllowedAmiPolicy member =
            Policies.providers("member-account", Mode.AUDIT_MODE, List.of("us-east-1"), "amazon");
        AssumeRoleSpec role = new AssumeRoleSpec();
        role.setRoleArn(SimulatorWorld.MEMBER_ROLE_ARN);
        role.setExternalId(SimulatorWorld.MEMBER_EXTERNAL_ID);
        member.getSpec().setAssumeRole(role);
        client.resource(member).create();
        awaitReady(client, "member-account");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !client.v1().events().inNamespace("default").list().getItems().isEmpty());
        // Deleting goes through the operator's finalizer, which it removes with a patch.
        client.resources(AllowedAmiPolicy.class).withName(own).delete();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> client.resources(AllowedAmiPolicy.class).withName(own).get() == null);
        await().atMost(Duration.ofSeconds(30)).until(() -> leaseRenewed(client));
      }
      awsCalls = aws.simulator().counters().snapshot();
      client.resources(AllowedAmiPolicy.class).delete();
    }
  }

  private static void awaitReady(KubernetesClient client, String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> Policies.isReady(client.resources(AllowedAmiPolicy.class).withName(name).get()));
  }

  /** Whether the leader has renewed the Lease since it acquired it. */
  private static boolean leaseRenewed(KubernetesClient client) {
    Lease lease =
        client
            .leases()
            .inNamespace(NAMESPACE)
            .withName(LeaderElectionSettings.DEFAULT_LEASE_NAME)
            .get();
    return lease != null
        && lease.getSpec().getRenewTime().isAfter(lease.getSpec().getAcquireTime());
  }

  /**
   * What a SelfSubjectRulesReview in a namespace answers under these grants: the cluster-wide ones
   * and the namespace's own, one verb a rule.
   */
  private static List<ResourceRule> rulesIn(Set<String> grants, String namespace) {
    List<ResourceRule> rules = new ArrayList<>();
    for (String grant : grants) {
      Matcher parts = GRANT.matcher(grant);
      assertThat(parts.matches()).as(grant).isTrue();
      if (parts.group(4).equals("*") || parts.group(4).equals(namespace)) {
        rules.add(
            new ResourceRuleBuilder()
                .withVerbs(parts.group(1))
                .withApiGroups(parts.group(2))
                .withResources(parts.group(3))
                .build());
      }
    }
    return rules;
  }

  /**
   * Why the operator, started as {@link #config()} says against RBAC that grants everything but
   * {@code grant}, fails to start; empty if it starts.
   */
  private static Optional<String> refusalToStartWithout(Set<String> granted, String grant) {
    Set<String> fewer = new TreeSet<>(granted);
    fewer.remove(grant);
    try (InProcessKubernetes kubernetes = InProcessKubernetes.start();
        KubernetesClient client = kubernetes.newClient();
        SimulatedAws aws = new SimulatedAws(SimulatorWorld.defaultWorld())) {
      kubernetes.answerRulesReviewsWith(namespace -> rulesIn(fewer, namespace));
      try (OperatorRuntime operator =
          OperatorRuntime.start(
              client, config(), aws.gateways(), new SimpleMeterRegistry(), Clock.systemUTC())) {
        return Optional.empty();
      } catch (RuntimeException e) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
          messages.add(String.valueOf(cause.getMessage()));
        }
        return Optional.of(String.join(": ", messages));
      }
    }
  }

  /** A client on the same API that notes every request before it is sent. */
  private static KubernetesClient recordingClient(KubernetesClient client) {
    Interceptor recorder =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            kubernetesRequests.add(KubernetesRequest.of(request.method(), request.uri()));
          }
        };
    return new KubernetesClientBuilder()
        .withConfig(client.getConfiguration())
        .withKubernetesSerialization(PolicyJson.serialization())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record", recorder))
        .build();
  }

  @AfterAll
  static void forget() {
    kubernetesRequests.clear();
  }

  @Test
  void theBaseRbacGrantsExactlyTheKubernetesRequestsTheOperatorMakes() {
    Set<String> granted = grantsToTheOperator(Manifests.build(BASE));
    Set<String> used = new TreeSet<>();
    Set<String> allowedToEveryone = new TreeSet<>();
    for (KubernetesRequest request : kubernetesRequests) {
      if (request.nonResourceUrl() != null) {
        assertThat(request.nonResourceUrl())
            .as("a non-resource URL that needs RBAC of its own")
            .isIn(PUBLIC_NON_RESOURCE_URLS);
      } else if (ALLOWED_TO_EVERY_AUTHENTICATED_USER.contains(request.grant())) {
        allowedToEveryone.add(request.grant());
      } else {
        used.add(request.grant());
      }
    }
    assertThat(used).as("requests recorded").isNotEmpty();
    assertThat(allowedToEveryone)
        .as("JOSDK checks the Lease's RBAC before it contends")
        .contains("create authorization.k8s.io/selfsubjectrulesreviews in *");
    // A request to a namespace is also granted by a cluster-wide grant ("in *").
    Set<String> ungranted =
        used.stream()
            .filter(
                u -> !granted.contains(u) && !granted.contains(u.replaceFirst(" in .*", " in *")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ungranted).as("requests the base's RBAC forbids (granted: %s)", granted).isEmpty();
    Set<String> unused =
        granted.stream()
            .filter(
                g ->
                    g.endsWith(" in *")
                        ? used.stream().noneMatch(u -> sameGrant(u, g))
                        : !used.contains(g))
            .collect(Collectors.toCollection(TreeSet::new));
    // JOSDK checks verbs it does not send (update: fabric8 renews with a PATCH) and refuses to
    // start without them; such a grant is needed all the same. Any other is one too many.
    Map<String, Optional<String>> refusals = new TreeMap<>();
    unused.forEach(grant -> refusals.put(grant, refusalToStartWithout(granted, grant)));
    assertThat(refusals)
        .as("grants the operator never used, and why it cannot start without them (used: %s)", used)
        .allSatisfy(
            (grant, refusal) ->
                assertThat(refusal)
                    .as("%s: the operator starts without it", grant)
                    .hasValueSatisfying(
                        why -> assertThat(why).contains(grant.substring(0, grant.indexOf(' ')))));
  }

  private static boolean sameGrant(String used, String clusterWideGrant) {
    return used.replaceFirst(" in .*", " in *").equals(clusterWideGrant);
  }

  /**
   * What the base's RBAC lets the operator's ServiceAccount do, as "verb group/resource in
   * namespace" ("*": all namespaces and cluster-scoped resources). Wildcards and resourceNames are
   * refused: least privilege names every verb and resource.
   */
  static Set<String> grantsToTheOperator(List<JsonNode> objects) {
    Set<String> grants = new TreeSet<>();
    for (ClusterRoleBinding binding : Manifests.all(objects, ClusterRoleBinding.class)) {
      if (bindsTheOperator(binding.getSubjects())) {
        ClusterRole role =
            Manifests.find(objects, ClusterRole.class, binding.getRoleRef().getName());
        addGrants(grants, role.getRules(), "*");
      }
    }
    for (RoleBinding binding : Manifests.all(objects, RoleBinding.class)) {
      if (bindsTheOperator(binding.getSubjects())) {
        Role role = Manifests.find(objects, Role.class, binding.getRoleRef().getName());
        addGrants(grants, role.getRules(), binding.getMetadata().getNamespace());
      }
    }
    return grants;
  }

  private static boolean bindsTheOperator(List<io.fabric8.kubernetes.api.model.rbac.Subject> s) {
    return s.stream()
        .anyMatch(
            subject ->
                subject.getKind().equals("ServiceAccount")
                    && subject.getName().equals(NAME)
                    && subject.getNamespace().equals(NAMESPACE));
  }

  private static void addGrants(Set<String> grants, List<PolicyRule> rules, String namespace) {
    for (PolicyRule rule : rules) {
      assertThat(rule.getResourceNames()).isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      List<String> all = new ArrayList<>(rule.getApiGroups());
      all.addAll(rule.getResources());
      all.addAll(rule.getVerbs());
      assertThat(all).as("least privilege: no wildcards").doesNotContain("*");
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(verb + " " + group + "/" + resource + " in " + namespace);
          }
        }
      }
    }
  }

  @Test
  void theOperatorPolicyGrantsExactlyTheAwsActionsTheOperatorCalls() {
    Set<String> calledByTheOperatorsRole = actionsCalledIn(OPERATOR_ACCOUNT);
    Set<String> granted = new TreeSet<>(IamDocuments.allowedActions("operator-policy.json"));
    granted.addAll(IamDocuments.allowedActions("assume-member-roles-policy.json"));
    assertThat(calledByTheOperatorsRole)
        .as("AWS actions the operator's own role called, against those iam/ grants it")
        .containsExactlyInAnyOrderElementsOf(granted);
  }

  @Test
  void theOperatorPolicyCoversWhatTheOperatorCallsInAMemberAccount() {
    Set<String> calledByTheMemberRole = actionsCalledIn(MEMBER_ACCOUNT);
    assertThat(calledByTheMemberRole).isNotEmpty();
    assertThat(IamDocuments.allowedActions("operator-policy.json"))
        .containsAll(calledByTheMemberRole);
  }

  /** IAM action names ("ec2:GetAllowedImagesSettings") called with one account's credentials. */
  private static Set<String> actionsCalledIn(String account) {
    return awsCalls.keySet().stream()
        .filter(k -> k.account().equals(account))
        .map(k -> IamDocuments.iamAction(k.action()))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
