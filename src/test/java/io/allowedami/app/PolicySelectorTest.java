package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicySelectorTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "shard=a",
        "shard==a",
        "shard!=a",
        "shard=",
        "!legacy",
        "legacy",
        "tier in (gold,silver)",
        " tier notin ( bronze , iron ) ",
        "example.com/team=platform",
        "app.kubernetes.io/part-of=fleet,shard in (a,b),!legacy,tier!=test",
        "replicas>3",
        "A_b.c-9=Z_y.x-0"
      })
  void whenASelectorFollowsTheKubernetesGrammar_thenItIsAccepted(String text) {
    assertThat(PolicySelector.parse(text).expression()).isEqualTo(text.strip());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "shard=a,",
        ",shard=a",
        "=a",
        "shard in ()",
        "shard in (a",
        "shard in a,b",
        "sh ard=a",
        "-shard=a",
        "shard=a=b",
        "shard=a b",
        "a/b/c=d",
        "shard=-a",
        "Example.com/team=x",
        "shard~=a"
      })
  void whenASelectorIsMalformed_thenTheRequirementIsNamed(String text) {
    assertThatThrownBy(() -> PolicySelector.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a label selector requirement");
  }

  @Test
  void whenANameOrValueIsLongerThan63Characters_thenItIsRejected() {
    String long64 = "a".repeat(64);
    assertThatThrownBy(() -> PolicySelector.parse(long64 + "=x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PolicySelector.parse("x=" + long64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PolicySelector.parse("a".repeat(63) + "=" + "b".repeat(63)).selectsAll()).isFalse();
  }

  @Test
  void whenNoSelectorIsGiven_thenEveryPolicyIsSelected() {
    assertThat(PolicySelector.parse(null).selectsAll()).isTrue();
    assertThat(PolicySelector.parse("  ").selectsAll()).isTrue();
    assertThat(PolicySelector.parse("shard=a")).hasToString("policies matching 'shard=a'");
  }
}
