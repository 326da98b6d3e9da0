package io.allowedami.simulator.ec2;

import io.allowedami.simulator.protocol.XmlWriter;
import java.util.Map;

/** Writes EC2's {@code tagSet} element. */
final class Tags {

  private Tags() {}

  static void write(XmlWriter xml, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    xml.start("tagSet");
    tags.forEach((k, v) -> xml.start("item").element("key", k).element("value", v).end());
    xml.end();
  }
}
