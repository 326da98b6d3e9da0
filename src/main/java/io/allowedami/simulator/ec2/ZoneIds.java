package io.allowedami.simulator.ec2;

/**
 * Derives an availability-zone ID (like {@code use1-az1}) from a zone name (like {@code
 * us-east-1a}).
 */
final class ZoneIds {

  private ZoneIds() {}

  static String of(String availabilityZone) {
    String[] parts = availabilityZone.split("-");
    if (parts.length < 3 || parts[parts.length - 1].isEmpty()) {
      return availabilityZone;
    }
    String last = parts[parts.length - 1];
    char zoneLetter = last.charAt(last.length() - 1);
    StringBuilder id = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length - 1; i++) {
      id.append(parts[i].charAt(0));
    }
    id.append(last, 0, last.length() - 1);
    return id + "-az" + (Character.isLetter(zoneLetter) ? zoneLetter - 'a' + 1 : 1);
  }
}
