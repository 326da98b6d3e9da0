package io.allowedami.api.v1alpha1;

/**
 * Every bound of the spec, in one place: the CRD schema's annotations and the reconciler's own
 * validation both read these constants, so that the two cannot drift apart.
 */
public final class Limits {
  private Limits() {}

  /** AWS: at most 10 criteria. */
  public static final int MAX_CRITERIA = 10;

  /** AWS: at most 200 providers in a criterion. */
  public static final int MAX_PROVIDERS = 200;

  /** AWS: at most 50 image names, product codes or watermark filters in a criterion. */
  public static final int MAX_VALUES = 50;

  /** Regions one policy governs; EC2 has fewer than 40 Regions in all partitions. */
  public static final int MAX_REGIONS = 40;

  /** Longest Region name (today's longest, ap-southeast-5 or us-gov-west-1, is far shorter). */
  public static final int MAX_REGION_LENGTH = 32;

  /** Longest provider: a 12-digit account ID, or aws-backup-vault (16). */
  public static final int MAX_PROVIDER_LENGTH = 16;

  /** AWS: image names of 1-128 characters. */
  public static final int MAX_IMAGE_NAME_LENGTH = 128;

  /** AWS: a name pattern that uses '?' must be at least this long. */
  public static final int MIN_IMAGE_NAME_WITH_QUESTION_MARK = 3;

  /** AWS: product codes of 1-25 characters. */
  public static final int MAX_PRODUCT_CODE_LENGTH = 25;

  /** Watermark keys: accountId (12) + ':' + name (128). */
  public static final int MIN_WATERMARK_KEY_LENGTH = 3;

  public static final int MAX_WATERMARK_KEY_LENGTH = 141;

  /** STS: external IDs of 2-1224 characters. */
  public static final int MIN_EXTERNAL_ID_LENGTH = 2;

  public static final int MAX_EXTERNAL_ID_LENGTH = 1224;

  /** STS: role session names of 2-64 characters. */
  public static final int MIN_SESSION_NAME_LENGTH = 2;

  public static final int MAX_SESSION_NAME_LENGTH = 64;

  /** Day counts are int32 in AWS's API. */
  public static final int MAX_DAYS = Integer.MAX_VALUE;

  /**
   * A CEL rule on every integer field. The API server's type check lets a float pass for an integer
   * when it lies within a relative 1e-9 of one (kube-openapi with go-openapi/swag), so it would
   * store 1000000000.5, which the operator cannot read as an integer. CEL sees any float in an
   * integer field as an error, so any rule on the field refuses it (1.0 and 1e3 too): this one,
   * always true of an integer, says what is wrong.
   */
  public static final String INTEGER_RULE = "type(self) == int";

  public static final String INTEGER_RULE_MESSAGE = "must be an integer (no fraction, no exponent)";

  /** The largest sample of instances per Region that status lists. */
  public static final int MAX_SAMPLE_SIZE = 50;

  /** Resync intervals: text length, and bounds the schema checks with CEL's duration(). */
  public static final int MIN_DURATION_LENGTH = 2;

  public static final int MAX_DURATION_LENGTH = 16;

  /** Shortest resync: below it, a policy over many Regions would eat EC2's read budget. */
  public static final String MIN_RESYNC_INTERVAL = "10s";

  /** Longest resync: drift left uncorrected for more than a day is not governance. */
  public static final String MAX_RESYNC_INTERVAL = "24h";

  /** The resync bounds as a CEL rule, evaluated by the API server. */
  public static final String RESYNC_RULE =
      "duration(self) >= duration('"
          + MIN_RESYNC_INTERVAL
          + "') && duration(self) <= duration('"
          + MAX_RESYNC_INTERVAL
          + "')";

  public static final String RESYNC_RULE_MESSAGE =
      "resyncInterval must be between " + MIN_RESYNC_INTERVAL + " and " + MAX_RESYNC_INTERVAL;

  /** Launch templates change seldom; a scan per Region every minute is already generous. */
  public static final String MIN_LAUNCH_TEMPLATE_SCAN_INTERVAL = "1m";

  public static final String MAX_LAUNCH_TEMPLATE_SCAN_INTERVAL = "24h";

  public static final String DEFAULT_LAUNCH_TEMPLATE_SCAN_INTERVAL = "1h";

  public static final String LAUNCH_TEMPLATE_SCAN_RULE =
      "duration(self) >= duration('"
          + MIN_LAUNCH_TEMPLATE_SCAN_INTERVAL
          + "') && duration(self) <= duration('"
          + MAX_LAUNCH_TEMPLATE_SCAN_INTERVAL
          + "')";

  public static final String LAUNCH_TEMPLATE_SCAN_RULE_MESSAGE =
      "launchTemplateScanInterval must be between "
          + MIN_LAUNCH_TEMPLATE_SCAN_INTERVAL
          + " and "
          + MAX_LAUNCH_TEMPLATE_SCAN_INTERVAL;
}
