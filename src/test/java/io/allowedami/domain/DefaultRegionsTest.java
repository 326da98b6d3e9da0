package io.allowedami.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.aws.KnownRegions;
import io.allowedami.simulator.SimulatorWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultRegionsTest {

  @Test
  void theSeventeenRegionsLaunchedBeforeMarch2019AreEnabledByDefault() {
    assertThat(DefaultRegions.NAMES).hasSize(17).doesNotHaveDuplicates();
    assertThat(DefaultRegions.NAMES).allMatch(DefaultRegions::isEnabledByDefault);
    assertThat(DefaultRegions.NAMES)
        .as("the simulator's default world models the same fact")
        .containsExactlyInAnyOrderElementsOf(SimulatorWorld.DEFAULT_REGIONS);
    assertThat(DefaultRegions.NAMES)
        .as("each is a Region the operator's SDK knows")
        .allMatch(KnownRegions::isKnown);
  }

  @Test
  void optInRegionsAndOtherPartitionsAreNotEnabledByDefault() {
    List<String> optIn =
        List.of(
            "af-south-1",
            "ap-east-1",
            "ap-south-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ca-west-1",
            "eu-south-1",
            "eu-south-2",
            "eu-central-2",
            "il-central-1",
            "me-south-1",
            "me-central-1");
    assertThat(optIn).noneMatch(DefaultRegions::isEnabledByDefault);
    assertThat(List.of("cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"))
        .as("China and GovCloud accounts have Regions of their own")
        .noneMatch(DefaultRegions::isEnabledByDefault);
  }

  @Test
  void namesThatAreNotExactlyARegionAreNotEnabledByDefault() {
    assertThat(DefaultRegions.isEnabledByDefault(null)).isFalse();
    assertThat(DefaultRegions.isEnabledByDefault("")).isFalse();
    assertThat(DefaultRegions.isEnabledByDefault("US-EAST-1")).isFalse();
    assertThat(DefaultRegions.isEnabledByDefault(" us-east-1")).isFalse();
    assertThat(DefaultRegions.isEnabledByDefault("*")).isFalse();
  }

  @Test
  void aListIsEnabledByDefaultOnlyWhenEveryRegionInItIs() {
    assertThat(DefaultRegions.allEnabledByDefault(List.of("us-east-1", "eu-north-1"))).isTrue();
    assertThat(DefaultRegions.allEnabledByDefault(List.of("us-east-1", "me-south-1"))).isFalse();
    assertThat(DefaultRegions.allEnabledByDefault(List.of("*"))).isFalse();
    assertThat(DefaultRegions.allEnabledByDefault(List.of())).isTrue();
  }
}
