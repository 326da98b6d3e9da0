package io.allowedami.compliance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one scan of a Region's launch templates read: the default and latest version of every
 * template, the images they name that the account can find, and the settings in force while they
 * were read (AWS's {@code ImageAllowed} answers for those settings only). Judged again at every
 * reconcile without a call, so a scan can be reused until it is due again.
 *
 * @param truncated true when the scan stopped at its page limit: the figures cover part of the
 *     Region only
 */
public record LaunchTemplateInventory(
    List<LaunchTemplateVersion> versions,
    Map<String, DescribedImage> images,
    boolean truncated,
    Instant scannedAt) {

  public LaunchTemplateInventory {
    versions = List.copyOf(versions);
    images = Map.copyOf(images);
    Objects.requireNonNull(scannedAt, "scannedAt");
  }
}
