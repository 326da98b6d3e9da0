package io.allowedami.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The operator's JVM, as the base's Deployment starts it, stays inside its memory limit. */
class DeployJvmMemoryTest {

  @Test
  void theCappedPoolsAndTheRestFitTheDeploymentsMemoryLimit() {
    Deployment deployment =
        Manifests.find(Manifests.build(Manifests.BASE), Deployment.class, Manifests.NAME);
    JvmMemory.assertFitsTheLimit(
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
  }

  @Test
  void theJvmStartsWithSerialGcAndC1OnlyAsMeasured() {
    Deployment deployment =
        Manifests.find(Manifests.build(Manifests.BASE), Deployment.class, Manifests.NAME);
    String options =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
            .findFirst()
            .orElseThrow()
            .getValue();
    // BENCHMARKS.md, Footprint: G1 takes more native memory; C1 only starts in half the time.
    assertThat(options.split("\\s+")).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  }

  @Test
  void jvmSizesAreReadAsTheJvmReadsThem() {
    assertThat(JvmMemory.bytes("192m")).isEqualTo(192L * 1024 * 1024);
    assertThat(JvmMemory.bytes("1G")).isEqualTo(1024L * 1024 * 1024);
    assertThat(JvmMemory.bytes("64k")).isEqualTo(64L * 1024);
    assertThat(JvmMemory.bytes("4096")).isEqualTo(4096L);
  }
}
