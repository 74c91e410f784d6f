# Builds from the jar: ./mvnw -DskipTests package && docker build -t tradovate-token-broker .
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
WORKDIR /app
COPY target/tradovate-token-broker-*[0-9T].jar app.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
