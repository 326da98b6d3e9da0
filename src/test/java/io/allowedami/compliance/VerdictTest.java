package io.allowedami.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictTest {

  @ParameterizedTest(name = "{0} and {1} = {2}, {0} or {1} = {3}")
  @CsvSource(
      textBlock =
          """
          ALLOWED,     ALLOWED,     ALLOWED,     ALLOWED
          ALLOWED,     NOT_ALLOWED, NOT_ALLOWED, ALLOWED
          ALLOWED,     UNKNOWN,     UNKNOWN,     ALLOWED
          NOT_ALLOWED, ALLOWED,     NOT_ALLOWED, ALLOWED
          NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED
          NOT_ALLOWED, UNKNOWN,     NOT_ALLOWED, UNKNOWN
          UNKNOWN,     ALLOWED,     UNKNOWN,     ALLOWED
          UNKNOWN,     NOT_ALLOWED, NOT_ALLOWED, UNKNOWN
          UNKNOWN,     UNKNOWN,     UNKNOWN,     UNKNOWN
          """)
  void whenVerdictsCombine_thenKleeneTruthTablesHold(
      Verdict a, Verdict b, Verdict and, Verdict or) {
    assertThat(a.and(b)).isEqualTo(and);
    assertThat(a.or(b)).isEqualTo(or);
  }

  @Test
  void whenFoldingNoValues_thenAnyIsNotAllowedAndAllIsAllowed() {
    assertThat(Verdict.any(List.<Verdict>of(), v -> v)).isEqualTo(Verdict.NOT_ALLOWED);
    assertThat(Verdict.all(List.<Verdict>of(), v -> v)).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void whenAwsOmitsImageAllowed_thenTheReportedVerdictIsUnknownNotAllowed() {
    assertThat(Verdict.ofReported(null)).isEqualTo(Verdict.UNKNOWN);
    assertThat(Verdict.ofReported(true)).isEqualTo(Verdict.ALLOWED);
    assertThat(Verdict.ofReported(false)).isEqualTo(Verdict.NOT_ALLOWED);
  }
}
