#!/usr/bin/env bash
# What client-key authentication (Spring Security's filter chain plus the constant-time
# key check) costs on GET /token: the same broker, with and without it, measured in
# alternating rounds in one run.
#
# "Without" is src/test/java/io/tokenbroker/caller/BrokerWithoutAuthentication.java: the
# security filter chain bypassed and every request taken as one fixed caller.
#
# Usage: bench/auth-cost.sh [seconds per round] [rounds] [connections]  (needs wrk, a JDK)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
rounds=${2:-3}
connections=${3:-16}
with_port=${WITH_PORT:-18180}
without_port=${WITHOUT_PORT:-18181}

./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true test-compile dependency:build-classpath \
	-Dmdep.outputFile=target/bench-classpath.txt
classpath="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # $1 main class, $2 port
	java -cp "$classpath" "$1" --spring.profiles.active=sim --server.port="$2" \
		--logging.level.io.tokenbroker.audit=WARN >"/tmp/bench-auth-$2.log" 2>&1 &
	pids+=($!)
}
wait_for_token() {
	for _ in $(seq 1 150); do
		curl -sf -o /dev/null -H 'Authorization: Bearer sim-demo-key' "http://127.0.0.1:$1/token" && return 0
		sleep 0.2
	done
	echo "no token from port $1" >&2
	exit 1
}
rps() { # $1 port
	wrk -t1 -c"$connections" -d"${seconds}s" -H 'Authorization: Bearer sim-demo-key' \
		"http://127.0.0.1:$1/token" | awk '/Requests\/sec/ {print $2}'
}

start io.tokenbroker.TokenBrokerApplication "$with_port"
start io.tokenbroker.caller.BrokerWithoutAuthentication "$without_port"
wait_for_token "$with_port"
wait_for_token "$without_port"

echo "warm-up: ${seconds}s each"
rps "$with_port" >/dev/null
rps "$without_port" >/dev/null

with=()
without=()
for round in $(seq 1 "$rounds"); do
	with+=("$(rps "$with_port")")
	without+=("$(rps "$without_port")")
	echo "round $round: with authentication ${with[-1]} req/s, without ${without[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_with=$(median "${with[@]}")
m_without=$(median "${without[@]}")
echo "median: with authentication $m_with req/s, without $m_without req/s" \
	"($(echo "scale=1; 100 * ($m_without - $m_with) / $m_without" | bc) % fewer with it)"
