#!/usr/bin/env bash
# What GET /token allocates: starts the jar under test (BENCH_JAR, default the project's)
# with the embedded simulator (profile sim), warms it up with wrk, then records
# BENCH_SECONDS (15) of wrk at BENCH_CONNECTIONS (16) with Java Flight Recorder's
# allocation samples, and prints the estimated bytes allocated per request on the request
# threads, the share allocated in the broker's own code (a frame of io.tokenbroker among
# the innermost six), and the largest allocation sites. JFR's samples estimate; compare
# runs, not bytes. Usage: bench/allocation-profile.sh [sites, 15]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
jar=${BENCH_JAR:-$(bench_jar)}
seconds=${BENCH_SECONDS:-15} connections=${BENCH_CONNECTIONS:-16} port=${BENCH_PORT:-18431}
work=target/bench/allocation
rm -rf "$work" && mkdir -p "$work"
java -jar "$jar" --spring.profiles.active=sim --server.port="$port" --logging.level.root=warn >"$work/broker.log" 2>&1 &
broker=$!
trap 'kill "$broker" 2>/dev/null || true' EXIT
key='Authorization: Bearer sim-demo-key'
for _ in $(seq 1 600); do curl -sf -o /dev/null -H "$key" "http://127.0.0.1:$port/token" && break; sleep 0.2; done
wrk -t1 -c"$connections" -d"${seconds}s" -H "$key" "http://127.0.0.1:$port/token" >/dev/null
jcmd "$broker" JFR.start name=allocation settings=profile filename="$PWD/$work/allocation.jfr" >/dev/null
requests=$(wrk -t1 -c"$connections" -d"${seconds}s" -H "$key" "http://127.0.0.1:$port/token" |
	awk '/requests in/ {print $1}')
jcmd "$broker" JFR.stop name=allocation >/dev/null
jfr print --json --events jdk.ObjectAllocationSample "$work/allocation.jfr" >"$work/allocation.json"
jq -r --argjson requests "$requests" --argjson top "${1:-15}" '
	[.recording.events[] | select(.values.eventThread.javaName | test("exec"))
	 | {bytes: .values.weight, type: .values.objectClass.name,
	    frames: [.values.stackTrace.frames[0:6][] | .method.type.name + "." + .method.name]}] as $samples
	| ($samples | map(.bytes) | add) as $all
	| ($samples | map(select(.frames | any(test("tokenbroker")))) | map(.bytes) | add // 0) as $ours
	| "requests: \($requests) in the recording; estimated bytes allocated per request on the request threads: \($all / $requests | round)",
	  "of which in the broker'\''s own code: \($ours / $all * 100 | round) % (\($ours / $requests | round) bytes)",
	  "largest sites (type < innermost frames):",
	  ($samples | group_by(.type + " " + (.frames[0:3] | join(" < ")))
	   | map({share: ((map(.bytes) | add) / $all * 100), site: (.[0].type + " " + (.[0].frames[0:3] | join(" < ")))})
	   | sort_by(-.share) | .[0:$top][] | "  \(.share * 10 | round / 10) %  \(.site)")' "$work/allocation.json"
