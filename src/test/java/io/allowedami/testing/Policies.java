package io.allowedami.testing;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Builds policies for tests and reads their conditions. */
public final class Policies {
  private Policies() {}

  public static AllowedAmiPolicy providers(
      String name, Mode mode, List<String> regions, String... providers) {
    AllowedAmiPolicySpec spec = new AllowedAmiPolicySpec();
    spec.setMode(mode);
    spec.setRegions(regions);
    spec.setProviders(List.of(providers));
    AllowedAmiPolicy policy = new AllowedAmiPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return policy;
  }

  public static PolicyCondition condition(AllowedAmiPolicy policy, String type) {
    return policy == null || policy.getStatus() == null
        ? null
        : Conditions.find(policy.getStatus().getConditions(), type);
  }

  public static boolean isReady(AllowedAmiPolicy policy) {
    PolicyCondition ready = condition(policy, Conditions.READY);
    return ready != null
        && Conditions.TRUE.equals(ready.getStatus())
        && policy.getStatus().getObservedGeneration() != null
        && policy.getStatus().getObservedGeneration().equals(policy.getMetadata().getGeneration());
  }
}
