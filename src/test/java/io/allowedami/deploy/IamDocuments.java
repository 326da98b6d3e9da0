package io.allowedami.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allowedami.testing.CrdFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the IAM documents under iam/. */
final class IamDocuments {
  static final Path IAM = Path.of("iam");

  /** The STS actions the operator may call; every other action it calls is EC2's. */
  private static final Set<String> STS_ACTIONS = Set.of("GetCallerIdentity", "AssumeRole");

  private static final ObjectMapper JSON = new ObjectMapper();

  private IamDocuments() {}

  static JsonNode read(String fileName) {
    try {
      return JSON.readTree(CrdFiles.baseDir().resolve(IAM).resolve(fileName).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statements of a policy document (IAM allows one object or a list). */
  static List<JsonNode> statements(JsonNode document) {
    return list(document.path("Statement"));
  }

  /** Every action an identity policy allows, as written ("ec2:GetAllowedImagesSettings"). */
  static Set<String> allowedActions(String fileName) {
    Set<String> actions = new TreeSet<>();
    for (JsonNode statement : statements(read(fileName))) {
      if (statement.path("Effect").asText().equals("Allow")) {
        list(statement.path("Action")).forEach(a -> actions.add(a.asText()));
      }
    }
    return actions;
  }

  /** The IAM action for an API action name the simulator counts. */
  static String iamAction(String apiAction) {
    return (STS_ACTIONS.contains(apiAction) ? "sts:" : "ec2:") + apiAction;
  }

  /** IAM's "one value or a list of values". */
  static List<JsonNode> list(JsonNode node) {
    List<JsonNode> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(values::add);
    } else if (!node.isMissingNode()) {
      values.add(node);
    }
    return values;
  }
}
