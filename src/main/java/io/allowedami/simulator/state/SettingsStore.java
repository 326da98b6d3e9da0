package io.allowedami.simulator.state;

import io.allowedami.simulator.model.AllowedImagesSettings;
import io.allowedami.simulator.model.Criterion;
import io.allowedami.simulator.model.ManagedBy;
import io.allowedami.simulator.model.SettingsState;
import io.allowedami.simulator.protocol.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The Allowed AMIs setting of every account and Region, and the declarative policies that can
 * override it. Each account/Region slot is updated atomically; writes to a policy-managed slot
 * fail.
 */
public final class SettingsStore {

  /**
   * The error code answered to writes while a declarative policy manages the setting (AWS documents
   * none).
   */
  public static final String DECLARATIVE_POLICY_ERROR = "OperationNotPermitted";

  private record Key(String accountId, String region) {}

  /** The account's own setting and, while a declarative policy applies, the enforced one. */
  private record Slot(AllowedImagesSettings own, AllowedImagesSettings enforced) {
    AllowedImagesSettings effective() {
      return enforced != null ? enforced : own;
    }
  }

  private static final Slot INITIAL = new Slot(AllowedImagesSettings.INITIAL, null);

  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();

  public AllowedImagesSettings get(String accountId, String region) {
    return slots.getOrDefault(new Key(accountId, region), INITIAL).effective();
  }

  /** An API write: rejected while a declarative policy manages the setting. */
  public AllowedImagesSettings write(
      String accountId, String region, UnaryOperator<AllowedImagesSettings> change) {
    return slots
        .compute(
            new Key(accountId, region),
            (key, slot) -> {
              Slot current = slot == null ? INITIAL : slot;
              if (current.enforced() != null) {
                throw new ApiException(
                    400,
                    DECLARATIVE_POLICY_ERROR,
                    "The Allowed AMIs setting of account "
                        + accountId
                        + " in "
                        + region
                        + " is managed by an AWS Organizations declarative policy "
                        + "(ManagedBy: declarative-policy) and cannot be changed with this API");
              }
              return new Slot(change.apply(current.own()), null);
            })
        .effective();
  }

  /** An out-of-band change (console, another tool, drift): replaces the account's own setting. */
  public void setOutOfBand(
      String accountId, String region, SettingsState state, List<Criterion> criteria) {
    slots.compute(
        new Key(accountId, region),
        (key, slot) ->
            new Slot(
                new AllowedImagesSettings(state, criteria, ManagedBy.ACCOUNT),
                slot == null ? null : slot.enforced()));
  }

  public void enforceDeclarativePolicy(
      String accountId, String region, SettingsState state, List<Criterion> criteria) {
    AllowedImagesSettings enforced =
        new AllowedImagesSettings(state, criteria, ManagedBy.DECLARATIVE_POLICY);
    slots.compute(
        new Key(accountId, region),
        (key, slot) ->
            new Slot(slot == null ? AllowedImagesSettings.INITIAL : slot.own(), enforced));
  }

  /**
   * Detaches the policy: the setting rolls back to what the account had before, as AWS documents.
   */
  public void liftDeclarativePolicy(String accountId, String region) {
    slots.computeIfPresent(new Key(accountId, region), (key, slot) -> new Slot(slot.own(), null));
  }

  public void liftAllDeclarativePolicies() {
    slots.replaceAll((key, slot) -> new Slot(slot.own(), null));
  }
}
