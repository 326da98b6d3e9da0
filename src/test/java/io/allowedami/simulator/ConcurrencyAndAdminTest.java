package io.allowedami.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.simulator.model.SettingsState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedImagesSettingsEnabledState;
import software.amazon.awssdk.services.ec2.model.ImageCriterionRequest;

class ConcurrencyAndAdminTest {

  static final String ACCOUNT = SimulatorWorld.DEFAULT_ACCOUNT_ID;
  static Ec2Simulator sim;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void sixteenThreadsOfFiftyMixedCallsAreAllAnsweredCorrectly() throws Exception {
    sim.faults().throttlingEnabled(false);
    sim.counters().reset();
    List<String> regions = List.of("us-east-1", "eu-west-1", "ap-south-1", "sa-east-1");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (Ec2Client east = SimulatorClients.ec2(sim, "us-east-1");
        Ec2Client west = SimulatorClients.ec2(sim, "eu-west-1");
        Ec2Client south = SimulatorClients.ec2(sim, "ap-south-1");
        Ec2Client sa = SimulatorClients.ec2(sim, "sa-east-1")) {
      List<Ec2Client> clients = List.of(east, west, south, sa);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Ec2Client ec2 = clients.get(t % 4);
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    switch (i % 5) {
                      case 0 ->
                          ec2.enableAllowedImagesSettings(
                              r ->
                                  r.allowedImagesSettingsState(
                                      AllowedImagesSettingsEnabledState.AUDIT_MODE));
                      case 1 ->
                          ec2.replaceImageCriteriaInAllowedImagesSettings(
                              r ->
                                  r.imageCriteria(
                                      ImageCriterionRequest.builder()
                                          .imageProviders("amazon")
                                          .build()));
                      case 2 ->
                          assertThat(ec2.getAllowedImagesSettings(r -> {}).state())
                              .isEqualTo("audit-mode");
                      case 3 ->
                          assertThat(
                                  ec2.describeInstanceImageMetadata(r -> {})
                                      .instanceImageMetadata())
                              .isNotEmpty();
                      default -> assertThat(ec2.describeRegions().regions()).hasSize(17);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      sim.faults().clear();
    }
    assertThat(sim.counters().total()).isEqualTo(800);
    assertThat(sim.counters().snapshot().keySet())
        .allSatisfy(k -> assertThat(k.outcome()).isEqualTo("ok"));
    for (String region : regions) {
      assertThat(sim.outOfBand().settings(ACCOUNT, region).imageCriteria()).hasSize(1);
    }
  }

  static HttpResponse<String> admin(String method, String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sim.endpoint() + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theAdminEndpointCreatesVersionsDefaultsAndDeletesLaunchTemplates() throws Exception {
    try (Ec2Client ec2 = SimulatorClients.ec2(sim, "eu-north-1")) {
      HttpResponse<String> created =
          admin(
              "POST",
              "/_admin/launch-templates",
              "{\"accountId\":\""
                  + ACCOUNT
                  + "\",\"region\":\"eu-north-1\",\"name\":\"admin-made\","
                  + "\"imageId\":\"ami-0aaaaaaaaaaaaaaa1\"}");
      assertThat(created.statusCode()).isEqualTo(200);
      String id = created.body().replaceAll(".*\"(lt-[0-9a-f]{17})\".*", "$1");
      assertThat(
              admin(
                      "POST",
                      "/_admin/launch-templates/versions",
                      "{\"launchTemplateId\":\"" + id + "\",\"imageId\":\"resolve:ssm:/x\"}")
                  .body())
          .contains("\"versionNumber\":2");
      admin(
          "POST",
          "/_admin/launch-templates/default-version",
          "{\"launchTemplateId\":\"" + id + "\",\"versionNumber\":2}");
      assertThat(
              ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(id).versions("$Default"))
                  .launchTemplateVersions()
                  .get(0)
                  .launchTemplateData()
                  .imageId())
          .isEqualTo("resolve:ssm:/x");
      assertThat(admin("GET", "/_admin/launch-templates", null).body()).contains(id);
      assertThat(
              admin(
                      "POST",
                      "/_admin/launch-templates/versions",
                      "{\"launchTemplateId\":\"" + id + "\",\"imageId\":\"ubuntu\"}")
                  .statusCode())
          .as("a bad image is refused")
          .isEqualTo(400);
      assertThat(
              admin(
                      "POST",
                      "/_admin/launch-templates",
                      "{\"accountId\":\""
                          + ACCOUNT
                          + "\",\"region\":\"eu-north-1\",\"name\":\"admin-made\"}")
                  .statusCode())
          .as("names are unique per account and Region")
          .isEqualTo(400);
      assertThat(
              admin(
                      "POST",
                      "/_admin/launch-templates/delete",
                      "{\"launchTemplateId\":\"" + id + "\"}")
                  .body())
          .contains("\"found\":true");
      assertThat(ec2.describeLaunchTemplates(r -> {}).launchTemplates()).isEmpty();
    }
  }

  @Test
  void theAdminEndpointInjectsFaultsChangesSettingsAndReadsCounters() throws Exception {
    try (Ec2Client ec2 = SimulatorClients.ec2(sim, "ca-central-1")) {
      assertThat(
              admin(
                      "PUT",
                      "/_admin/settings",
                      "{\"accountId\":\"111122223333\",\"region\":\"ca-central-1\","
                          + "\"state\":\"enabled\",\"imageCriteria\":[{\"imageProviders\":[\"amazon\"],\"maximumDaysSinceCreated\":30}]}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              ec2.getAllowedImagesSettings(r -> {})
                  .imageCriteria()
                  .get(0)
                  .creationDateCondition()
                  .maximumDaysSinceCreated())
          .isEqualTo(30);
      assertThat(
              admin(
                      "POST",
                      "/_admin/settings/get",
                      "{\"accountId\":\"111122223333\",\"region\":\"ca-central-1\"}")
                  .body())
          .contains("\"state\":\"enabled\"")
          .contains("\"managedBy\":\"account\"");

      admin(
          "POST",
          "/_admin/faults/declarative-policy",
          "{\"accountId\":\"111122223333\",\"region\":\"ca-central-1\","
              + "\"state\":\"audit-mode\",\"imageCriteria\":[]}");
      assertThat(ec2.getAllowedImagesSettings(r -> {}).managedByAsString())
          .isEqualTo("declarative-policy");
      admin(
          "POST",
          "/_admin/faults/declarative-policy/lift",
          "{\"accountId\":\"111122223333\",\"region\":\"ca-central-1\"}");
      assertThat(sim.outOfBand().settings(ACCOUNT, "ca-central-1").state())
          .isEqualTo(SettingsState.ENABLED);

      admin("POST", "/_admin/faults/region-down", "{\"region\":\"ca-central-1\",\"down\":true}");
      assertThat(
              SimulatorClients.errorCode(
                  org.assertj.core.api.Assertions.catchThrowableOfType(
                      software.amazon.awssdk.awscore.exception.AwsServiceException.class,
                      () -> ec2.getAllowedImagesSettings(r -> {}))))
          .isEqualTo("Unavailable");
      admin("POST", "/_admin/faults/clear", null);
      ec2.getAllowedImagesSettings(r -> {});

      assertThat(admin("GET", "/_admin/counters", null).body())
          .contains("\"action\":\"GetAllowedImagesSettings\"")
          .contains("\"outcome\":\"Unavailable\"");
      admin(
          "POST",
          "/_admin/instances/terminate",
          "{\"instanceId\":\"" + sim.instances().all().get(0).instanceId() + "\"}");
      assertThat(sim.instances().all().get(0).state().wire()).isEqualTo("terminated");
      assertThat(admin("POST", "/_admin/faults/server-errors", "{\"rate\":7}").statusCode())
          .isEqualTo(400);
      assertThat(admin("GET", "/_admin/nope", null).statusCode()).isEqualTo(404);
    }
  }
}
