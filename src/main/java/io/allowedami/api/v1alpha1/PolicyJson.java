package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the operator reads AllowedAmiPolicy objects. A real cluster can deliver a spec that does not
 * fit the model (an older or newer CRD, a schema bypassed): read strictly, such a spec must not
 * fail the informer, which would stop every policy. So the spec is read here, never throwing: a
 * spec that does not fit becomes {@link AllowedAmiPolicySpec#unreadable} with a precise problem and
 * its raw JSON (written back unchanged, so the operator's copies keep it). A status that does not
 * fit is dropped: the operator owns status and writes it anew.
 *
 * <p>Every Kubernetes client the operator uses must be built with {@link #serialization()}.
 */
public final class PolicyJson {
  private static final Logger log = LoggerFactory.getLogger(PolicyJson.class);
  private static final int MAX_NAME_IN_MESSAGE = 64;

  /** Reads the spec as the CRD schema types it: no unknown field, no coercion between types. */
  private static final ObjectMapper STRICT = strictMapper();

  /** Reads the status, which only the operator writes, ignoring fields it does not know. */
  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private PolicyJson() {}

  /** A Kubernetes serialization that reads policies with this class's rules. */
  public static KubernetesSerialization serialization() {
    return new KubernetesSerialization(new ObjectMapper().registerModule(module()), true);
  }

  /**
   * Fails fast when a client was built without {@link #serialization()}: its informer would stop on
   * the first malformed policy.
   */
  public static void requireLenientReading(KubernetesSerialization serialization) {
    String probe =
        "{\"apiVersion\":\""
            + AllowedAmiPolicy.GROUP
            + "/"
            + AllowedAmiPolicy.VERSION
            + "\","
            + "\"kind\":\"AllowedAmiPolicy\",\"metadata\":{\"name\":\"probe\"},"
            + "\"spec\":{\"probe\":[1]},\"status\":{\"probe\":[1]}}";
    try {
      AllowedAmiPolicy read = serialization.unmarshal(probe, AllowedAmiPolicy.class);
      if (read.getSpec() != null && read.getSpec().getUnreadable().isPresent()) {
        return;
      }
    } catch (RuntimeException e) {
      // falls through
    }
    throw new IllegalStateException(
        "the Kubernetes client does not read AllowedAmiPolicy leniently: build it with"
            + " PolicyJson.serialization()");
  }

  /** The Jackson module behind {@link #serialization()}. */
  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("allowed-ami-policy");
    module.addDeserializer(AllowedAmiPolicySpec.class, new SpecDeserializer());
    module.addSerializer(AllowedAmiPolicySpec.class, new SpecSerializer());
    module.addDeserializer(AllowedAmiPolicyStatus.class, new StatusDeserializer());
    return module;
  }

  /**
   * Reads a spec as the API server's schema would type it; never throws. A spec that does not fit
   * comes back as {@link AllowedAmiPolicySpec#unreadable} naming the field and what is wrong.
   */
  public static AllowedAmiPolicySpec readSpec(JsonNode raw) {
    try {
      return STRICT.treeToValue(raw, AllowedAmiPolicySpec.class);
    } catch (JacksonException | RuntimeException e) {
      return AllowedAmiPolicySpec.unreadable(problem(e), raw);
    }
  }

  /** The spec as JSON, or the raw JSON of a spec that could not be read. */
  public static JsonNode writeSpec(AllowedAmiPolicySpec spec) {
    return spec.getUnreadable()
        .map(AllowedAmiPolicySpec.Unreadable::raw)
        .orElseGet(() -> STRICT.valueToTree(spec));
  }

  private static String problem(Exception e) {
    if (e instanceof JsonMappingException mapping) {
      String field = path(mapping);
      if (e instanceof UnrecognizedPropertyException) {
        return field
            + " is not a field of "
            + AllowedAmiPolicy.VERSION
            + " AllowedAmiPolicy known to this operator (is the installed CRD newer than the"
            + " operator?)";
      }
      if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
        return field + " must be " + describe(mismatch.getTargetType());
      }
      if (mapping.getCause() instanceof InputCoercionException) {
        return field + " must be " + describe(Integer.class);
      }
      return field + " does not fit the schema";
    }
    return "spec could not be read (" + e.getClass().getSimpleName() + ")";
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder("spec");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(cut(ref.getFieldName()));
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String describe(Class<?> type) {
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class) {
      return "an integer from 0 to " + Integer.MAX_VALUE;
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "an object";
  }

  private static String cut(String name) {
    return name.length() <= MAX_NAME_IN_MESSAGE
        ? name
        : name.substring(0, MAX_NAME_IN_MESSAGE) + "…";
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    // The schema types strings, integers and lists: a value of another JSON type is an error.
    for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer}) {
      mapper
          .coercionConfigFor(type)
          .setAcceptBlankAsEmpty(false)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    // ...except the natural one: a string for a string, an integer for an integer.
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    return mapper;
  }

  private static final class SpecDeserializer extends StdDeserializer<AllowedAmiPolicySpec> {
    SpecDeserializer() {
      super(AllowedAmiPolicySpec.class);
    }

    @Override
    public AllowedAmiPolicySpec deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      return readSpec(ctxt.readTree(p));
    }
  }

  private static final class SpecSerializer extends StdSerializer<AllowedAmiPolicySpec> {
    SpecSerializer() {
      super(AllowedAmiPolicySpec.class);
    }

    @Override
    public void serialize(AllowedAmiPolicySpec spec, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(writeSpec(spec));
    }
  }

  private static final class StatusDeserializer extends StdDeserializer<AllowedAmiPolicyStatus> {
    StatusDeserializer() {
      super(AllowedAmiPolicyStatus.class);
    }

    @Override
    public AllowedAmiPolicyStatus deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      JsonNode raw = ctxt.readTree(p);
      try {
        return LENIENT.treeToValue(raw, AllowedAmiPolicyStatus.class);
      } catch (JacksonException | RuntimeException e) {
        log.warn(
            "a policy's status does not fit the model and is ignored (it is rewritten): {}",
            e.getClass().getSimpleName()
                + " at "
                + (e instanceof JsonMappingException m
                    ? m.getPath().stream()
                        .map(r -> r.getFieldName() == null ? "[]" : cut(r.getFieldName()))
                        .collect(Collectors.joining("."))
                    : "?"));
        return null;
      }
    }
  }
}
