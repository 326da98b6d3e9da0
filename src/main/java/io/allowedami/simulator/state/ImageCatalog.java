package io.allowedami.simulator.state;

import io.allowedami.simulator.model.WorldImage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The AMIs of the world by Region and ID; images can be added or deregistered while running. */
public final class ImageCatalog {

  private final Map<String, WorldImage> byRegionAndId = new ConcurrentSkipListMap<>();

  public ImageCatalog(Collection<WorldImage> seed) {
    seed.forEach(this::put);
  }

  public void put(WorldImage image) {
    byRegionAndId.put(key(image.region(), image.imageId()), image);
  }

  public boolean deregister(String region, String imageId) {
    return byRegionAndId.computeIfPresent(key(region, imageId), (k, image) -> image.deregister())
        != null;
  }

  public Optional<WorldImage> get(String region, String imageId) {
    return Optional.ofNullable(byRegionAndId.get(key(region, imageId)));
  }

  /** The Region's images ordered by image ID. */
  public List<WorldImage> list(String region) {
    return byRegionAndId.values().stream().filter(i -> i.region().equals(region)).toList();
  }

  private static String key(String region, String imageId) {
    return region + "/" + imageId;
  }
}
