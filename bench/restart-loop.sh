#!/usr/bin/env bash
# What restarts cost at Tradovate: runs the broker from the jar against the standalone
# simulator, on one state directory, restarting it again and again, as a crash loop or a
# series of redeploys would. Two accounts: "alice" with a wrong password, "bob" with the
# right one and a store key. Prints the simulator's own counters after each start and at
# the end: with the state store, one failed login for alice (then its cool-down), one
# login for bob, no penalty, no captcha.
#
# Usage: bench/restart-loop.sh [restarts]   (default 8; needs curl, a JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

restarts=${1:-8}
sim_port=${BENCH_SIM_PORT:-18181}
broker_port=${BENCH_BROKER_PORT:-18180}
state=$(mktemp -d /tmp/broker-state.XXXXXX)
key=bench-key
key_sha256=$(key_sha256 "$key")
jar=$(bench_jar)

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$state"; }
trap cleanup EXIT

stats() { curl -sf "http://127.0.0.1:$sim_port/simulator/stats"; }
account() { # $1 id, $2 password
	printf -- '--broker.accounts.%s.%s ' "$1" "base-url=http://127.0.0.1:$sim_port/v1" "$1" "username=$1" \
		"$1" "password=$2" "$1" app-id=sim-app "$1" cid=1 "$1" secret=sim-secret "$1" "device-id=bench-$1"
}

users=()
for user in alice bob; do
	users+=("--simulator.users.$user.password=sim-password" "--simulator.users.$user.app-id=sim-app"
		"--simulator.users.$user.cid=1" "--simulator.users.$user.secret=sim-secret")
done
java -jar "$jar" --spring.profiles.active=simulator --server.port="$sim_port" "${users[@]}" \
	>/tmp/bench-restart-simulator.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$sim_port/simulator/stats"

for i in $(seq 1 "$restarts"); do
	# shellcheck disable=SC2046
	java -jar "$jar" --server.port="$broker_port" --broker.store.path="$state" \
		--broker.store.keys.k1="$(printf 'bench-restart-loop-key-32-bytes!' | base64)" \
		$(account alice wrong-password) $(account bob sim-password) \
		--broker.clients.bench.key-sha256="$key_sha256" --broker.clients.bench.accounts='*' \
		>>/tmp/bench-restart-broker.log 2>&1 &
	broker=$!
	wait_for "http://127.0.0.1:$broker_port/actuator/health/liveness"
	for _ in $(seq 1 50); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
			"http://127.0.0.1:$broker_port/token/bob")" = 200 ] && break
		sleep 0.2
	done
	alice=$(curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$broker_port/token/alice" |
		sed -n 's/.*"reason":"\([a-z_]*\)".*/\1/p')
	kill "$broker"
	wait "$broker" 2>/dev/null || true
	echo "start $i: alice ${alice:-?}; simulator $(stats)"
done
echo "== after $restarts starts on one state directory"
stats
echo
