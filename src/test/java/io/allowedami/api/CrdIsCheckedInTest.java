package io.allowedami.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.testing.CrdFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRD applied to clusters from crds/ must be the one the Java model generates. */
class CrdIsCheckedInTest {

  @Test
  void checkedInCrdIsTheGeneratedCrd() throws IOException {
    Path generated = CrdFiles.generatedCrd();
    Path checkedIn = CrdFiles.checkedInCrd();
    String refresh = "cp " + CrdFiles.GENERATED_CRD + " crds/";

    assertThat(checkedIn)
        .as("%s is missing; create it with: %s", CrdFiles.CHECKED_IN_CRD, refresh)
        .isRegularFile();
    String expected = normalisedLineEndings(generated);
    String actual = normalisedLineEndings(checkedIn);
    assertThat(actual)
        .as(
            "%s differs from the CRD generated from the Java model (%s); after `mvn"
                + " process-classes`, refresh it with: %s",
            CrdFiles.CHECKED_IN_CRD, firstDifference(expected, actual), refresh)
        .isEqualTo(expected);
  }

  private static String firstDifference(String generated, String checkedIn) {
    List<String> expected = generated.lines().toList();
    List<String> actual = checkedIn.lines().toList();
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String want = i < expected.size() ? expected.get(i) : "<end of file>";
      String got = i < actual.size() ? actual.get(i) : "<end of file>";
      if (!want.equals(got)) {
        return "first at line "
            + (i + 1)
            + ": generated `"
            + want.strip()
            + "`, checked in `"
            + got.strip()
            + "`";
      }
    }
    return "only in the final newline";
  }

  private static String normalisedLineEndings(Path file) throws IOException {
    return Files.readString(file).replace("\r\n", "\n");
  }
}
