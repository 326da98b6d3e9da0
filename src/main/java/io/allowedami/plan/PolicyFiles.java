package io.allowedami.plan;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.api.v1alpha1.AllowedAmiPolicySpec;
import io.allowedami.api.v1alpha1.PolicyJson;
import io.allowedami.reconcile.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads policy files as a pull request holds them: YAML, one or several documents a file, specs
 * read with the operator's own lenient reading ({@link PolicyJson#readSpec}) so that a spec the
 * operator could not read gets the same message here. Documents of other kinds are skipped, so a
 * file of mixed manifests can be planned; one that claims this API group but is not an
 * AllowedAmiPolicy of this version is a problem, never skipped, so a typo cannot pass unplanned.
 */
public final class PolicyFiles {
  static final String API_VERSION = AllowedAmiPolicy.GROUP + "/" + AllowedAmiPolicy.VERSION;
  static final String KIND = "AllowedAmiPolicy";

  /** Duplicate keys are an error, as they are for kubectl: the last one must not win silently. */
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private PolicyFiles() {}

  /** Every AllowedAmiPolicy in the files, in order; never throws for a bad file. */
  public static List<PolicyDocument> read(List<Path> files) {
    List<PolicyDocument> policies = new ArrayList<>();
    for (Path file : files) {
      policies.addAll(read(file));
    }
    return policies;
  }

  static List<PolicyDocument> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of(PolicyDocument.unreadable(file.toString(), "no such file"));
    }
    List<PolicyDocument> policies = new ArrayList<>();
    int index = 0;
    try (InputStream in = Files.newInputStream(file);
        MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(in)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        PolicyDocument policy = policy(file + "#" + index, document);
        if (policy != null) {
          policies.add(policy);
        }
      }
    } catch (JacksonException e) {
      policies.add(
          PolicyDocument.unreadable(
              file + "#" + (index + 1), "not valid YAML: " + e.getOriginalMessage()));
    } catch (IOException e) {
      policies.add(PolicyDocument.unreadable(file.toString(), "cannot be read: " + e));
    }
    return policies;
  }

  /** The document as a policy; null when it is of another kind and group. */
  private static PolicyDocument policy(String source, JsonNode document) {
    if (!document.isObject()) {
      return PolicyDocument.unreadable(source, "not a Kubernetes object (a YAML mapping)");
    }
    String apiVersion = document.path("apiVersion").asText(null);
    String kind = document.path("kind").asText(null);
    boolean ourGroup = apiVersion != null && apiVersion.startsWith(AllowedAmiPolicy.GROUP + "/");
    if (!KIND.equals(kind) && !ourGroup) {
      return kind == null
          ? PolicyDocument.unreadable(source, "not a Kubernetes object: no kind")
          : null;
    }
    JsonNode nameNode = document.path("metadata").path("name");
    String name = nameNode.isTextual() && !nameNode.asText().isBlank() ? nameNode.asText() : null;
    List<String> problems = new ArrayList<>();
    if (!KIND.equals(kind) || !API_VERSION.equals(apiVersion)) {
      problems.add(
          "apiVersion "
              + Messages.quote(apiVersion)
              + " kind "
              + Messages.quote(kind)
              + " is not "
              + API_VERSION
              + " "
              + KIND);
    }
    if (name == null) {
      problems.add("metadata.name is required");
    }
    JsonNode rawSpec = document.get("spec");
    AllowedAmiPolicySpec spec =
        rawSpec == null || rawSpec.isNull() ? null : PolicyJson.readSpec(rawSpec);
    return new PolicyDocument(source, name, spec, problems);
  }
}
