package io.allowedami.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.allowedami.testing.CrdFiles;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The Dockerfile cannot be built here (no Docker engine), so its key properties are read: two
 * stages, a numeric non-root user that the Deployment also asks for, the jar Maven builds, an
 * AppCDS archive dumped for that jar, and no JVM sizing of its own (that lives with the memory
 * limit, in the Deployment).
 */
class DeployDockerfileTest {

  /** One instruction, its continuation lines joined: "COPY --from=build a b". */
  record Instruction(String keyword, String arguments) {}

  private final List<Instruction> instructions =
      instructions(CrdFiles.baseDir().resolve("Dockerfile"));

  @Test
  void buildsInOneStageAndRunsFromAnotherWithAJreOnly() {
    List<Instruction> froms = of("FROM", instructions);
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0).arguments()).matches("maven:\\S+ AS build");
    assertThat(froms.get(1).arguments()).matches("\\S+-jre\\S*").doesNotContain("maven");
  }

  @Test
  void runsAsTheNumericNonRootUserTheDeploymentRequires() {
    List<Instruction> users = of("USER", runtimeStage());
    assertThat(users).hasSize(1);
    String[] user = users.get(0).arguments().split(":");
    assertThat(user).hasSize(2);
    assertThat(user[0]).as("a numeric UID lets Kubernetes check runAsNonRoot").matches("\\d+");
    assertThat(Long.parseLong(user[0])).isPositive();
    PodSecurityContext pod =
        Manifests.find(Manifests.build(Manifests.BASE), Deployment.class, Manifests.NAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getSecurityContext();
    assertThat(pod.getRunAsUser()).isEqualTo(Long.parseLong(user[0]));
    assertThat(pod.getRunAsGroup()).isEqualTo(Long.parseLong(user[1]));
  }

  @Test
  void copiesTheJarMavenBuildsAndRunsIt() throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(CrdFiles.baseDir().resolve("pom.xml").toFile())
            .getDocumentElement();
    assertThat(project.getElementsByTagName("finalName").getLength())
        .as("the Dockerfile expects Maven's default jar name")
        .isZero();
    String jar =
        "target/" + child(project, "artifactId") + "-" + child(project, "version") + ".jar";

    List<Instruction> copies =
        of("COPY", runtimeStage()).stream()
            .filter(c -> c.arguments().startsWith("--from=build "))
            .filter(c -> c.arguments().contains(".jar"))
            .toList();
    assertThat(copies).hasSize(1);
    String[] copy = copies.get(0).arguments().substring("--from=build ".length()).split(" ");
    assertThat(copy).hasSize(2);
    String source = copy[0].replaceFirst("^/src/", "");
    assertThat(FileSystems.getDefault().getPathMatcher("glob:" + source).matches(Path.of(jar)))
        .as("%s matches the jar Maven builds, %s", copy[0], jar)
        .isTrue();
    assertThat(
            FileSystems.getDefault()
                .getPathMatcher("glob:" + source)
                .matches(Path.of("target/original-" + jar.substring("target/".length()))))
        .as("the shade plugin's leftover must not match")
        .isFalse();

    List<Instruction> entrypoints = of("ENTRYPOINT", runtimeStage());
    assertThat(entrypoints).hasSize(1);
    String entrypoint = entrypoints.get(0).arguments();
    assertThat(entrypoint).as("exec form: java is PID 1 and gets SIGTERM").startsWith("[\"java\"");
    assertThat(entrypoint).contains("\"-jar\", \"" + copy[1] + "\"");
    assertThat(entrypoint)
        .as("JVM sizing lives in the Deployment, next to the memory limit")
        .doesNotContain("-Xm")
        .doesNotContain("RAMPercentage");
  }

  @Test
  void startsWithTheClassDataSharingArchiveItDumpsAtBuildTime() {
    String entrypoint = of("ENTRYPOINT", runtimeStage()).get(0).arguments();
    Matcher archive = Pattern.compile("\"-XX:SharedArchiveFile=([^\"]+)\"").matcher(entrypoint);
    assertThat(archive.find()).as(entrypoint).isTrue();
    Matcher jar = Pattern.compile("\"-jar\", \"([^\"]+)\"").matcher(entrypoint);
    assertThat(jar.find()).isTrue();

    // Written in the runtime stage, by its JVM, against the very jar the ENTRYPOINT runs: an
    // archive maps only there (else the JVM silently starts without it).
    List<Instruction> dumps =
        of("RUN", runtimeStage()).stream()
            .filter(r -> r.arguments().contains("-Xshare:dump"))
            .toList();
    assertThat(dumps).hasSize(1);
    String dump = dumps.get(0).arguments();
    assertThat(dump)
        .contains("-XX:SharedArchiveFile=" + archive.group(1) + " ")
        .contains("-cp " + jar.group(1));
    Matcher list = Pattern.compile("-XX:SharedClassListFile=(\\S+)").matcher(dump);
    assertThat(list.find()).isTrue();

    // The list comes from a training run in the build stage, copied to where the dump reads it.
    String written =
        of("RUN", instructions.subList(0, instructions.indexOf(runtimeStage().get(0)))).stream()
            .map(Instruction::arguments)
            .map(Pattern.compile("-XX:DumpLoadedClassList=(\\S+)")::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no training run writes a class list"));
    assertThat(of("COPY", runtimeStage()))
        .extracting(Instruction::arguments)
        .contains("--from=build /src/" + written + " " + list.group(1));
  }

  @Test
  void theBuildContextHoldsWhatTheBuildCopies() throws IOException {
    List<String> ignore =
        Files.readAllLines(CrdFiles.baseDir().resolve(".dockerignore")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    List<String> copied = new ArrayList<>();
    for (Instruction copy : of("COPY", instructions)) {
      if (!copy.arguments().startsWith("--from=")) {
        copied.add(copy.arguments().split(" ")[0]);
      }
    }
    assertThat(copied).containsExactly("pom.xml", "src");
    assertThat(ignore).startsWith("*");
    for (String path : copied) {
      assertThat(ignore).contains("!" + path);
    }
  }

  private List<Instruction> runtimeStage() {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  private static List<Instruction> of(String keyword, List<Instruction> instructions) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("pom.xml has no project/" + name);
  }

  static List<Instruction> instructions(Path dockerfile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dockerfile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<Instruction> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String text = line.strip();
      if (text.startsWith("#") || (text.isEmpty() && current.isEmpty())) {
        continue;
      }
      boolean continued = text.endsWith("\\");
      current.append(continued ? text.substring(0, text.length() - 1) : text).append(' ');
      if (!continued) {
        String joined = current.toString().strip().replaceAll("\\s+", " ");
        int space = joined.indexOf(' ');
        result.add(
            new Instruction(joined.substring(0, space).toUpperCase(), joined.substring(space + 1)));
        current.setLength(0);
      }
    }
    return result;
  }
}
