#!/usr/bin/env bash
# Measures how many calls reach Tradovate when many callers ask for a token at once.
#
# Starts the standalone simulator and a broker pointed at it (both from the project's jar),
# makes the simulator answer logins and renewals slowly, then fires concurrent callers at
# the broker while (1) its first login and (2) a renewal forced by minValidity are in
# flight. Prints the simulator's own call counters. Tokens live 60 s here.
#
# Usage: bench/single-flight.sh [callers]   (default 200; needs curl, xargs, a JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

callers=${1:-200}
sim_port=${BENCH_SIM_PORT:-18081}
broker_port=${BENCH_BROKER_PORT:-18080}
key=bench-key
key_sha256=$(key_sha256 "$key")
jar=$(bench_jar)

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

fault() { curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$1" "http://127.0.0.1:$sim_port/simulator/faults"; }
stats() { curl -sf "http://127.0.0.1:$sim_port/simulator/stats"; }
burst() { # $1: path; prints the HTTP status counts of $callers concurrent GETs and the time taken
	local start=$(date +%s.%N)
	seq 1 "$callers" | xargs -P "$callers" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
		-H "Authorization: Bearer $key" "http://127.0.0.1:$broker_port$1" | sort | uniq -c | tr '\n' ' '
	echo "(statuses) in $(echo "$(date +%s.%N) - $start" | bc) s"
}

java -jar "$jar" --spring.profiles.active=simulator --server.port="$sim_port" >/tmp/bench-simulator.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$sim_port/simulator/stats"
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"tokenLifetimeSeconds":60}' \
	"http://127.0.0.1:$sim_port/simulator/settings"
fault '{"operation":"login","kind":"delay","delayMillis":3000}'
fault '{"operation":"renew","kind":"delay","delayMillis":3000}'

java -jar "$jar" --server.port="$broker_port" --broker.store.type=memory \
	--broker.accounts.main.base-url="http://127.0.0.1:$sim_port/v1" \
	--broker.accounts.main.username=sim-user --broker.accounts.main.password=sim-password \
	--broker.accounts.main.app-id=sim-app --broker.accounts.main.cid=1 --broker.accounts.main.secret=sim-secret \
	--broker.clients.bench.key-sha256="$key_sha256" --broker.clients.bench.accounts='*' \
	>/tmp/bench-broker.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$broker_port/actuator/health/liveness"

echo "== $callers concurrent callers while the first login is in flight (login answers after 3 s)"
burst /token
echo "simulator: $(stats)"

sleep 8 # let the token (about 56 s left after the slow login) age below the 50 s asked for next
echo "== $callers concurrent callers needing a renewal (minValidity=50 above the time left; renewal answers after 3 s)"
burst "/token?minValidity=50"
echo "simulator: $(stats)"
