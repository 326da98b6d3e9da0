package io.allowedami.reconcile;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.domain.DesiredSettings;
import io.allowedami.domain.Failure;
import io.allowedami.domain.RegionAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The DryRun checks of a Region's writes, all issued together so that a missing permission leaves
 * the Region untouched rather than half applied. A Region not known to be in sync can have them
 * sent ahead, beside the settings read: its plan is then checked without a round trip of its own.
 */
final class PermissionChecks {
  private final AllowedImagesGateway aws;
  private final String region;
  private final Executor calls;
  private final Map<RegionAction, CompletableFuture<Optional<Failure>>> sent =
      new LinkedHashMap<>();

  private PermissionChecks(AllowedImagesGateway aws, String region, Executor calls) {
    this.aws = aws;
    this.region = region;
    this.calls = calls;
  }

  /** Checks sent only once the plan is known. */
  static PermissionChecks onDemand(AllowedImagesGateway aws, String region, Executor calls) {
    return new PermissionChecks(aws, region, calls);
  }

  /**
   * Sends now the DryRun of every write the planner could make towards {@code desired} (the state
   * and, when the spec sets them, the criteria), before the settings are known.
   */
  static PermissionChecks ahead(
      AllowedImagesGateway aws, String region, DesiredSettings desired, Executor calls) {
    PermissionChecks checks = new PermissionChecks(aws, region, calls);
    candidates(desired).forEach(checks::send);
    return checks;
  }

  /** Every action {@link io.allowedami.domain.RegionPlanner} can plan towards {@code desired}. */
  static List<RegionAction> candidates(DesiredSettings desired) {
    List<RegionAction> actions = new ArrayList<>(2);
    desired
        .criteria()
        .ifPresent(criteria -> actions.add(new RegionAction.ReplaceCriteria(criteria)));
    actions.add(new RegionAction.SetState(desired.state()));
    return actions;
  }

  /**
   * The first denial in plan order, if any, once every action of the plan was checked: those sent
   * ahead are reused, the others are sent now, together.
   */
  Optional<Failure> firstDenial(List<RegionAction> actions) {
    actions.forEach(this::send);
    return actions.stream()
        .map(sent::get)
        .map(CompletableFuture::join)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private void send(RegionAction action) {
    sent.computeIfAbsent(
        action,
        a ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    aws.checkPermission(region, a);
                    return Optional.<Failure>empty();
                  } catch (RuntimeException e) {
                    return Optional.of(RegionConverger.classifyAndLog(region, e));
                  }
                },
                calls));
  }
}
