package io.allowedami.app;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator which policies left its selector or were deleted, so it can drop what it keeps
 * about them (metrics, backoff). The finalizer's cleanup forgets a deleted policy too, but a policy
 * relabelled out of {@code --policy-selector} is never deleted and JOSDK 5.2.3 says nothing of it:
 * its controller event source refuses an on-delete filter, and only event sources that the
 * reconciler registers hear of such changes. So a second informer on AllowedAmiPolicy
 * (cluster-scoped, a handful of objects) listens for them, including those it only learns of when
 * it lists again after a lost watch; forgetting twice is harmless.
 */
final class PolicyDeletionWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyDeletionWatch.class);

  private final SharedIndexInformer<AllowedAmiPolicy> informer;

  private PolicyDeletionWatch(SharedIndexInformer<AllowedAmiPolicy> informer) {
    this.informer = informer;
  }

  /**
   * Starts watching the policies the selector picks (a policy relabelled out of it counts as
   * deleted here, as it does for the operator's own informer); returns once the informer has listed
   * the existing policies.
   */
  static PolicyDeletionWatch start(
      KubernetesClient client, PolicySelector selector, Consumer<String> onDeletedUid) {
    var policies = client.resources(AllowedAmiPolicy.class);
    var selected =
        selector.selectsAll() ? policies : policies.withLabelSelector(selector.expression());
    return new PolicyDeletionWatch(selected.inform(new DeletionHandler(onDeletedUid), 0));
  }

  static PolicyDeletionWatch start(KubernetesClient client, Consumer<String> onDeletedUid) {
    return start(client, PolicySelector.all(), onDeletedUid);
  }

  /** Whether the informer is running and its watch is open, as JOSDK judges its own informers. */
  boolean isWatching() {
    return informer.isRunning() && informer.isWatching();
  }

  @Override
  public void close() {
    informer.close();
  }

  /** Hands over the UID of each deleted policy; creations and updates are the reconciler's. */
  private record DeletionHandler(Consumer<String> onDeletedUid)
      implements ResourceEventHandler<AllowedAmiPolicy> {
    @Override
    public void onAdd(AllowedAmiPolicy policy) {}

    @Override
    public void onUpdate(AllowedAmiPolicy before, AllowedAmiPolicy after) {}

    @Override
    public void onDelete(AllowedAmiPolicy policy, boolean deletedFinalStateUnknown) {
      String uid = policy.getMetadata().getUid();
      log.debug("policy {} ({}) deleted", policy.getMetadata().getName(), uid);
      try {
        onDeletedUid.accept(uid);
      } catch (RuntimeException e) {
        log.warn("could not forget deleted policy {}", policy.getMetadata().getName(), e);
      }
    }
  }
}
