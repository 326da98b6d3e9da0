package io.allowedami.compliance;

import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.WatermarkFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Test data: an instance builder with plausible defaults, and criteria in one line. */
final class Fixtures {
  static final String OWN_ACCOUNT = "111122223333";
  static final String AMAZON_OWNER = "137112412989";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private Fixtures() {}

  static Instant daysAgo(long days) {
    return NOW.minus(Duration.ofDays(days));
  }

  static Instance instance() {
    return new Instance();
  }

  static ImageCriteria criteria(Criterion... criteria) {
    return ImageCriteria.of(List.of(criteria).stream().map(Criterion::build).toList());
  }

  static Criterion criterion() {
    return new Criterion();
  }

  /** Mutable on purpose: tests set only what they are about. */
  static final class Instance {
    private String instanceId = "i-0000000000000000a";
    private String instanceType = "m5.large";
    private String zone = "us-east-1a";
    private String state = "running";
    private Instant launchTime = daysAgo(3);
    private String imageId = "ami-0aaaaaaaaaaaaaaaa";
    private String name = "al2023-ami-2023.7.20250101.0-kernel-6.1-x86_64";
    private String ownerId = AMAZON_OWNER;
    private String alias = "amazon";
    private Instant created = daysAgo(100);
    private Instant deprecated;
    private Verdict reported = Verdict.UNKNOWN;
    private Set<String> productCodes;
    private Set<ImageWatermark> watermarks;

    Instance id(String value) {
      instanceId = value;
      return this;
    }

    Instance state(String value) {
      state = value;
      return this;
    }

    Instance image(String value) {
      imageId = value;
      return this;
    }

    Instance name(String value) {
      name = value;
      return this;
    }

    Instance owner(String id, String ownerAlias) {
      ownerId = id;
      alias = ownerAlias;
      return this;
    }

    Instance created(Instant value) {
      created = value;
      return this;
    }

    Instance deprecated(Instant value) {
      deprecated = value;
      return this;
    }

    Instance reported(Verdict value) {
      reported = value;
      return this;
    }

    Instance productCodes(String... codes) {
      productCodes = Set.of(codes);
      return this;
    }

    Instance watermarks(ImageWatermark... marks) {
      watermarks = Set.of(marks);
      return this;
    }

    InstanceImage build() {
      return new InstanceImage(
          instanceId,
          instanceType,
          zone,
          state,
          launchTime,
          imageId,
          name,
          ownerId,
          alias,
          created,
          deprecated,
          "available",
          reported,
          productCodes,
          watermarks);
    }
  }

  static final class Criterion {
    private List<String> providers;
    private List<String> names;
    private List<String> codes;
    private Integer daysSinceCreated;
    private Integer daysSinceDeprecated;
    private List<WatermarkFilter> watermarks;

    Criterion providers(String... values) {
      providers = List.of(values);
      return this;
    }

    Criterion names(String... values) {
      names = List.of(values);
      return this;
    }

    Criterion productCodes(String... values) {
      codes = List.of(values);
      return this;
    }

    Criterion createdWithinDays(int days) {
      daysSinceCreated = days;
      return this;
    }

    Criterion deprecatedWithinDays(int days) {
      daysSinceDeprecated = days;
      return this;
    }

    Criterion watermarks(WatermarkFilter... filters) {
      watermarks = List.of(filters);
      return this;
    }

    ImageCriterion build() {
      return new ImageCriterion(
          providers, names, codes, daysSinceCreated, daysSinceDeprecated, watermarks);
    }
  }
}
