#!/usr/bin/env bash
# Where the broker's start-up goes: starts the jar under test (BENCH_JAR, default the
# project's) extracted as the image runs it, with the embedded simulator (profile sim)
# and Spring's start-up recorder (bench/StartupTimeline.java), and prints the longest
# steps; each step includes those it contains. On Spring's ahead-of-time code as the
# image (BENCH_AOT=false: without). No class data sharing: the figures are the jar's, the
# image's are lower. Usage: bench/startup-timeline.sh [top, 40]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
jar=${BENCH_JAR:-$(bench_jar)}
work=target/bench/startup-timeline
rm -rf "$work" && mkdir -p "$work/classes"
java -Djarmode=tools -jar "$jar" extract --destination "$work/app" >/dev/null
app=$(ls "$work"/app/*.jar | head -1)
classpath="$app:$work/app/lib/*"
javac -cp "$classpath" -d "$work/classes" bench/StartupTimeline.java
java -Dspring.aot.enabled="${BENCH_AOT:-true}" -Dtop="${1:-40}" -cp "$classpath:$work/classes" StartupTimeline --spring.profiles.active=sim --server.port=0 \
	--logging.level.root=warn --spring.main.banner-mode=off 2>/dev/null
