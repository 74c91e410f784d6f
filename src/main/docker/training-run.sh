#!/bin/bash
# The image build's training run (Dockerfile): the broker on its embedded simulator
# (profile sim) and on Spring's ahead-of-time code, as the image starts, from launch
# through the first login and the first token, then the requests a running broker
# answers most (GET /token, the readiness probe), then a graceful stop. At exit the JVM
# writes what it loaded, linked and profiled into the start-up archive its flags name:
#   training-run.sh -XX:AOTCacheOutput=/app/app.aot            (Java 25 and later)
#   training-run.sh -XX:ArchiveClassesAtExit=/app/app.jsa      (before: class data sharing)
# Plain bash (/dev/tcp): the base images have neither curl nor wget.
set -euo pipefail
port=18099
java "$@" --enable-native-access=ALL-UNNAMED -Dspring.aot.enabled=true -jar /app/app.jar \
	--spring.profiles.active=sim --server.port="$port" --logging.level.root=warn >/dev/null &
broker=$!

# GET PATH with the demo's public key: whether it answers 200
answers() {
	(exec 3<>"/dev/tcp/127.0.0.1/$port" &&
		printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sim-demo-key\r\nConnection: close\r\n\r\n' "$1" >&3 &&
		head -n 1 <&3 | grep -q ' 200 ') 2>/dev/null
}

for _ in $(seq 1 1200); do
	answers /token && break
	kill -0 "$broker" 2>/dev/null || { echo "training run: the broker stopped before its first token" >&2; exit 1; }
	sleep 0.1
done
answers /token || { echo "training run: no token within 120 s" >&2; kill "$broker"; exit 1; }
for _ in $(seq 1 200); do
	answers /token || true
	answers /actuator/health/readiness || true
done
kill -TERM "$broker"
# a JVM stopped by SIGTERM exits with 143 once its shutdown is done
wait "$broker" || [ $? -eq 143 ]
