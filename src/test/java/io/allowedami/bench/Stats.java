package io.allowedami.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles of a handful of samples: the figures quoted, not the mean. */
final class Stats {
  private Stats() {}

  static double median(List<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** The nearest-rank percentile. */
  static double percentile(List<Double> samples, int percent) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double min(List<Double> samples) {
    return samples.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  static double max(List<Double> samples) {
    return samples.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /** "median (min–max, n runs)" in milliseconds. */
  static String millis(List<Double> samples) {
    return samples.size() == 1
        ? "%.0f ms (1 run)".formatted(samples.get(0))
        : "%.0f ms (%.0f–%.0f, %d runs)"
            .formatted(median(samples), min(samples), max(samples), samples.size());
  }
}
