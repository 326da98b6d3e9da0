package io.allowedami.testing;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the CRD and the example policies live, so every CRD test reads the same files the same way.
 */
public final class CrdFiles {
  public static final String CRD_FILE_NAME = "allowedamipolicies.ec2.allowedami.io-v1.yml";

  /** Where CrdGeneration writes the CRD at process-classes, relative to the project. */
  public static final String GENERATED_CRD = "target/classes/META-INF/fabric8/" + CRD_FILE_NAME;

  /** The copy that is checked in and applied to clusters. */
  public static final String CHECKED_IN_CRD = "crds/" + CRD_FILE_NAME;

  public static final String EXAMPLES_DIR = "deploy/examples";

  private static final YAMLMapper YAML = new YAMLMapper();

  private CrdFiles() {}

  /** The project directory: surefire sets {@code basedir}; an IDE usually runs tests from it. */
  public static Path baseDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  public static Path generatedCrd() {
    Path path = baseDir().resolve(GENERATED_CRD);
    if (!Files.isRegularFile(path)) {
      fail(
          "%s does not exist: run `mvn process-classes` (the CRD is generated from the Java model)",
          path);
    }
    return path;
  }

  public static Path checkedInCrd() {
    return baseDir().resolve(CHECKED_IN_CRD);
  }

  /** The example policies, sorted by name. */
  public static List<Path> examples() {
    try (Stream<Path> files = Files.list(baseDir().resolve(EXAMPLES_DIR))) {
      return files.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode readYaml(Path path) {
    try {
      return YAML.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One entry of a CRD's {@code spec.versions}. */
  public static JsonNode version(JsonNode crd, String version) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        return v;
      }
    }
    throw new IllegalArgumentException("the CRD has no version " + version);
  }

  /** The {@code openAPIV3Schema} of one version of a CRD. */
  public static JsonNode openApiSchema(JsonNode crd, String version) {
    JsonNode schema = version(crd, version).path("schema").path("openAPIV3Schema");
    if (!schema.isObject()) {
      throw new IllegalArgumentException("version " + version + " has no openAPIV3Schema");
    }
    return schema;
  }
}
