package io.allowedami.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.allowedami.testing.CrdFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Argo CD files live: the health check laid out as in Argo CD's own repository
 * (resource_customizations/GROUP/KIND/), and its installation beside it.
 */
final class ArgoCdFiles {
  static final String KIND = HasMetadata.getKind(AllowedAmiPolicy.class);

  /** The argocd-cm key Argo CD reads the check from: resource.customizations.health.GROUP_KIND. */
  static final String HEALTH_KEY =
      "resource.customizations.health." + AllowedAmiPolicy.GROUP + "_" + KIND;

  static final String DIR = "argocd";
  static final String HEALTH_CHECK_DIR =
      DIR + "/resource_customizations/" + AllowedAmiPolicy.GROUP + "/" + KIND;
  static final String CM_PATCH = DIR + "/argocd-cm-health-patch.yaml";
  static final String APPLICATION = DIR + "/application.yaml";

  static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build();

  private ArgoCdFiles() {}

  static Path path(String relative) {
    return CrdFiles.baseDir().resolve(relative);
  }

  static Path healthCheck(String file) {
    return path(HEALTH_CHECK_DIR).resolve(file);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
