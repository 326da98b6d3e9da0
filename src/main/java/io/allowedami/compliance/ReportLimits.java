package io.allowedami.compliance;

/**
 * The caps that keep a Region's compliance report, and so the policy's status, small whatever the
 * fleet: the defaults keep 17 Regions of any size within about 64 KiB (80 KiB with every Region's
 * launch template list full and the rollout warnings).
 */
public record ReportLimits(
    int maxImages, int sampleSize, int maxDisagreementImages, int maxNameLength) {

  /**
   * Sample size 10 is the CRD's documented default for {@code compliance.sampleSize}; the other
   * caps are what remains of a 64 KiB budget for 17 Regions with every list full (StatusSizeTest).
   */
  public static final ReportLimits DEFAULT = new ReportLimits(3, 5, 3, 64);

  /** Instance IDs, types, zones, states, owners and aliases are short in AWS; this only guards. */
  static final int MAX_FIELD_LENGTH = 64;

  public ReportLimits {
    if (maxImages < 0 || sampleSize < 0 || maxDisagreementImages < 0) {
      throw new IllegalArgumentException("report caps must not be negative");
    }
    if (maxNameLength < 3) {
      throw new IllegalArgumentException(
          "maxNameLength must leave room for both ends of a name and the ellipsis");
    }
  }

  public ReportLimits withSampleSize(int size) {
    return new ReportLimits(maxImages, size, maxDisagreementImages, maxNameLength);
  }

  String name(String name) {
    return clip(name, maxNameLength);
  }

  static String field(String value) {
    return clip(value, MAX_FIELD_LENGTH);
  }

  /**
   * Cuts the middle out to keep at most {@code max} characters, because both ends of an AMI name
   * carry meaning (the distribution, then the version or date); never splits a surrogate pair.
   */
  static String clip(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    int head = (max - 1) / 2;
    int tail = max - 1 - head;
    if (Character.isHighSurrogate(value.charAt(head - 1))) {
      head--;
    }
    if (Character.isLowSurrogate(value.charAt(value.length() - tail))) {
      tail--;
    }
    return value.substring(0, head) + '…' + value.substring(value.length() - tail);
  }
}
