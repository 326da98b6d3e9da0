package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.reconcile.PolicyEvents;
import io.allowedami.testing.Policies;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events as the in-process Kubernetes API stores them, checked against what a real one accepts. */
class KubernetesPolicyEventsTest {
  /** Kubernetes' DNS-1123 subdomain: the rule for the name of an Event. */
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");

  private InProcessKubernetes kubernetes;
  private KubernetesClient client;
  private KubernetesPolicyEvents events;

  @BeforeEach
  void start() {
    kubernetes = InProcessKubernetes.start();
    client = kubernetes.newClient();
    events = new KubernetesPolicyEvents(client, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    client.close();
    kubernetes.close();
  }

  private AllowedAmiPolicy createPolicy(String name) {
    return client
        .resource(Policies.providers(name, Mode.AUDIT_MODE, List.of("us-east-1"), "amazon"))
        .create();
  }

  private List<Event> storedEvents() {
    return client.v1().events().inNamespace("default").list().getItems();
  }

  @Test
  void anEventNamesItsPolicyAndCarriesTypeReasonAndMessage() {
    AllowedAmiPolicy policy = createPolicy("audit-rollout");

    events.record(
        policy, PolicyEvents.NORMAL, "SettingsChanged", "us-east-1: state disabled -> audit-mode");

    Event event = storedEvents().get(0);
    assertThat(storedEvents()).hasSize(1);
    assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("ec2.allowedami.io/v1alpha1");
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("AllowedAmiPolicy");
    assertThat(event.getInvolvedObject().getName()).isEqualTo("audit-rollout");
    assertThat(event.getInvolvedObject().getUid()).isEqualTo(policy.getMetadata().getUid());
    assertThat(event.getInvolvedObject().getNamespace()).isNull();
    assertThat(event.getType()).isEqualTo("Normal");
    assertThat(event.getReason()).isEqualTo("SettingsChanged");
    assertThat(event.getMessage()).isEqualTo("us-east-1: state disabled -> audit-mode");
    assertThat(event.getSource().getComponent()).isEqualTo("allowed-ami-operator");
    assertThat(event.getFirstTimestamp()).isEqualTo(NOW.toString());
    assertThat(event.getCount()).isEqualTo(1);
    assertThat(event.getMetadata().getName()).matches("audit-rollout\\.[0-9a-f]{8}");
  }

  @Test
  void twoEventsOfOnePolicyAreTwoObjects() {
    AllowedAmiPolicy policy = createPolicy("p");

    events.record(policy, PolicyEvents.WARNING, "RegionRetrying", "first");
    events.record(policy, PolicyEvents.WARNING, "RegionRetrying", "second");

    assertThat(storedEvents())
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrder("first", "second");
  }

  @Test
  void aPolicyNameOfTheMaximumLengthStillGivesAValidEventName() {
    // 253 characters, the longest name Kubernetes allows; the cut falls right after a '-'.
    String longName = "a".repeat(120) + "." + "b".repeat(122) + "-" + "c".repeat(9);
    assertThat(longName).hasSize(253).matches(DNS_SUBDOMAIN);
    AllowedAmiPolicy policy = createPolicy(longName);

    events.record(policy, PolicyEvents.WARNING, "RegionStalled", "eu-west-1: AuthFailure");

    Event event = storedEvents().get(0);
    String name = event.getMetadata().getName();
    assertThat(name.length()).isLessThanOrEqualTo(253);
    assertThat(name).matches(DNS_SUBDOMAIN);
    assertThat(name).matches(Pattern.quote(longName.substring(0, 243)) + "\\.[0-9a-f]{8}");
    assertThat(event.getInvolvedObject().getName()).isEqualTo(longName);
  }

  @Test
  void aLongMessageIsCutTo1024CharactersAndSaysSo() {
    AllowedAmiPolicy policy = createPolicy("p");
    String detail = "ami-0123456789abcdef0 ".repeat(200);

    events.record(policy, PolicyEvents.WARNING, "ComplianceChanged", detail);

    String message = storedEvents().get(0).getMessage();
    assertThat(message).hasSize(1024).endsWith("… (truncated)");
    assertThat(detail).startsWith(message.substring(0, 1024 - "… (truncated)".length()));
  }

  @Test
  void aMessageOfExactly1024CharactersIsKeptWhole() {
    String message = "x".repeat(1024);

    assertThat(KubernetesPolicyEvents.boundedMessage(message)).isEqualTo(message);
  }

  @Test
  void theCutNeverSplitsACharacterInTwo() {
    String cutPoint = "x".repeat(1024 - "… (truncated)".length() - 1);
    String message = cutPoint + "😀".repeat(100);

    String bounded = KubernetesPolicyEvents.boundedMessage(message);

    assertThat(bounded).isEqualTo(cutPoint + "… (truncated)");
  }
}
