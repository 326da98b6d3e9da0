package io.allowedami.api.v1alpha1;

/** Value patterns shared by the CRD schema and the reconciler's own validation. */
public final class Patterns {
  private Patterns() {}

  /** AWS Region names: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5. */
  public static final String REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";

  /** A Region name, or '*' alone for every Region enabled for the account. */
  public static final String REGION_OR_ALL = "^(\\*|[a-z]{2}(-[a-z]+)+-[0-9]{1,2})$";

  /** The spec.regions value that stands for every Region enabled for the account. */
  public static final String ALL_REGIONS = "*";

  /** STS role session names: 2-64 characters of letters, digits and _+=,.@-. */
  public static final String SESSION_NAME = "^[A-Za-z0-9_+=,.@-]{2,64}$";

  /** Image providers: the aliases AWS accepts, or a 12-digit account ID. */
  public static final String PROVIDER =
      "^(amazon|aws-marketplace|aws-backup-vault|none|[0-9]{12})$";

  /** Image names: 1-128 characters from AWS's set, with the wildcards * and ?. */
  public static final String IMAGE_NAME = "^[A-Za-z0-9 ()\\[\\]./\\-'@_*?]{1,128}$";

  /** Marketplace product codes: 1-25 letters and digits. */
  public static final String PRODUCT_CODE = "^[A-Za-z0-9]{1,25}$";

  /** Watermark keys: accountId:name, either part may use the wildcards * and ?. */
  public static final String WATERMARK_KEY =
      "^[0-9*?]{1,12}:[A-Za-z0-9 ()\\[\\]./\\-'@_*?]{1,128}$";

  /** IAM role ARNs in any partition. */
  public static final String ROLE_ARN =
      "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";

  /**
   * External IDs as STS accepts them; the length (2-1224) is checked apart, because Go's regexp,
   * which the API server uses for patterns, refuses repeat counts above 1000.
   */
  public static final String EXTERNAL_ID = "^[A-Za-z0-9+=,.@:/-]+$";

  /** A Go-style duration of whole units, as Kubernetes tools write them: 30s, 5m, 1h30m. */
  public static final String DURATION = "^([0-9]+(h|m|s))+$";
}
