#!/bin/bash
# The image's HEALTHCHECK: healthy while Spring Boot's readiness probe answers 200.
# Plain bash (/dev/tcp) because the base images have neither curl nor wget, and starting
# a JVM every few seconds would cost far more CPU than the broker itself.
port="${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
if ! read -r -t 2 _ status _ <&3; then
	echo "no answer from port ${port}"
	exit 1
fi
echo "readiness: HTTP ${status}"
[ "${status}" = 200 ]
