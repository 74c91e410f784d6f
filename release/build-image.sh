#!/usr/bin/env bash
# Builds the broker's image from the packaged jar, labelled from the build: the version
# (build.version of the jar's build-info, i.e. the pom's), the revision (git.commit.id of
# its git.properties, "-dirty" when the work tree had changes) and the build time.
#
#   ./mvnw -B package -DskipTests && release/build-image.sh [docker build options...]
#   release/build-image.sh --build-arg BASE_IMAGE=tokenbroker/jre:25   # no registry
#   BASE_IMAGE=tokenbroker/jre:25 release/build-image.sh                # the same
#
# Tags tradovate-token-broker:<version> and :latest (IMAGE=name to change the name), and
# prints the first.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
	printf 'build-image: %s\n' "$*" >&2
	exit 1
}

CLASSES=target/classes
[ -f "$CLASSES/META-INF/build-info.properties" ] || die "no $CLASSES/META-INF/build-info.properties: run ./mvnw -B package first"
ls target/tradovate-token-broker-*.jar >/dev/null 2>&1 || die "no target/tradovate-token-broker-*.jar: run ./mvnw -B package first"

# property FILE NAME: a value of a .properties file the build wrote (its ':' escaped)
property() {
	sed -n "s/^$2=//p" "$1" | head -n 1 | sed 's/\\//g'
}

version=$(property "$CLASSES/META-INF/build-info.properties" build.version)
created=$(property "$CLASSES/META-INF/build-info.properties" build.time)
revision=unknown
if [ -f "$CLASSES/git.properties" ]; then
	revision=$(property "$CLASSES/git.properties" git.commit.id)
	[ "$(property "$CLASSES/git.properties" git.dirty)" != true ] || revision="${revision}-dirty"
fi
[ -n "$version" ] || die "the build-info holds no build.version"
if [ "$(ls target/tradovate-token-broker-*.jar | grep -c .)" -ne 1 ]; then
	die "several target/tradovate-token-broker-*.jar: ./mvnw -B clean package, so the Dockerfile copies one"
fi

base=()
[ -z "${BASE_IMAGE:-}" ] || base=(--build-arg "BASE_IMAGE=${BASE_IMAGE}")
image="${IMAGE:-tradovate-token-broker}:${version}"
printf 'build-image: %s (revision %s, built %s)\n' "$image" "$revision" "$created" >&2
docker build --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg CREATED="$created" \
	-t "$image" -t "${IMAGE:-tradovate-token-broker}:latest" "${base[@]}" "$@" .
labelled=$(docker image inspect --format '{{ index .Config.Labels "org.opencontainers.image.version" }}' "$image")
[ "$labelled" = "$version" ] || die "$image is labelled version '$labelled', not $version"
echo "$image"
