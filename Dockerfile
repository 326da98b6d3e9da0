# The operator's image: docker build -t <registry>/allowed-ami-operator:<tag> .
# Two stages: Maven builds the shaded jar; the runtime stage holds a JRE and that jar only.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed numeric non-root user, so that Kubernetes can check runAsNonRoot without a passwd lookup;
# the Deployment runs it with a read-only root filesystem and /tmp as its only writable path.
RUN groupadd --system --gid 65532 operator \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent operator
# Maven's jar: ${artifactId}-${version}.jar (DeployDockerfileTest checks the name against pom.xml).
COPY --from=build /src/target/allowed-ami-operator-*.jar /app/allowed-ami-operator.jar
USER 65532:65532
EXPOSE 8080
# The JVM's memory flags come with the container's memory limit, in the Deployment
# (JAVA_TOOL_OPTIONS); a JVM that runs out of memory must exit so that Kubernetes restarts it.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/allowed-ami-operator.jar"]
CMD ["operator"]
