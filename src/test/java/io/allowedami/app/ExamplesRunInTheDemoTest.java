package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every policy users find under deploy/examples/ runs as written in the demo, without error. */
class ExamplesRunInTheDemoTest {
  static final Path EXAMPLES = Path.of("deploy", "examples");

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void theExamplesAreThere() throws IOException {
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
  }

  @ParameterizedTest
  @MethodSource("examples")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void eachExampleSettlesInTheDemoAsThePolicyAsks(Path example) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      // The demo prints to System.out, read when it is constructed.
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new DemoCommand())
              .execute("--policy", example.toString(), "--timeout", "15s");
    } finally {
      System.setOut(stdout);
    }
    String output = captured.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(output).isZero();
    assertThat(output)
        .as("settles Ready, or held by the safe-rollout gate it asks for")
        .containsAnyOf("Ready=True", "Ready=False (RolloutHeld)")
        .doesNotContain(" error ")
        .doesNotContain("Stalled=True")
        .doesNotContain("timed out");
  }
}
