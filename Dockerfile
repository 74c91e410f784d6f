# The broker's image, built from the jar Maven packaged; the same image runs the Tradovate
# simulator with the argument --spring.profiles.active=simulator.
#   ./mvnw -B package -DskipTests && release/build-image.sh       (labelled with version and revision)
#   ./mvnw -B package -DskipTests && docker build -t tradovate-token-broker .   (unlabelled)
# Without a registry, from a local JRE image:
#   docker build --build-arg BASE_IMAGE=tokenbroker/jre:25 -t tradovate-token-broker .
# The base image needs a Java 17+ runtime, bash (the health check) and useradd; Java 25 or
# later starts fastest (the ahead-of-time cache below).
ARG BASE_IMAGE=eclipse-temurin:25-jre

FROM ${BASE_IMAGE} AS layers
# Docker's legacy builder keeps this stage as untagged images; the label finds them:
#   docker image prune --filter label=io.tokenbroker.stage=extract
LABEL io.tokenbroker.stage=extract
WORKDIR /build
COPY target/*.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM ${BASE_IMAGE}
# A fixed numeric id, so Kubernetes' runAsNonRoot can check it; the files stay root's,
# except the state directory (waits, budgets and the sealed token outlive the container).
RUN useradd --system --no-log-init --no-create-home --home-dir /nonexistent --uid 10001 --user-group broker \
 && mkdir -p /var/lib/tradovate-token-broker \
 && chown 10001:10001 /var/lib/tradovate-token-broker \
 && chmod 700 /var/lib/tradovate-token-broker
WORKDIR /app
# Least changing first: a new build of the broker only replaces the last, small layer.
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY src/main/docker/readiness-probe.sh /usr/local/bin/readiness-probe
COPY --from=layers /build/extracted/application/ ./
# A training run records what start-up loads, and every start maps it instead of loading
# it again: on Java 25 and later the JVM's ahead-of-time cache (classes loaded and linked,
# method profiles), before that class data sharing. The run (src/main/docker/training-run.sh)
# starts the broker as the image does, on Spring's ahead-of-time code with the embedded
# simulator, and lasts through the first login and the first token and some requests, so
# the archive holds the login's and the hot path's classes too, not only the context's.
# A base image without the JDK's own archive makes neither, and the broker starts without.
COPY src/main/docker/training-run.sh /usr/local/lib/tradovate-token-broker/training-run.sh
RUN training=/usr/local/lib/tradovate-token-broker/training-run.sh \
 && if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then \
      bash $training -XX:AOTCacheOutput=/app/app.aot -Xlog:aot=off -Xlog:cds=off; \
    else \
      bash $training -XX:ArchiveClassesAtExit=/app/app.jsa -Xlog:cds=off -Xlog:cds+dynamic=off; \
    fi \
 && { [ -f /app/app.aot ] || [ -f /app/app.jsa ] || echo "no start-up archive: the base image has no base archive; the broker starts without" >&2; }
USER 10001:10001
EXPOSE 8080
ENV BROKER_STORE_PATH=/var/lib/tradovate-token-broker
VOLUME /var/lib/tradovate-token-broker
# Heap as a share of the container's memory limit. The collector is named, not left to the
# JVM (which picks Serial under a limit below 1792 MiB and G1 above): Serial, with a young
# generation of 32 MiB, for a live set of 25-60 MiB on two cores: no collector threads
# beside the request threads, the least memory of its own, and short young pauses at a
# steady rate (docs/performance.md#the-collector). JAVA_OPTS replaces these flags.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xmn32m"
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "/usr/local/bin/readiness-probe"]
# exec: java is PID 1 and gets SIGTERM for a graceful shutdown; arguments go to the broker.
# Netty loads its native transport: allowed, so Java 24 and later do not warn about it.
# The start-up archive is mapped where it was built to be, not moved: moving it (Java 21 and
# later do by default) rewrites every page, and the copies count in the container's memory
# (about 35 MiB more at idle, docs/performance.md#idle-footprint).
# Spring's ahead-of-time code (built by process-aot) serves every configuration; settings
# it cannot serve start without it by themselves (docs/performance.md#start-up), and
# -Dspring.aot.enabled=false in JAVA_OPTS turns it off.
ENTRYPOINT ["sh", "-c", "exec java $([ -f /app/app.aot ] && echo -XX:AOTCache=/app/app.aot) $([ -f /app/app.jsa ] && echo -XX:SharedArchiveFile=/app/app.jsa) -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 --enable-native-access=ALL-UNNAMED -Dspring.aot.enabled=true $JAVA_OPTS -jar /app/app.jar \"$@\"", "tradovate-token-broker"]

# Labels last, so a new revision reuses every layer above. VERSION, REVISION and CREATED
# come from the build (release/build-image.sh reads them from the packaged jar's build-info
# and git.properties); the version is the pom's, set in one place (docs/releasing.md).
ARG BASE_IMAGE
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=https://github.com/tokenbroker/tradovate-token-broker
LABEL org.opencontainers.image.title="tradovate-token-broker" \
      org.opencontainers.image.description="Logs in to Tradovate once per user, renews the access token before it expires and hands it to internal callers." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.url="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
