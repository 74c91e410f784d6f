#!/bin/bash
# The image's HEALTHCHECK: healthy while Spring Boot's readiness probe answers 200.
# Plain bash (/dev/tcp), or openssl s_client where the port serves TLS: the base images
# have neither curl nor wget, and starting a JVM every few seconds would cost far more CPU
# than the broker itself. Where to call comes from the variables that configure the broker:
#   HEALTHCHECK_URL                                  the whole URL, when set (http or https)
#   MANAGEMENT_SERVER_PORT, _ADDRESS, _SSL_*, _BASE_PATH   management on its own port
#   SERVER_PORT, _ADDRESS, _SSL_*, SERVER_SERVLET_CONTEXT_PATH   else the main port (8080)
# Settings made only in a file (a mounted application.yml) need HEALTHCHECK_URL.
set -u

# tls PREFIX: whether the port these variables configure serves TLS (as Spring Boot
# decides it: SSL material given, and not switched off)
tls() {
	local enabled="${1}_ENABLED" bundle="${1}_BUNDLE" store="${1}_KEY_STORE" certificate="${1}_CERTIFICATE"
	[ "${!enabled:-true}" != false ] && [ -n "${!bundle:-}${!store:-}${!certificate:-}" ]
}

# a wildcard address is reached on loopback
local_address() {
	case "${1:-}" in
	'' | 0.0.0.0 | :: | '[::]') echo 127.0.0.1 ;;
	*) echo "$1" ;;
	esac
}

actuator="${MANAGEMENT_ENDPOINTS_WEB_BASE_PATH:-/actuator}"
if [ -n "${HEALTHCHECK_URL:-}" ]; then
	rest="${HEALTHCHECK_URL#*://}"
	scheme="${HEALTHCHECK_URL%%://*}"
	authority="${rest%%/*}"
	path="/${rest#*/}"
	[ "$authority" = "$rest" ] && path=/
	host="${authority%:*}"
	port="${authority##*:}"
	if [ "$host" = "$authority" ]; then
		port=$([ "$scheme" = https ] && echo 443 || echo 80)
	fi
	host="${host#[}"
	host="${host%]}"
	secure=$([ "$scheme" = https ] && echo true || echo false)
elif [ -n "${MANAGEMENT_SERVER_PORT:-}" ]; then
	host=$(local_address "${MANAGEMENT_SERVER_ADDRESS:-}")
	port="$MANAGEMENT_SERVER_PORT"
	path="${MANAGEMENT_SERVER_BASE_PATH:-}${actuator}/health/readiness"
	secure=$(tls MANAGEMENT_SERVER_SSL && echo true || echo false)
else
	host=$(local_address "${SERVER_ADDRESS:-}")
	port="${SERVER_PORT:-8080}"
	path="${SERVER_SERVLET_CONTEXT_PATH:-}${actuator}/health/readiness"
	secure=$(tls SERVER_SSL && echo true || echo false)
fi

request() { printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path"; }
if [ "$secure" = true ]; then
	# the broker's own certificate, on loopback: nothing to verify it against
	status_line=$(request |
		timeout 3 openssl s_client -quiet -connect "${host/*:*/[$host]}:${port}" -servername localhost 2>/dev/null |
		head -n 1)
else
	exec 3<>"/dev/tcp/${host}/${port}" || {
		echo "no connection to ${host}:${port}"
		exit 1
	}
	request >&3
	read -r -t 2 status_line <&3
fi
if [ -z "${status_line:-}" ]; then
	echo "no answer from ${host}:${port}${path}"
	exit 1
fi
read -r _ status _ <<<"$status_line"
echo "readiness: HTTP ${status} ($([ "$secure" = true ] && echo https || echo http)://${host}:${port}${path})"
[ "${status}" = 200 ]
