package io.allowedami.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.testing.CrdFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the manifests under deploy/ and crds/ the way kubectl and kustomize do, without either:
 * YAML documents, fabric8's typed objects, and the kustomize bases (which use `resources:` only, so
 * that reading them is listing them).
 */
final class Manifests {
  static final String KUSTOMIZATION = "kustomization.yaml";
  static final String KUSTOMIZE_API_VERSION = "kustomize.config.k8s.io/v1beta1";
  static final Path DEPLOY = Path.of("deploy");
  static final Path BASE = DEPLOY.resolve("base");
  static final Path OVERLAYS = DEPLOY.resolve("overlays");
  static final Path CRDS = Path.of("crds");

  /** The namespace the base creates and runs the operator in. */
  static final String NAMESPACE = "allowed-ami-operator";

  /** The name of the operator's ServiceAccount, roles and Deployment. */
  static final String NAME = "allowed-ami-operator";

  /** The keys a kustomization may have here: a base that only lists its resources. */
  static final Set<String> BASE_KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "resources");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  static Path path(Path relative) {
    return CrdFiles.baseDir().resolve(relative);
  }

  /** Every file under a directory of the project, sorted. */
  static List<Path> filesUnder(Path relativeDir) {
    try (Stream<Path> files = Files.walk(path(relativeDir))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isKustomization(Path file) {
    return file.getFileName().toString().equals(KUSTOMIZATION);
  }

  /** The non-empty YAML documents of a file, in order. */
  static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The non-empty documents of a YAML text (a file, a patch, Helm's output), in order. */
  static List<JsonNode> documents(String yaml) {
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      List<JsonNode> result = new ArrayList<>();
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          result.add(doc);
        }
      }
      return result;
    } catch (IOException e) {
      throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode kustomization(Path relativeDir) {
    Path file = path(relativeDir).resolve(KUSTOMIZATION);
    assertThat(file).as("%s is a kustomization", relativeDir).isRegularFile();
    List<JsonNode> docs = documents(file);
    assertThat(docs).as("%s holds one document", file).hasSize(1);
    return docs.get(0);
  }

  /**
   * What `kustomize build` of a base gives: the documents of its resources, directories resolved
   * through their own kustomization. Fails if a kustomization on the way does more than list
   * resources, since reading it would then no longer be what kustomize does.
   */
  static List<JsonNode> build(Path relativeDir) {
    JsonNode kustomization = kustomization(relativeDir);
    assertThat(fieldNames(kustomization))
        .as(
            "%s/%s does not only list resources: transformers make this reader differ from"
                + " kustomize (keep them in overlays)",
            relativeDir, KUSTOMIZATION)
        .isSubsetOf(BASE_KUSTOMIZATION_KEYS);
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path relative = relativeDir.resolve(resource.asText()).normalize();
      Path target = path(relative);
      if (Files.isDirectory(target)) {
        objects.addAll(build(relative));
      } else {
        assertThat(target).as("resource %s of %s", resource.asText(), relativeDir).isRegularFile();
        objects.addAll(documents(target));
      }
    }
    return objects;
  }

  /** One document as fabric8's typed object (Deployment, ClusterRole, ...). */
  static HasMetadata typed(JsonNode document) {
    return SERIALIZATION.convertValue(document, HasMetadata.class);
  }

  static <T extends HasMetadata> T typed(JsonNode document, Class<T> type) {
    return SERIALIZATION.convertValue(document, type);
  }

  /** The one object of a kind and name, typed. */
  static <T extends HasMetadata> T find(List<JsonNode> objects, Class<T> type, String name) {
    return findNode(objects, kindOf(type), name)
        .map(node -> typed(node, type))
        .orElseThrow(() -> new AssertionError("no " + kindOf(type) + " " + name));
  }

  static Optional<JsonNode> findNode(List<JsonNode> objects, String kind, String name) {
    List<JsonNode> found =
        objects.stream()
            .filter(o -> kind.equals(o.path("kind").asText()))
            .filter(o -> name.equals(o.path("metadata").path("name").asText()))
            .toList();
    assertThat(found).as("%s %s at most once", kind, name).hasSizeLessThanOrEqualTo(1);
    return found.stream().findFirst();
  }

  static <T extends HasMetadata> List<T> all(List<JsonNode> objects, Class<T> type) {
    return objects.stream()
        .filter(o -> kindOf(type).equals(o.path("kind").asText()))
        .map(o -> typed(o, type))
        .toList();
  }

  static String kindOf(Class<? extends HasMetadata> type) {
    return HasMetadata.getKind(type);
  }

  /** "Kind namespace/name", or "Kind name" for a cluster-scoped object. */
  static String id(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    return object.path("kind").asText()
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + metadata.path("name").asText();
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** A deep copy without the given top-level or nested fields (paths like "metadata/labels"). */
  static JsonNode without(JsonNode node, String... paths) {
    JsonNode copy = node.deepCopy();
    for (String path : paths) {
      String[] parts = path.split("/");
      JsonNode parent = copy;
      for (int i = 0; i < parts.length - 1 && parent != null; i++) {
        parent = parent.get(parts[i]);
      }
      if (parent instanceof ObjectNode object) {
        object.remove(parts[parts.length - 1]);
      }
    }
    return copy;
  }
}
