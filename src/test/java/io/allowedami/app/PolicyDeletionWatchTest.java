package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.testing.Policies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deletion hook against the in-process Kubernetes API: deletions only, by UID. */
class PolicyDeletionWatchTest {
  private InProcessKubernetes kubernetes;
  private KubernetesClient client;
  private final List<String> deletedUids = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    kubernetes = InProcessKubernetes.start();
    client = kubernetes.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    kubernetes.close();
  }

  private AllowedAmiPolicy create(String name) {
    return client
        .resource(Policies.providers(name, Mode.AUDIT_MODE, List.of("us-east-1"), "amazon"))
        .create();
  }

  @Test
  void whenPoliciesAreDeleted_thenTheirUidsAreHandedOverAndCreationsAndUpdatesAreNot() {
    AllowedAmiPolicy existing = create("existing");
    try (PolicyDeletionWatch watch = PolicyDeletionWatch.start(client, deletedUids::add)) {
      AllowedAmiPolicy created = create("created");
      created.getSpec().setMode(Mode.ENABLED);
      client.resource(created).update();
      client.resource(existing).delete();
      client.resource(created).delete();

      // One watch delivers events in order: the last deletion comes after everything else.
      String lastDeleted = created.getMetadata().getUid();
      assertThat(lastDeleted).isNotNull().isNotEqualTo(existing.getMetadata().getUid());
      await().atMost(Duration.ofSeconds(20)).until(() -> deletedUids.contains(lastDeleted));
      assertThat(deletedUids).containsExactly(existing.getMetadata().getUid(), lastDeleted);
    }
  }
}
