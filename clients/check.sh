#!/usr/bin/env bash
# Runs every client snippet against a real broker on its built-in simulator, so that they
# cannot rot:   bash clients/check.sh        (offline; PORT=... to choose the port)
#
# 1. Each snippet with --check (its own self-test: cache, 304, refused-token report, 422
#    and 404 failing at once), then: its output shows neither token nor key, and its
#    summary names the broker's current token by fingerprint (the shell snippet's stdout
#    must be exactly the token, and empty with --check).
# 2. Retry-After: the simulator's logins fail (503), the session is closed and the token
#    reported refused, so the broker answers 503 with Retry-After; each snippet is started,
#    must say that it waits as Retry-After asks, the fault is then cleared, and it must end
#    with the new token.
#
# The broker runs from a copy of target/tradovate-token-broker-*.jar (built if missing),
# in the sim profile, with test-only settings: reports re-checked after a second
# (liveness.recheck-after=1s, its least), short retry back-offs and a larger allowance of failed
# logins, so that several faults in a row stay quick and within the broker's limits.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
STARTED=$(date +%s)
TMP=$(mktemp -d)
BROKER_PID=
PASSED=0
FAILED=0
FAILURES=()

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

pass() { PASSED=$((PASSED + 1)); say "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1: $2"); say "FAIL $1: $2"; }

# ---- the broker ----

jar=$(ls "$ROOT"/target/tradovate-token-broker-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1)
if [ -z "$jar" ]; then
  say "no broker jar in target/: building it (./mvnw -q -B -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || { say "the build failed"; exit 1; }
  jar=$(ls "$ROOT"/target/tradovate-token-broker-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1)
  [ -n "$jar" ] || { say "the build made no jar"; exit 1; }
fi
# a copy: target/ may be rebuilt while the check runs
cp "$jar" "$TMP/broker.jar"
# the Java snippet's classpath: spring-web and what RestClient needs, from the broker's own jars
mkdir -p "$TMP/lib"
unzip -q -o -j "$TMP/broker.jar" 'BOOT-INF/lib/spring-web-[0-9]*' 'BOOT-INF/lib/spring-core-*' \
  'BOOT-INF/lib/commons-logging-*' 'BOOT-INF/lib/jackson-*' 'BOOT-INF/lib/micrometer-observation-*' \
  'BOOT-INF/lib/micrometer-commons-*' -d "$TMP/lib" || { say "cannot extract the Java snippet's jars"; exit 1; }

PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE=http://127.0.0.1:$PORT
KEY=sim-demo-key
printf '%s\n' "$KEY" >"$TMP/key"
chmod 600 "$TMP/key"

say "broker: $(basename "$jar") on port $PORT"
java -jar "$TMP/broker.jar" --spring.profiles.active=sim --server.port="$PORT" \
  --broker.liveness.recheck-after=1s --broker.limits.failed-logins-per-hour=200 \
  --broker.retry.initial-back-off=1s --broker.retry.max-back-off=4s >"$TMP/broker.log" 2>&1 &
BROKER_PID=$!

ready=0
for _ in $(seq 1 300); do
  kill -0 "$BROKER_PID" 2>/dev/null || break
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health/readiness")" = 200 ]; then ready=1; break; fi
  sleep 1
done
if [ "$ready" != 1 ]; then
  say "the broker did not become ready; its log ends with:"
  tail -n 30 "$TMP/broker.log" >&2
  exit 1
fi
say "broker ready after $(($(date +%s) - STARTED)) s"

# curl to the broker, the key in a header file (never on a command line)
printf 'Authorization: Bearer %s\n' "$KEY" >"$TMP/auth"
chmod 600 "$TMP/auth"
broker() { curl -s -H "@$TMP/auth" "$@"; }
# the broker's current token and market-data token, into TOKEN and MD
current() {
  broker -o "$TMP/current.json" "$BASE/token" || return 1
  TOKEN=$(jq -r .accessToken "$TMP/current.json") MD=$(jq -r '.mdAccessToken // empty' "$TMP/current.json")
  [ -n "$TOKEN" ] && [ "$TOKEN" != null ]
}
fingerprint() { printf '%s' "$1" | sha256sum | cut -c1-8; }
shows_secret() { # shows_secret FILE SECRET...
  local file=$1 secret
  shift
  for secret in "$@"; do
    [ -n "$secret" ] && grep -F -q -- "$secret" "$file" && return 0
  done
  return 1
}

export TRADOVATE_BROKER_URL=$BASE TRADOVATE_BROKER_KEY_FILE=$TMP/key
unset TRADOVATE_BROKER_ACCOUNT TRADOVATE_BROKER_NO_JQ TRADOVATE_BROKER_MARGIN TRADOVATE_BROKER_ATTEMPTS \
  TRADOVATE_BROKER_MAX_WAIT

SNIPPETS=(java python node shell-jq shell-sed)
command -v jq >/dev/null || { say "jq is required by this check (apt-get install -y jq)"; exit 1; }

# run NAME ARGS...: runs a snippet with its stdout and stderr in $TMP/NAME.out and .err
run() {
  local name=$1
  shift
  case "$name" in
    java) timeout 300 java -cp "$TMP/lib/*" "$HERE/java/BrokerTokens.java" "$@" ;;
    python) timeout 300 python3 "$HERE/python/broker_tokens.py" "$@" ;;
    node) timeout 300 node "$HERE/node/broker-tokens.mjs" "$@" ;;
    shell-jq) TRADOVATE_BROKER_CACHE_DIR=$TMP/cache-$name timeout 300 bash "$HERE/shell/broker-token.sh" "$@" ;;
    shell-sed) TRADOVATE_BROKER_NO_JQ=1 TRADOVATE_BROKER_CACHE_DIR=$TMP/cache-$name \
      timeout 300 bash "$HERE/shell/broker-token.sh" "$@" ;;
  esac
}

