# The operator's image: docker build -t <registry>/allowed-ami-operator:<tag> .
# Two stages: Maven builds the shaded jar; the runtime stage holds a JRE and that jar only.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests
# The classes the operator loads, for the runtime stage's class-data-sharing archive: a training
# run of the demo (the production operator against an in-process Kubernetes API and the EC2
# simulator, ~3 s, no network), from the classes and their runtime dependencies because the jar
# leaves the in-process API out. The list is text, so another JDK may write it.
RUN mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt \
 && java -XX:DumpLoadedClassList=target/operator.classlist \
      -cp "target/classes:$(cat target/classpath.txt)" io.allowedami.app.Main demo

FROM eclipse-temurin:17-jre
# A fixed numeric non-root user, so that Kubernetes can check runAsNonRoot without a passwd lookup;
# the Deployment runs it with a read-only root filesystem and /tmp as its only writable path.
RUN groupadd --system --gid 65532 operator \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent operator
# Maven's jar: ${artifactId}-${version}.jar (DeployDockerfileTest checks the name against pom.xml).
COPY --from=build /src/target/allowed-ami-operator-*.jar /app/allowed-ami-operator.jar
COPY --from=build /src/target/operator.classlist /tmp/operator.classlist
# AppCDS: the listed classes parsed once, here, by this image's JVM and against this jar (an archive
# maps only into the JVM build and onto the classpath it was dumped with; otherwise the JVM starts
# without it). Read-only at run time. Classes of the list the jar lacks (the demo's in-process
# API) are skipped with a warning.
RUN java -Xshare:dump -XX:SharedClassListFile=/tmp/operator.classlist \
      -XX:SharedArchiveFile=/app/operator.jsa -cp /app/allowed-ami-operator.jar > /dev/null \
 && rm /tmp/operator.classlist
USER 65532:65532
EXPOSE 8080
# The JVM's memory and compiler flags come with the container's memory limit, in the Deployment
# (JAVA_TOOL_OPTIONS); a JVM that runs out of memory must exit so that Kubernetes restarts it. The
# archive above halves the time to the first reconcile (BENCHMARKS.md, Footprint).
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/operator.jsa", "-jar", "/app/allowed-ami-operator.jar"]
CMD ["operator"]
