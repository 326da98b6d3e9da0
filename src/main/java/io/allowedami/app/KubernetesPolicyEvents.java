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
 * cluster-scoped object live in the "default" namespace, as kubectl expects. Names stay valid DNS
 * subdomains whatever the policy's name, and messages stay within 1024 characters. A failure to
 * record an event is logged, never fatal.
 */
final class KubernetesPolicyEvents implements PolicyEvents {
  private static final Logger log = LoggerFactory.getLogger(KubernetesPolicyEvents.class);
  private static final String EVENT_NAMESPACE = "default";
  private static final String COMPONENT = "allowed-ami-operator";

  /** Longest name of any object, events included: a DNS subdomain. */
  static final int MAX_NAME = 253;

  static final int MAX_MESSAGE = 1024;
  static final String TRUNCATED = "… (truncated)";
  private static final int SUFFIX_LENGTH = 8;

  private final KubernetesClient client;
  private final Clock clock;

  KubernetesPolicyEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void record(AllowedAmiPolicy policy, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    String text = boundedMessage(message);
    try {
      client
          .v1()
          .events()
          .inNamespace(EVENT_NAMESPACE)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(eventName(policy.getMetadata().getName()))
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

  /**
   * The policy's name and a random suffix, so that each event is a new object. A long name is cut
   * to leave room for the suffix, and a cut that ends on '-' or '.' is trimmed, since each
   * dot-separated part of a DNS subdomain must end with a letter or a digit.
   */
  static String eventName(String policyName) {
    String suffix = "." + UUID.randomUUID().toString().substring(0, SUFFIX_LENGTH);
    String prefix = policyName;
    if (prefix.length() > MAX_NAME - suffix.length()) {
      prefix = prefix.substring(0, MAX_NAME - suffix.length()).replaceFirst("[-.]+$", "");
    }
    return prefix + suffix;
  }

  /** The message, or as much of it as fits in {@link #MAX_MESSAGE} with a note that it was cut. */
  static String boundedMessage(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    int keep = MAX_MESSAGE - TRUNCATED.length();
    if (Character.isHighSurrogate(message.charAt(keep - 1))) {
      keep--; // never split a character in two
    }
    return message.substring(0, keep) + TRUNCATED;
  }
}
