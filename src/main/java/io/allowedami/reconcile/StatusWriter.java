package io.allowedami.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicyStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * Writes a policy's status, only when it differs from what the operator last saw.
 *
 * <p>Why not JOSDK's {@code UpdateControl.patchStatus}: without server-side apply, JOSDK 5 sends a
 * JSON Patch computed against its cached copy of the object, with the resourceVersion removed. JSON
 * Patch addresses list items by index, so whenever the server's status differs from that copy (a
 * status written since by anyone, the previous reconcile included, that the informer has not
 * delivered yet), operations such as "replace /status/conditions/3" fail with "Array index out of
 * bounds", and every retry fails the same way. Here the whole status is replaced (PUT to the status
 * subresource, which leaves spec and metadata alone) with optimistic locking; on a conflict JOSDK
 * waits for the newer object in its cache and replaces again, and it keeps the written object for
 * the next reconcile. The status written describes the generation that was reconciled, whatever the
 * server holds by then; a newer generation triggers its own reconcile.
 */
final class StatusWriter {

  private StatusWriter() {}

  /** Writes {@code next} unless it equals {@code previous}; returns true when it wrote. */
  static boolean write(
      AllowedAmiPolicy policy,
      AllowedAmiPolicyStatus previous,
      AllowedAmiPolicyStatus next,
      Context<AllowedAmiPolicy> context) {
    if (!changed(previous, next)) {
      return false;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        policy,
        context,
        current -> {
          current.setStatus(next);
          return current;
        });
    return true;
  }

  static boolean changed(AllowedAmiPolicyStatus previous, AllowedAmiPolicyStatus next) {
    JsonNode before = previous == null ? null : Serialization.jsonMapper().valueToTree(previous);
    JsonNode after = Serialization.jsonMapper().valueToTree(next);
    return !after.equals(before);
  }
}
