package io.allowedami.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The plan as JSON for tools: {@link PlanReport}'s records as they are, every key present (null
 * when it does not apply), in declaration order, so the shape documented in the README is stable.
 */
public final class PlanJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private PlanJson() {}

  public static String toJson(PlanReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(PlanReport report, PrintWriter out) {
    out.println(toJson(report));
    out.flush();
  }
}
