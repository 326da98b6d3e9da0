package io.allowedami.reconcile;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;

/** Kubernetes Events about a policy: only for meaningful changes, never for a routine resync. */
public interface PolicyEvents {
  String NORMAL = "Normal";
  String WARNING = "Warning";

  void record(AllowedAmiPolicy policy, String type, String reason, String message);
}
