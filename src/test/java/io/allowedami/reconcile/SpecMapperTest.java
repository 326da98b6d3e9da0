package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecMapperTest {
  @ParameterizedTest
  @CsvSource({"30s,30", "5m,300", "1h,3600", "1h30m,5400", "2h0m5s,7205"})
  void parsesGoStyleDurations(String text, long seconds) {
    assertThat(SpecMapper.parseDuration(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "m5", "5x", "5m ", "1.5h"})
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> SpecMapper.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
