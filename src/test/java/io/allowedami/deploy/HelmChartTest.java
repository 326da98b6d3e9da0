package io.allowedami.deploy;

import static io.allowedami.deploy.Manifests.BASE;
import static io.allowedami.deploy.Manifests.NAME;
import static io.allowedami.deploy.Manifests.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart renders the objects of deploy/base (same kinds, names, RBAC, Deployment), carries
 * the CRD of crds/, and puts each value where it belongs. Rendered by Helm's own Go library
 * (helm-java), so there is no helm binary to install.
 */
class HelmChartTest {
  static final Path CHART = Path.of("charts", "allowed-ami-operator");

  /** What the chart leaves to Helm: the namespace (--create-namespace) and the CRD (crds/). */
  private static final Set<String> NOT_TEMPLATED = Set.of("Namespace", "CustomResourceDefinition");

  private final List<JsonNode> base = Manifests.build(BASE);

  @TempDir Path temp;

  @Test
  void theDefaultsRenderTheObjectsOfTheBase() {
    String roleArn =
        Manifests.find(base, ServiceAccount.class, NAME)
            .getMetadata()
            .getAnnotations()
            .get("eks.amazonaws.com/role-arn");
    List<JsonNode> rendered = render(NAME, template -> template.set("aws.roleArn", roleArn));

    List<JsonNode> expected =
        base.stream().filter(o -> !NOT_TEMPLATED.contains(o.path("kind").asText())).toList();
    assertThat(rendered.stream().map(Manifests::id))
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(Manifests::id).toList());
    for (JsonNode want : expected) {
      JsonNode got =
          Manifests.findNode(
                  rendered, want.path("kind").asText(), want.path("metadata").path("name").asText())
              .orElseThrow();
      // Helm adds its own labels (instance, version, chart) and selects on the instance too,
      // also in the anti-affinity (compared below).
      String[] labels = {
        "metadata/labels",
        "spec/selector",
        "spec/template/metadata/labels",
        "spec/template/spec/affinity"
      };
      assertThat(Manifests.without(got, labels))
          .as("%s rendered by Helm and in deploy/base", Manifests.id(want))
          .isEqualTo(Manifests.without(want, labels));
    }
    Deployment deployment = Manifests.find(rendered, Deployment.class, NAME);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    DeployManifestsTest.assertRollsOneAtATimeOnDifferentNodes(deployment);
    assertThat(Manifests.find(rendered, PodDisruptionBudget.class, NAME).getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector());
  }

  @Test
  void theChartCarriesTheCrdOfCrdsUnchanged() throws IOException {
    Path chartCrds = CHART.resolve("crds");
    Set<String> inChart = names(Manifests.filesUnder(chartCrds));
    Set<String> inCrds =
        names(
            Manifests.filesUnder(Manifests.CRDS).stream()
                .filter(f -> !Manifests.isKustomization(f))
                .toList());
    String refresh = "cp crds/*.yml " + chartCrds + "/";
    assertThat(inChart).as("the chart's CRD files; refresh with: %s", refresh).isEqualTo(inCrds);
    for (String file : inCrds) {
      assertThat(Files.readString(Manifests.path(chartCrds.resolve(file))))
          .as("%s/%s differs from crds/%s; refresh with: %s", chartCrds, file, file, refresh)
          .isEqualTo(Files.readString(Manifests.path(Manifests.CRDS.resolve(file))));
    }
  }

  @Test
  void eachValueLandsWhereItBelongs() throws IOException {
    Path values = temp.resolve("values.yaml");
    Files.writeString(
        values,
        """
        image: {repository: registry.example.com/platform/allowed-ami-operator, tag: "1.2.3"}
        aws: {roleArn: "arn:aws:iam::123456789012:role/ami-operator", region: eu-west-1}
        resyncInterval: 10m
        policySelector: "env in (prod,staging)"
        replicaCount: 3
        leaderElection: {leaseName: shard-prod}
        resources:
          requests: {cpu: 200m, memory: 1Gi}
          limits: {memory: 1Gi}
        startupProbe: {failureThreshold: 60}
        extraArgs: [--region-concurrency=4]
        """);
    List<JsonNode> rendered = render("platform", template -> template.withValuesFile(values));

    // Every name follows the release; the references between objects follow them.
    String name = "platform-" + NAME;
    Deployment deployment = Manifests.find(rendered, Deployment.class, name);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(name);
    Subject operator = new Subject(null, "ServiceAccount", name, NAMESPACE);
    assertThat(Manifests.find(rendered, ClusterRoleBinding.class, name).getSubjects())
        .containsExactly(operator);
    RoleBinding events = Manifests.find(rendered, RoleBinding.class, name + "-events");
    assertThat(events.getSubjects()).containsExactly(operator);
    assertThat(events.getRoleRef().getName()).isEqualTo(name + "-events");
    assertThat(Manifests.find(rendered, ServiceAccount.class, name).getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/ami-operator");

    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage())
        .isEqualTo("registry.example.com/platform/allowed-ami-operator:1.2.3");
    assertThat(container.getArgs()).containsExactly("operator", "--region-concurrency=4");
    assertThat(env(container))
        .containsEntry("ALLOWED_AMI_RESYNC_INTERVAL", "10m")
        .containsEntry("ALLOWED_AMI_POLICY_SELECTOR", "env in (prod,staging)")
        .containsEntry("AWS_REGION", "eu-west-1");
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(60);
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/startupz");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(env(container)).containsEntry("ALLOWED_AMI_LEASE_NAME", "shard-prod");
    RoleBinding lease = Manifests.find(rendered, RoleBinding.class, name + "-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(lease.getSubjects()).containsExactly(operator);
    assertThat(lease.getRoleRef().getName()).isEqualTo(name + "-leader-election");
  }

  @Test
  void eachReleaseContendsForALeaseOfItsOwn() {
    for (String release : List.of("shard-a", "shard-b")) {
      Container container =
          Manifests.find(render(release, t -> t), Deployment.class, release + "-" + NAME)
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0);
      assertThat(env(container)).containsEntry("ALLOWED_AMI_LEASE_NAME", release + "-" + NAME);
    }
  }

  @Test
  void withoutLeaderElection_oneInstanceIsReplacedNotRolled_andHasNoLeaseRole() {
    List<JsonNode> rendered =
        render(NAME, t -> t.set("leaderElection.enabled", "false").set("replicaCount", "1"));
    Deployment deployment = Manifests.find(rendered, Deployment.class, NAME);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    // A rolling update would run the new pod beside the old one, both writing.
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Map<String, String> env =
        env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(env)
        .containsEntry("ALLOWED_AMI_LEADER_ELECTION", "false")
        .doesNotContainKey("ALLOWED_AMI_LEASE_NAME");
    assertThat(Manifests.findNode(rendered, "Role", NAME + "-leader-election")).isEmpty();
    assertThat(Manifests.findNode(rendered, "RoleBinding", NAME + "-leader-election")).isEmpty();
    assertThat(Manifests.findNode(rendered, "PodDisruptionBudget", NAME)).isEmpty();
  }

  @Test
  void withoutLeaderElection_twoReplicasAreRefused() {
    assertThatThrownBy(() -> render(NAME, t -> t.set("leaderElection.enabled", "false")))
        .hasMessageContaining("set replicaCount to 1");
  }

  @Test
  void aProbeSetToNullIsLeftOut() {
    Container container =
        Manifests.find(render(NAME, t -> t.set("startupProbe", "null")), Deployment.class, NAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getStartupProbe()).isNull();
    assertThat(container.getLivenessProbe()).isNotNull();
  }

  @Test
  void withoutARoleArnTheServiceAccountHasNoIrsaAnnotation() {
    List<JsonNode> rendered = render(NAME, template -> template);
    Map<String, String> annotations =
        Manifests.find(rendered, ServiceAccount.class, NAME).getMetadata().getAnnotations();
    assertThat(Optional.ofNullable(annotations).orElse(Map.of()))
        .doesNotContainKey("eks.amazonaws.com/role-arn");
    Container container =
        Manifests.find(rendered, Deployment.class, NAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(container)).doesNotContainKey("ALLOWED_AMI_POLICY_SELECTOR");
  }

  @Test
  void theDefaultJvmFitsTheDefaultMemoryLimit() {
    Deployment deployment =
        Manifests.find(render(NAME, template -> template), Deployment.class, NAME);
    JvmMemory.assertFitsTheLimit(
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
  }

  @Test
  void helmLintFindsNothingWrong() {
    LintResult lint = new Helm(Manifests.path(CHART)).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint: %s", lint.getMessages()).isFalse();
  }

  private List<JsonNode> render(String release, UnaryOperator<TemplateCommand> values) {
    TemplateCommand template =
        new Helm(Manifests.path(CHART)).template().withName(release).withNamespace(NAMESPACE);
    List<JsonNode> objects = Manifests.documents(values.apply(template).call());
    for (JsonNode object : objects) {
      Manifests.typed(object);
    }
    return objects;
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }

  private static Set<String> names(List<Path> files) {
    return files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet());
  }
}
