package io.allowedami.deploy;

import static io.allowedami.deploy.Manifests.BASE;
import static io.allowedami.deploy.Manifests.NAME;
import static io.allowedami.deploy.Manifests.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.testing.CrdFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Everything under deploy/ is Kubernetes objects or kustomizations, and the base's objects refer to
 * each other correctly: what `kubectl apply -k deploy/base` would apply, checked without a cluster.
 */
class DeployManifestsTest {

  private final List<JsonNode> base = Manifests.build(BASE);
  private static final String POLICY_KIND = HasMetadata.getKind(AllowedAmiPolicy.class);

  @Test
  void everyFileUnderDeployIsKubernetesObjectsOrAKustomization() {
    List<Path> files = Manifests.filesUnder(Manifests.DEPLOY);
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(file.getFileName().toString())
          .as("%s: only Kubernetes manifests live under deploy/ (IAM documents are in iam/)", file)
          .matches(".*\\.ya?ml");
      List<JsonNode> documents = Manifests.documents(file);
      assertThat(documents).as("%s has documents", file).isNotEmpty();
      for (JsonNode document : documents) {
        if (Manifests.isKustomization(file)) {
          assertThat(document.path("apiVersion").asText())
              .as(file.toString())
              .isEqualTo(Manifests.KUSTOMIZE_API_VERSION);
          assertThat(document.path("kind").asText()).as(file.toString()).isEqualTo("Kustomization");
        } else {
          assertThat(document.path("apiVersion").asText()).as("%s: apiVersion", file).isNotEmpty();
          assertThat(document.path("kind").asText()).as("%s: kind", file).isNotEmpty();
          assertThat(document.path("metadata").path("name").asText())
              .as("%s: metadata.name", file)
              .isNotEmpty();
          // fabric8's model checks the fields of the kinds it knows (types, not just names).
          HasMetadata typed = Manifests.typed(document);
          assertThat(typed.getMetadata().getName()).isNotEmpty();
        }
      }
    }
  }

  @Test
  void theBaseAppliesTheOperatorAndNothingElse() {
    assertThat(base.stream().map(Manifests::id))
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition " + AllowedAmiPolicy.CRD_NAME,
            "Namespace " + NAMESPACE,
            "ServiceAccount " + NAMESPACE + "/" + NAME,
            "ClusterRole " + NAME,
            "ClusterRoleBinding " + NAME,
            "Role default/" + NAME + "-events",
            "RoleBinding default/" + NAME + "-events",
            "Role " + NAMESPACE + "/" + NAME + "-leader-election",
            "RoleBinding " + NAMESPACE + "/" + NAME + "-leader-election",
            "Deployment " + NAMESPACE + "/" + NAME,
            "PodDisruptionBudget " + NAMESPACE + "/" + NAME);
  }

  @Test
  void theBaseCarriesTheCheckedInCrdUnchanged() {
    JsonNode crd =
        Manifests.findNode(base, "CustomResourceDefinition", AllowedAmiPolicy.CRD_NAME)
            .orElseThrow();
    assertThat(crd).isEqualTo(CrdFiles.readYaml(CrdFiles.checkedInCrd()));
  }

  @Test
  void theCrdsKustomizationListsEveryCrdFile() {
    Set<String> crdFiles =
        Manifests.filesUnder(Manifests.CRDS).stream()
            .filter(f -> !Manifests.isKustomization(f))
            .map(f -> f.getFileName().toString())
            .collect(Collectors.toSet());
    Set<String> listed = new HashSet<>();
    Manifests.kustomization(Manifests.CRDS).path("resources").forEach(r -> listed.add(r.asText()));
    assertThat(listed)
        .as("crds/%s must list the CRD files of crds/", Manifests.KUSTOMIZATION)
        .isEqualTo(crdFiles);
  }

  @Test
  void namespacedObjectsLiveInTheOperatorsNamespaceOrDefaultForEvents() {
    Set<String> clusterScoped =
        Set.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding");
    for (JsonNode object : base) {
      String namespace = object.path("metadata").path("namespace").asText("");
      if (clusterScoped.contains(object.path("kind").asText())) {
        assertThat(namespace).as("%s is cluster-scoped", Manifests.id(object)).isEmpty();
      } else {
        assertThat(namespace).as(Manifests.id(object)).isIn(NAMESPACE, "default");
      }
    }
    Manifests.find(base, Namespace.class, NAMESPACE);
  }

  @Test
  void theDeploymentRunsAsTheServiceAccountOfItsNamespace() {
    Deployment deployment = Manifests.find(base, Deployment.class, NAME);
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    ServiceAccount serviceAccount = Manifests.find(base, ServiceAccount.class, account);
    assertThat(serviceAccount.getMetadata().getNamespace())
        .isEqualTo(deployment.getMetadata().getNamespace());
  }

  @Test
  void theDeploymentSelectsItsOwnPods() {
    Deployment deployment = Manifests.find(base, Deployment.class, NAME);
    assertThat(deployment.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).isNotEmpty();
  }

  @Test
  void everyBindingGivesTheOperatorsServiceAccountARoleThatExists() {
    Subject operator = new Subject(null, "ServiceAccount", NAME, NAMESPACE);
    List<String> bindings = new ArrayList<>();
    for (ClusterRoleBinding binding : Manifests.all(base, ClusterRoleBinding.class)) {
      assertThat(binding.getSubjects()).containsExactly(operator);
      assertRoleExists(binding.getRoleRef(), null);
      bindings.add(binding.getMetadata().getName());
    }
    for (RoleBinding binding : Manifests.all(base, RoleBinding.class)) {
      assertThat(binding.getSubjects()).containsExactly(operator);
      assertRoleExists(binding.getRoleRef(), binding.getMetadata().getNamespace());
      bindings.add(binding.getMetadata().getName());
    }
    // No role is left unbound: every grant in the base reaches the operator.
    List<String> roles = new ArrayList<>();
    Manifests.all(base, ClusterRole.class).forEach(r -> roles.add(r.getMetadata().getName()));
    Manifests.all(base, Role.class).forEach(r -> roles.add(r.getMetadata().getName()));
    assertThat(bindings).containsExactlyInAnyOrderElementsOf(roles);
  }

  private void assertRoleExists(RoleRef ref, String bindingNamespace) {
    assertThat(ref.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    if (ref.getKind().equals("ClusterRole")) {
      Manifests.find(base, ClusterRole.class, ref.getName());
    } else {
      assertThat(ref.getKind()).isEqualTo("Role");
      Role role = Manifests.find(base, Role.class, ref.getName());
      assertThat(role.getMetadata().getNamespace()).isEqualTo(bindingNamespace);
    }
  }

  @Test
  void theOperatorContainerIsLockedDownAndProbedOnItsManagementPort() {
    Deployment deployment = Manifests.find(base, Deployment.class, NAME);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getContainers()).hasSize(1);
    Container operator = pod.getContainers().get(0);
    assertThat(operator.getArgs()).startsWith("operator");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getResources().getLimits()).containsKey("memory");

    // The operator's default management port (8080) serves the probes and /metrics.
    ContainerPort management = operator.getPorts().get(0);
    assertThat(management.getContainerPort()).isEqualTo(8080);
    assertThat(operator.getEnv()).noneMatch(e -> e.getName().equals("ALLOWED_AMI_MANAGEMENT_PORT"));
    List<Probe> probes =
        List.of(
            operator.getStartupProbe(), operator.getLivenessProbe(), operator.getReadinessProbe());
    for (Probe probe : probes) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(management.getName());
    }
    assertThat(probes.stream().map(p -> p.getHttpGet().getPath()))
        .containsExactly("/startupz", "/livez", "/readyz");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", String.valueOf(management.getContainerPort()))
        .containsEntry("prometheus.io/path", "/metrics");
  }

  @Test
  void theStartupProbeWaitsLongerThanJosdkWaitsForTheInformers_thenLivenessTakesOver() {
    Container operator = operatorContainer(Manifests.find(base, Deployment.class, NAME));
    Probe startup = operator.getStartupProbe();
    Duration startupBudget =
        Duration.ofSeconds((long) startup.getPeriodSeconds() * startup.getFailureThreshold());
    // Past JOSDK's limit the operator exits by itself, with the cause in its log.
    Duration josdkWaits = new BaseConfigurationService().cacheSyncTimeout();
    assertThat(startupBudget).isGreaterThan(josdkWaits);
    // Liveness begins once startup has passed: no initial delay to guess.
    assertThat(operator.getLivenessProbe().getInitialDelaySeconds()).isNull();
    assertThat(operator.getLivenessProbe().getTimeoutSeconds()).isGreaterThan(1);
  }

  @Test
  void twoReplicasElectALeaderOnALeaseInTheirNamespaceThatTheirRoleCovers() {
    Deployment deployment = Manifests.find(base, Deployment.class, NAME);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Map<String, EnvVar> env =
        operatorContainer(deployment).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> e));
    // Leader election is on by default; the Deployment does not turn it off.
    assertThat(env).doesNotContainKey("ALLOWED_AMI_LEADER_ELECTION");
    assertThat(env.get("ALLOWED_AMI_LEASE_NAME").getValue()).isNotBlank();
    // The Lease's namespace and the holder's identity come from the pod.
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    String namespace = deployment.getMetadata().getNamespace();
    assertThat(DeployPermissionsTest.grantsToTheOperator(base))
        .contains(
            "get coordination.k8s.io/leases in " + namespace,
            "create coordination.k8s.io/leases in " + namespace,
            "patch coordination.k8s.io/leases in " + namespace);
  }

  @Test
  void aRolloutOrADrainNeverTakesBothReplicasDown_andTheyPreferDifferentNodes() {
    Deployment deployment = Manifests.find(base, Deployment.class, NAME);
    assertRollsOneAtATimeOnDifferentNodes(deployment);
    PodDisruptionBudget budget = Manifests.find(base, PodDisruptionBudget.class, NAME);
    assertThat(budget.getMetadata().getNamespace())
        .isEqualTo(deployment.getMetadata().getNamespace());
    assertThat(budget.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector());
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal())
        .isLessThan(deployment.getSpec().getReplicas());
  }

  /**
   * A rolling update starts a new pod before it stops an old one, and the scheduler spreads the
   * Deployment's own pods over nodes where it can: shared with the chart's test.
   */
  static void assertRollsOneAtATimeOnDifferentNodes(Deployment deployment) {
    DeploymentStrategy strategy = deployment.getSpec().getStrategy();
    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30);
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .isNullOrEmpty();
    List<WeightedPodAffinityTerm> preferred =
        pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(preferred).hasSize(1);
    PodAffinityTerm term = preferred.get(0).getPodAffinityTerm();
    assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getLabelSelector()).isEqualTo(deployment.getSpec().getSelector());
  }

  private static Container operatorContainer(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void theServiceAccountShowsWhereTheIamRoleGoes() {
    ServiceAccount account = Manifests.find(base, ServiceAccount.class, NAME);
    assertThat(account.getMetadata().getAnnotations())
        .hasEntrySatisfying(
            "eks.amazonaws.com/role-arn",
            arn -> assertThat(arn).matches("arn:aws:iam::\\d{12}:role/.+"));
  }

  @Test
  void overlaysBuildOnTheBaseAndNameTheImageTheBaseUses() {
    Set<String> baseImages =
        Manifests.find(base, Deployment.class, NAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .stream()
            .map(c -> c.getImage().replaceFirst(":[^:/]+$", ""))
            .collect(Collectors.toSet());
    List<Path> overlays = Manifests.filesUnder(Manifests.OVERLAYS);
    assertThat(overlays).isNotEmpty();
    for (Path file : overlays) {
      assertThat(file.getFileName().toString()).isEqualTo(Manifests.KUSTOMIZATION);
      Path dir = CrdFiles.baseDir().relativize(file.getParent());
      JsonNode overlay = Manifests.kustomization(dir);
      List<Path> resources = new ArrayList<>();
      overlay.path("resources").forEach(r -> resources.add(dir.resolve(r.asText()).normalize()));
      assertThat(resources).as("%s builds on the base", dir).contains(BASE);
      for (JsonNode image : overlay.path("images")) {
        assertThat(image.path("name").asText())
            .as("%s: an `images:` entry applies only to an image the base names", dir)
            .isIn(baseImages);
      }
      for (JsonNode patch : overlay.path("patches")) {
        JsonNode target = Manifests.documents(patch.path("patch").asText()).get(0);
        assertThat(
                Manifests.findNode(
                    base,
                    target.path("kind").asText(),
                    target.path("metadata").path("name").asText()))
            .as("%s: a patch applies to an object of the base", dir)
            .isPresent();
      }
    }
  }

  @Test
  void theExamplePoliciesAreAppliedOnTheirOwnNotByTheBase() {
    List<Path> examples = CrdFiles.examples();
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      for (JsonNode document : Manifests.documents(example)) {
        assertThat(document.path("kind").asText()).isEqualTo(POLICY_KIND);
      }
    }
    assertThat(base)
        .noneMatch(o -> o.path("kind").asText().equals(POLICY_KIND))
        .noneMatch(o -> o.path("kind").asText().equals("ConfigMap"));
    CustomResourceDefinition crd =
        Manifests.find(base, CustomResourceDefinition.class, AllowedAmiPolicy.CRD_NAME);
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(POLICY_KIND);
  }
}
