#!/usr/bin/env bash
# The npm package `tradovate` (a third-party Tradovate client), pinned, run against the
# broker's embedded simulator twice: with the broker's token (clients/tradovate-npm/check.mjs)
# and through the broker's gateway with the client key only (gateway.mjs); each says what
# it checks. Nothing of the package is kept in the repository: it is installed
# into a scratch directory and removed afterwards.
#
#   bash clients/tradovate-npm/check.sh          # starts the packaged jar (built if missing)
#   TRADOVATE_BROKER_URL=http://127.0.0.1:8080 bash clients/tradovate-npm/check.sh
#                                                # against a broker already running in the
#                                                # sim profile (./mvnw spring-boot:run,
#                                                # whose gateway is on)
set -u -o pipefail

TRADOVATE_NPM_VERSION=1.0.3

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d)
BROKER_PID=

say() { printf '%s\n' "$*" >&2; }

cleanup() {
  if [ -n "$BROKER_PID" ] && kill -0 "$BROKER_PID" 2>/dev/null; then
    kill "$BROKER_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$BROKER_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v node >/dev/null && command -v npm >/dev/null || { say "node and npm are needed"; exit 1; }

say "installing tradovate@$TRADOVATE_NPM_VERSION into a scratch directory"
mkdir -p "$TMP/npm"
printf '{"name":"tradovate-npm-check","private":true}\n' >"$TMP/npm/package.json"
if ! (cd "$TMP/npm" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
  "tradovate@$TRADOVATE_NPM_VERSION" >"$TMP/npm-install.log" 2>&1); then
  cat "$TMP/npm-install.log" >&2
  say "npm install tradovate@$TRADOVATE_NPM_VERSION failed"
  exit 1
fi

if [ -z "${TRADOVATE_BROKER_URL:-}" ]; then
  jar=$(ls "$ROOT"/target/tradovate-token-broker-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1)
  if [ -z "$jar" ]; then
    say "no broker jar in target/: building it (./mvnw -q -B -DskipTests package)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || { say "the build failed"; exit 1; }
    jar=$(ls "$ROOT"/target/tradovate-token-broker-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1)
  fi
  cp "$jar" "$TMP/broker.jar"
  PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  TRADOVATE_BROKER_URL=http://127.0.0.1:$PORT
  say "broker: $(basename "$jar") in the sim profile on port $PORT"
  java -jar "$TMP/broker.jar" --spring.profiles.active=sim --server.port="$PORT" >"$TMP/broker.log" 2>&1 &
  BROKER_PID=$!
  ready=0
  for _ in $(seq 1 300); do
    kill -0 "$BROKER_PID" 2>/dev/null || break
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$TRADOVATE_BROKER_URL/actuator/health/readiness")" = 200 ]; then
      ready=1
      break
    fi
    sleep 1
  done
  if [ "$ready" != 1 ]; then
    tail -n 50 "$TMP/broker.log" >&2
    say "the broker did not become ready"
    exit 1
  fi
fi

rc=0
say "--- with the broker's token (check.mjs) ---"
TRADOVATE_BROKER_URL=$TRADOVATE_BROKER_URL TRADOVATE_BROKER_KEY=${TRADOVATE_BROKER_KEY:-sim-demo-key} \
  TRADOVATE_NPM_MODULES="$TMP/npm" timeout 120 node "$HERE/check.mjs" || rc=$?
say "--- through the gateway, with the client key only (gateway.mjs) ---"
TRADOVATE_BROKER_URL=$TRADOVATE_BROKER_URL TRADOVATE_BROKER_KEY=${TRADOVATE_BROKER_KEY:-sim-demo-key} \
  TRADOVATE_NPM_MODULES="$TMP/npm" timeout 120 node "$HERE/gateway.mjs" || rc=$?
if [ "$rc" -ne 0 ] && [ -f "$TMP/broker.log" ]; then
  say "--- the broker's log (last 40 lines) ---"
  tail -n 40 "$TMP/broker.log" >&2
fi
exit "$rc"
