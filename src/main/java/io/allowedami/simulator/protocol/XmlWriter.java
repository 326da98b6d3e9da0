package io.allowedami.simulator.protocol;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/** Writes well-formed XML responses: escapes every text, drops characters XML 1.0 cannot carry. */
public final class XmlWriter {

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

  private final StringBuilder xml =
      new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  private final Deque<String> open = new ArrayDeque<>();

  public XmlWriter start(String name) {
    xml.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  public XmlWriter start(String name, String namespace) {
    xml.append('<').append(name).append(" xmlns=\"").append(escape(namespace)).append("\">");
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    xml.append("</").append(open.pop()).append('>');
    return this;
  }

  /** Writes {@code <name>value</name>}; a null value writes nothing. */
  public XmlWriter element(String name, Object value) {
    if (value != null) {
      xml.append('<')
          .append(name)
          .append('>')
          .append(escape(text(value)))
          .append("</")
          .append(name)
          .append('>');
    }
    return this;
  }

  private static String text(Object value) {
    if (value instanceof Instant instant) {
      return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
    return String.valueOf(value);
  }

  public static String timestamp(Instant instant) {
    return instant == null ? null : text(instant);
  }

  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                  if (isXmlChar(c)) {
                    out.appendCodePoint(c);
                  } else {
                    out.append('\uFFFD');
                  }
                }
              }
            });
    return out.toString();
  }

  private static boolean isXmlChar(int c) {
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements: " + open);
    }
    return xml.toString();
  }
}
