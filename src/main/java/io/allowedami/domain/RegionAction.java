package io.allowedami.domain;

/** One write the operator makes to a Region's Allowed AMIs settings. */
public sealed interface RegionAction {

  /** ReplaceImageCriteriaInAllowedImagesSettings: replaces the whole list. */
  record ReplaceCriteria(ImageCriteria criteria) implements RegionAction {
    @Override
    public String describe() {
      return "replaced image criteria ("
          + criteria.size()
          + (criteria.size() == 1 ? " criterion)" : " criteria)");
    }
  }

  /** EnableAllowedImagesSettings or, for {@code disabled}, DisableAllowedImagesSettings. */
  record SetState(AllowedImagesState state) implements RegionAction {
    @Override
    public String describe() {
      return "set state " + state.wireValue();
    }
  }

  /** A short past-tense phrase for status and events. */
  String describe();
}
