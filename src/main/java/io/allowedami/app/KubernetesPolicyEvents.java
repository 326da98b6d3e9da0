package io.allowedami.app;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.reconcile.PolicyEvents;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events so that `kubectl describe aap` shows what the operator did. Events of a
 * cluster-scoped object live in the "default" namespace, as kubectl expects. A failure to record an
 * event is logged, never fatal.
 */
final class KubernetesPolicyEvents implements PolicyEvents {
  private static final Logger log = LoggerFactory.getLogger(KubernetesPolicyEvents.class);
  private static final String EVENT_NAMESPACE = "default";
  private static final String COMPONENT = "allowed-ami-operator";
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;

  KubernetesPolicyEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void record(AllowedAmiPolicy policy, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    String text =
        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    try {
      client
          .v1()
          .events()
          .inNamespace(EVENT_NAMESPACE)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      policy.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(EVENT_NAMESPACE)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(policy.getApiVersion())
                          .withKind(policy.getKind())
                          .withName(policy.getMetadata().getName())
                          .withUid(policy.getMetadata().getUid())
                          .withResourceVersion(policy.getMetadata().getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(text)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} for {}: {}",
          reason,
          policy.getMetadata().getName(),
          e.getMessage());
    }
  }
}
