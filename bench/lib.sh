# Shared by the bench scripts (sourced, not run).

# The packaged jar, built first when missing.
bench_jar() {
	local jar
	jar=$(ls target/tradovate-token-broker-*.jar 2>/dev/null | grep -v plain | head -1 || true)
	if [ -z "$jar" ]; then
		./mvnw -q -B -DskipTests package
		jar=$(ls target/tradovate-token-broker-*.jar | grep -v plain | head -1)
	fi
	echo "$jar"
}

# wait_for URL: until it answers 2xx, at most 30 s.
wait_for() {
	for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
	echo "no answer from $1" >&2
	exit 1
}

# The hex SHA-256 of a client key, as broker.clients.<client>.key-sha256 wants it.
key_sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
