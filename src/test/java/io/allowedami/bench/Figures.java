package io.allowedami.bench;

import java.util.ArrayList;
import java.util.List;

/** Every figure of a run with its goal, printed at the end as the table BENCHMARKS.md holds. */
final class Figures {
  enum Verdict {
    MET("met"),
    MISSED("**missed**"),
    NONE("");

    final String text;

    Verdict(String text) {
      this.text = text;
    }

    static Verdict of(boolean met) {
      return met ? MET : MISSED;
    }
  }

  record Row(String figure, String value, String goal, Verdict verdict) {}

  private final List<Row> rows = new ArrayList<>();

  void add(String figure, String value) {
    add(figure, value, "", Verdict.NONE);
  }

  void add(String figure, String value, String goal, Verdict verdict) {
    rows.add(new Row(figure, value, goal, verdict));
    System.out.printf("  %s: %s%s%n", figure, value, goal.isEmpty() ? "" : " (goal " + goal + ")");
  }

  String table() {
    StringBuilder out = new StringBuilder("| figure | value | goal | |\n|---|---|---|---|\n");
    for (Row row : rows) {
      out.append("| ")
          .append(row.figure())
          .append(" | ")
          .append(row.value())
          .append(" | ")
          .append(row.goal())
          .append(" | ")
          .append(row.verdict().text)
          .append(" |\n");
    }
    return out.toString();
  }
}
