package io.allowedami.simulator.http;

import com.sun.net.httpserver.HttpExchange;
import io.allowedami.simulator.protocol.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reads bounded request bodies and writes complete responses for the JDK HTTP server. */
final class HttpExchanges {

  static final int MAX_BODY_BYTES = 1 << 20;

  private HttpExchanges() {}

  static String readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        in.transferTo(
            OutputStream.nullOutputStream()); // lets the client finish sending and read the answer
        throw new ApiException(
            413, "RequestEntityTooLarge", "The request body exceeds " + MAX_BODY_BYTES + " bytes");
      }
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
