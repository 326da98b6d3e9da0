package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The production logging configuration, in a JVM of its own (the environment variable that picks
 * the format is read when Log4j starts): one readable line by default, one JSON object with the
 * policy name under ALLOWED_AMI_LOG_FORMAT=json.
 */
class LogFormatTest {

  /** Logs one line as a Region task would, with the policy in the MDC. */
  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger("io.allowedami.reconcile.RegionConverger");
    MDC.put("resource.name", "fleet");
    log.info("region {}: {}", "us-east-1", "set state enabled");
  }

  private static List<String> run(Map<String, String> environment)
      throws IOException, InterruptedException {
    Path configuration = Path.of("target", "classes", "log4j2.xml").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Dlog4j2.configurationFile=" + configuration,
            LogFormatTest.class.getName());
    builder.environment().remove("ALLOWED_AMI_LOG_FORMAT");
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output.lines().filter(l -> l.contains("set state enabled")).toList();
  }

  @Test
  void byDefault_aLineIsReadable_andNamesThePolicy() throws Exception {
    assertThat(run(Map.of()))
        .singleElement()
        .asString()
        .contains("INFO ")
        .contains("[fleet] region us-east-1: set state enabled");
  }

  @Test
  void withTheJsonFormat_aLineIsAJsonObject_withThePolicyInItsContext() throws Exception {
    String line = run(Map.of("ALLOWED_AMI_LOG_FORMAT", "json")).get(0);

    JsonNode event = new ObjectMapper().readTree(line);
    assertThat(event.path("level").asText()).isEqualTo("INFO");
    assertThat(event.path("loggerName").asText())
        .isEqualTo("io.allowedami.reconcile.RegionConverger");
    assertThat(event.path("message").asText()).isEqualTo("region us-east-1: set state enabled");
    assertThat(event.path("contextMap").path("resource.name").asText()).isEqualTo("fleet");
    assertThat(event.path("timeMillis").asLong()).isPositive();
  }
}
