package io.allowedami.testing;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.CreationDateConditionSpec;
import io.allowedami.api.v1alpha1.DeprecationTimeConditionSpec;
import io.allowedami.api.v1alpha1.ImageCriterionSpec;
import io.allowedami.api.v1alpha1.Mode;
import io.allowedami.api.v1alpha1.PolicyCondition;
import io.allowedami.api.v1alpha1.RegionStatus;
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

  /** The status of one Region of the policy; fails when the status has none. */
  public static RegionStatus region(AllowedAmiPolicy policy, String region) {
    return policy.getStatus().getRegions().stream()
        .filter(r -> r.getRegion().equals(region))
        .findFirst()
        .orElseThrow();
  }

  /** One criterion of spec.imageCriteria; null leaves a field unset. */
  public static ImageCriterionSpec criterion(
      List<String> providers,
      List<String> names,
      Integer maxDaysSinceCreated,
      Integer maxDaysSinceDeprecated) {
    ImageCriterionSpec criterion = new ImageCriterionSpec();
    criterion.setImageProviders(providers);
    criterion.setImageNames(names);
    if (maxDaysSinceCreated != null) {
      CreationDateConditionSpec created = new CreationDateConditionSpec();
      created.setMaximumDaysSinceCreated(maxDaysSinceCreated);
      criterion.setCreationDateCondition(created);
    }
    if (maxDaysSinceDeprecated != null) {
      DeprecationTimeConditionSpec deprecated = new DeprecationTimeConditionSpec();
      deprecated.setMaximumDaysSinceDeprecated(maxDaysSinceDeprecated);
      criterion.setDeprecationTimeCondition(deprecated);
    }
    return criterion;
  }
}