# verify_output NAME PHASE OLD_TOKENS...: the snippet's output against the current token
verify_output() {
  local name=$1 phase=$2 out=$TMP/$1.out err=$TMP/$1.err
  shift 2
  current || { fail "$name $phase" "cannot read the broker's current token"; return 1; }
  local fp summary_file=$out
  fp=$(fingerprint "$TOKEN")
  case "$name" in
    shell-*)
      summary_file=$err
      if [ "$phase" = --check ]; then
        if [ -s "$out" ]; then fail "$name $phase" "--check printed something on stdout"; return 1; fi
      elif [ "$(cat "$out")" != "$TOKEN" ]; then fail "$name $phase" "stdout is not exactly the current token"; return 1; fi
      if shows_secret "$err" "$TOKEN" "$MD" "$KEY" "$@"; then fail "$name $phase" "stderr shows a token or the key"; return 1; fi
      ;;
    *)
      if shows_secret "$out" "$TOKEN" "$MD" "$KEY" "$@" || shows_secret "$err" "$TOKEN" "$MD" "$KEY" "$@"; then
        fail "$name $phase" "its output shows a token or the key"
        return 1
      fi
      ;;
  esac
  if ! grep -E -q "^account=sim fingerprint=$fp expiresIn=[0-9]+ renewAt=[0-9]{4}-" "$summary_file"; then
    fail "$name $phase" "no summary line naming the current token ($fp): $(head -c 300 "$summary_file")"
    return 1
  fi
}

# ---- 1. each snippet's self-test ----

for name in "${SNIPPETS[@]}"; do
  began=$(date +%s)
  run "$name" --check >"$TMP/$name.out" 2>"$TMP/$name.err"
  rc=$?
  sed "s/^/  [$name] /" "$TMP/$name.err" >&2
  if [ "$rc" != 0 ]; then
    fail "$name --check" "exit status $rc"
  elif grep -q '^FAIL' "$TMP/$name.err" || ! grep -q 'check passed' "$TMP/$name.err" \
    || [ "$(grep -c '^ok: ' "$TMP/$name.err")" -lt 7 ]; then
    fail "$name --check" "its self-test did not pass every check"
  elif verify_output "$name" --check; then
    pass "$name --check ($(($(date +%s) - began)) s, $(grep -c '^ok: ' "$TMP/$name.err") self-checks, no secret in its output)"
  fi
done

# ---- 2. Retry-After ----

for name in "${SNIPPETS[@]}"; do
  began=$(date +%s)
  phase="Retry-After"
  if ! current; then fail "$name $phase" "the broker serves no token before the fault"; continue; fi
  old=$TOKEN old_md=$MD
  # logins fail until cleared; the session closes; a report makes the broker find out
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data '{"operation":"login","kind":"status","status":503,"sticky":true}' "$BASE/simulator/faults"
  curl -s -o /dev/null -X DELETE "$BASE/simulator/sessions/sim-user"
  printf '%s' "$old" >"$TMP/refused"
  status=$(broker -o "$TMP/refused.json" -D "$TMP/refused.headers" -w '%{http_code}' -X POST \
    -H 'Content-Type: text/plain' --data-binary "@$TMP/refused" "$BASE/token/refused")
  if [ "$status" != 503 ] || ! grep -q -i '^retry-after: *[0-9]' "$TMP/refused.headers"; then
    fail "$name $phase" "the broker did not answer 503 with Retry-After (HTTP $status): $(head -c 300 "$TMP/refused.json")"
    curl -s -o /dev/null -X DELETE "$BASE/simulator/faults"
    continue
  fi
  run "$name" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  pid=$!
  waited=0
  for _ in $(seq 1 1500); do # up to 300 s: the Java snippet compiles first, on a busy machine
    if grep -q 'as Retry-After asks' "$TMP/$name.err"; then waited=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  curl -s -o /dev/null -X DELETE "$BASE/simulator/faults"
  wait "$pid"
  rc=$?
  sed "s/^/  [$name] /" "$TMP/$name.err" >&2
  if [ "$waited" != 1 ]; then
    fail "$name $phase" "it never said that it waits as Retry-After asks (exit status $rc)"
  elif [ "$rc" != 0 ]; then
    fail "$name $phase" "exit status $rc after waiting"
  elif verify_output "$name" "$phase" "$old" "$old_md"; then
    if [ "$TOKEN" = "$old" ]; then
      fail "$name $phase" "the broker still serves the refused token"
    else
      pass "$name $phase ($(($(date +%s) - began)) s: waited as asked, then got the new token $(fingerprint "$TOKEN"))"
    fi
  fi
done

say ""
stats=$(curl -s "$BASE/simulator/stats")
say "simulator: $stats"
for failure in "${FAILURES[@]}"; do say "failed: $failure"; done
if [ "$FAILED" -gt 0 ]; then
  say "broker log (last 20 lines):"
  tail -n 20 "$TMP/broker.log" | cut -c1-400 >&2
fi
echo "clients: $PASSED passed, $FAILED failed ($(($(date +%s) - STARTED)) s)"
[ "$FAILED" = 0 ]
