package io.allowedami.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.compliance.ComplianceAggregator;
import io.allowedami.compliance.ComplianceReport;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.ReportLimits;
import io.allowedami.compliance.Verdict;
import io.allowedami.domain.AllowedImagesState;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.ImageCriteria;
import io.allowedami.domain.ImageCriterion;
import io.allowedami.domain.RegionSettings;
import io.allowedami.testing.DelegatingGateway;
import io.allowedami.testing.FakeGateway;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The instance scan streams: each page is judged as it arrives and dropped, so a Region of any size
 * costs a page and the bounded report, never the whole listing.
 */
class RegionScanTest {
  private static final String ACCOUNT = "111122223333";
  private static final String REGION = "us-east-1";
  private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  private static final int PAGE = 1_000;
  private static final int INSTANCES = 200_000;
  private static final int IMAGES = 300;
  private static final ImageCriteria AMAZON =
      ImageCriteria.of(List.of(ImageCriterion.ofProviders(List.of("amazon"))));
  private static final ExecutorService CALLS = Executors.newCachedThreadPool();

  private final FakeGateway fake = new FakeGateway(ACCOUNT);

  @AfterAll
  static void stopCalls() {
    CALLS.shutdownNow();
  }

  private static RegionConverger.Inputs inputs() {
    return RegionConverger.Inputs.of(
        DesiredSettings.of(AllowedImagesState.AUDIT_MODE, AMAZON),
        false,
        null,
        ACCOUNT,
        new ComplianceAggregator(ReportLimits.DEFAULT),
        NOW,
        CALLS);
  }

  /**
   * Instances generated page by page, every one registered weakly: what is still reachable after a
   * collection is what someone holds. A third of the images are not allowed (by AWS and by the
   * criteria), so a fold that kept non-compliant instances would keep tens of thousands.
   */
  private static final class GeneratedFleet extends DelegatingGateway {
    private final List<WeakReference<InstanceImage>> generated = new ArrayList<>(INSTANCES);
    private final List<Integer> liveAtChecks = new ArrayList<>();
    private final List<Integer> pageSizes = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);

    GeneratedFleet(AllowedImagesGateway delegate) {
      super(delegate);
    }

    @Override
    public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
      for (int first = 0; first < INSTANCES; first += PAGE) {
        if (first > 0 && first % (20 * PAGE) == 0) {
          liveAtChecks.add(liveAfterCollection());
        }
        deliver(first, pages);
      }
      liveAtChecks.add(liveAfterCollection());
    }

    /** In a method of its own so that no local variable keeps the page once it is handed over. */
    private void deliver(int first, Consumer<List<InstanceImage>> pages) {
      List<InstanceImage> page = new ArrayList<>(PAGE);
      for (int n = first; n < Math.min(INSTANCES, first + PAGE); n++) {
        InstanceImage instance = instance(n);
        generated.add(new WeakReference<>(instance));
        page.add(instance);
      }
      pageSizes.add(page.size());
      pages.accept(page);
    }

    private InstanceImage instance(int n) {
      int image = random.nextInt(IMAGES);
      boolean marketplace = image % 3 == 0;
      return new InstanceImage(
          // Out of order, as AWS's listing is: the sample must still be the first IDs.
          "i-%08x%09d".formatted(random.nextInt(), n),
          "t3.micro",
          REGION + "a",
          n % 5 == 0 ? "stopped" : "running",
          NOW.minus(Duration.ofDays(1)),
          "ami-%017d".formatted(image),
          "image-" + image,
          marketplace ? "679593333241" : "137112412989",
          marketplace ? "aws-marketplace" : "amazon",
          NOW.minus(Duration.ofDays(30)),
          null,
          "available",
          marketplace ? Verdict.NOT_ALLOWED : Verdict.ALLOWED,
          null,
          null);
    }

    private int liveAfterCollection() {
      int live = Integer.MAX_VALUE;
      for (int attempt = 0; attempt < 5 && live > 0; attempt++) {
        System.gc();
        live = (int) generated.stream().filter(ref -> ref.get() != null).count();
      }
      return live;
    }
  }

  @Test
  void whenARegionHas200000Instances_thenTheScanHoldsAtMostOnePageOfThemAtAnyTime() {
    GeneratedFleet fleet = new GeneratedFleet(fake);

    RegionOutcome outcome = RegionConverger.converge(fleet, REGION, inputs());

    ComplianceReport report = outcome.compliance().orElseThrow();
    assertThat(report.instances()).isEqualTo(INSTANCES);
    assertThat(fleet.pageSizes).hasSize(INSTANCES / PAGE).containsOnly(PAGE);
    assertThat(fleet.liveAtChecks).hasSize(10);
    // Held whole, the listing would leave up to 200,000 live instances here; the fold keeps none.
    assertThat(fleet.liveAtChecks).allSatisfy(live -> assertThat(live).isLessThanOrEqualTo(PAGE));
    assertThat(report.notAllowedInstances().total()).isEqualTo(report.reported().notAllowed());
    assertThat(report.reported().notAllowed()).isBetween(INSTANCES / 4, INSTANCES / 2);
    assertThat(report.notAllowedInstances().instances())
        .hasSize(ReportLimits.DEFAULT.sampleSize())
        .extracting(ComplianceReport.InstanceSummary::id)
        .isSorted();
  }

  @Test
  void whenTheSettingsCannotBeRead_thenTheScanStopsAtItsFirstPage() {
    AtomicInteger pagesServed = new AtomicInteger();
    AllowedImagesGateway aws =
        new DelegatingGateway(fake) {
          @Override
          public RegionSettings getSettings(String region) {
            throw new IllegalStateException("settings read failed");
          }

          @Override
          public void describeInstanceImages(String region, Consumer<List<InstanceImage>> pages) {
            for (int page = 0; page < 50; page++) {
              pagesServed.incrementAndGet();
              pages.accept(List.of());
            }
          }
        };

    RegionOutcome outcome = RegionConverger.converge(aws, REGION, inputs());

    assertThat(outcome.compliance()).isEmpty();
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> pagesServed.get() <= 1);
  }
}
