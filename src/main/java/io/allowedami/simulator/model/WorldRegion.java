package io.allowedami.simulator.model;

/** A Region of the simulated world and whether it is enabled. */
public record WorldRegion(String name, OptInStatus optInStatus) {

  public WorldRegion {
    optInStatus = optInStatus == null ? OptInStatus.OPT_IN_NOT_REQUIRED : optInStatus;
  }
}
