# Build: docker build -t allowed-ami-operator .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY crds crds
COPY deploy deploy
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed non-root user; the Deployment also runs with a read-only root filesystem.
RUN groupadd --system --gid 65532 operator && useradd --system --uid 65532 --gid 65532 --no-create-home operator
COPY --from=build /src/target/allowed-ami-operator-*.jar /app/allowed-ami-operator.jar
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/allowed-ami-operator.jar"]
CMD ["operator"]
