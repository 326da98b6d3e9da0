package io.allowedami.domain;

import java.util.Objects;

/**
 * One Region as DescribeRegions(AllRegions=true) reports it for an account: whether the account can
 * use it decides whether the operator calls it at all.
 *
 * @param optInStatus AWS's value: opt-in-not-required, opted-in or not-opted-in
 */
public record RegionInfo(String name, String optInStatus) {
  public static final String OPT_IN_NOT_REQUIRED = "opt-in-not-required";
  public static final String OPTED_IN = "opted-in";
  public static final String NOT_OPTED_IN = "not-opted-in";

  public RegionInfo {
    Objects.requireNonNull(name, "name");
  }

  /** Usable by the account: no opt-in needed, or opted in. An unknown status counts as usable. */
  public boolean enabled() {
    return !NOT_OPTED_IN.equals(optInStatus);
  }
}
