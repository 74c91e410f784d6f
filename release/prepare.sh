#!/usr/bin/env bash
# Prepares a release for the maintainer to tag (docs/releasing.md): the release commit,
# built and checked. It never tags or pushes.
#
#   release/prepare.sh 0.1.0                 set the version, check, build with every test
#   release/prepare.sh 0.1.0 --skip-tests    the same, packaging without the tests
#
#   1. checks: x.y.z, no tag vx.y.z yet, CHANGELOG.md has "## [x.y.z] - yyyy-mm-dd" with
#      upgrade notes or changes in it, and an [Unreleased] section;
#   2. sets the version in pom.xml and docs/openapi.yaml (release/set-version.sh) and pins it in the Kubernetes
#      manifests and docker-compose.yml, runs release/check-versions.sh, and commits those
#      files as "Release x.y.z" (so that the jar and the image name that commit, clean;
#      `git reset --hard HEAD~1` takes it back before the tag);
#   3. builds: ./mvnw -B clean verify (the jar, its build-info, the CycloneDX SBOM);
#   4. target/release/: the jar, the SBOM (tradovate-token-broker-x.y.z.cdx.json) and the
#      release notes (the CHANGELOG section), each checked to carry x.y.z;
#   5. with a Docker engine, the image tradovate-token-broker:x.y.z, labelled
#      (release/build-image.sh; BASE_IMAGE=tokenbroker/jre:25 without a registry);
#   6. prints the tag and push commands, and the next development version's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=versions.sh
. release/versions.sh

log() { printf '[prepare] %s\n' "$*" >&2; }
die() {
	printf '[prepare] ERROR: %s\n' "$*" >&2
	exit 1
}

version=${1:-}
skip_tests=false
case "${2:-}" in
--skip-tests) skip_tests=true ;;
"") ;;
*) die "usage: release/prepare.sh x.y.z [--skip-tests]" ;;
esac
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "usage: release/prepare.sh x.y.z [--skip-tests] (a version such as 0.1.0)"
tag="v$version"

# 1. checks
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
	die "the tag $tag exists already"
fi
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	git status --short --untracked-files=no >&2
	die "the work tree has changes (above): commit them first, so that the release is built from commits only"
fi
grep -q '^## \[Unreleased\]' CHANGELOG.md || die "CHANGELOG.md has no \"## [Unreleased]\" section (keep it, empty, above the release)"
heading=$(grep -m 1 "^## \[$version\] - " CHANGELOG.md || true)
[ -n "$heading" ] || die "CHANGELOG.md has no section \"## [$version] - $(date -u +%F)\": move the [Unreleased] entries into it, with upgrade notes"
date=${heading#"## [$version] - "}
[[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "CHANGELOG.md: \"$heading\" needs a date yyyy-mm-dd"
[ "$date" = "$(date -u +%F)" ] || log "WARNING: CHANGELOG.md dates $version $date; today is $(date -u +%F)"
[ "$(last_release)" = "$version" ] || die "CHANGELOG.md: the newest release section is $(last_release), not $version: the newest goes first"
notes=$(release_notes "$version")
grep -q '^- ' <<<"$notes" || die "CHANGELOG.md: the section of $version lists nothing"

# 2. the version, in the pom and the pins
log "version $version: pom.xml and docs/openapi.yaml (release/set-version.sh), Kubernetes manifests, docker-compose.yml"
release/set-version.sh "$version"
[ "$(pom_version)" = "$version" ] || die "pom.xml still says $(pom_version)"
pin_version "$version"
bash release/check-versions.sh
if git diff --quiet -- pom.xml docs/openapi.yaml "${PIN_FILES[@]}"; then
	log "pom.xml and the pins say $version already: building $(git log -1 --format='%h %s')"
else
	git commit -q -m "Release $version" -- pom.xml docs/openapi.yaml "${PIN_FILES[@]}"
	log "committed: $(git log -1 --format='%h %s')"
fi

# 3. the build
if $skip_tests; then
	log "./mvnw -B clean package -DskipTests"
	./mvnw -B -q clean package -DskipTests
else
	log "./mvnw -B clean verify (every test: about 20 minutes)"
	./mvnw -B clean verify
fi

# 4. what goes beside the release
out=target/release
mkdir -p "$out"
jar=target/tradovate-token-broker-$version.jar
[ -f "$jar" ] || die "the build made no $jar"
cp "$jar" "$out/"
sbom=target/classes/META-INF/sbom/application.cdx.json
[ -f "$sbom" ] || die "the build made no SBOM ($sbom; cyclonedx-maven-plugin in pom.xml)"
if command -v unzip >/dev/null; then
	listing=$(unzip -Z1 "$jar")
else
	listing=$("${JAVA_HOME:+$JAVA_HOME/bin/}jar" tf "$jar")
fi
grep -qx 'META-INF/sbom/application.cdx.json' <<<"$listing" || die "$jar does not carry its SBOM"
if command -v jq >/dev/null; then
	sbom_version=$(jq -r '.metadata.component.version' "$sbom")
	[ "$sbom_version" = "$version" ] || die "the SBOM describes version $sbom_version, not $version"
	log "SBOM: $(jq '.components | length' "$sbom") components, CycloneDX $(jq -r '.specVersion' "$sbom")"
fi
cp "$sbom" "$out/tradovate-token-broker-$version.cdx.json"
printf '%s\n' "$notes" >"$out/notes-$version.md"
(cd "$out" && sha256sum "tradovate-token-broker-$version.jar" "tradovate-token-broker-$version.cdx.json" >SHA256SUMS)

# 5. the image
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
	log "the image (release/build-image.sh${BASE_IMAGE:+, BASE_IMAGE=$BASE_IMAGE})"
	release/build-image.sh ${BASE_IMAGE:+--build-arg "BASE_IMAGE=$BASE_IMAGE"} ||
		die "the image did not build (above); the release commit and $out/ are ready: build the image with release/build-image.sh where its base image can be had (BASE_IMAGE=tokenbroker/jre:25 without a registry)"
else
	log "no Docker engine: build the image where there is one: release/build-image.sh"
fi

# 6. what the maintainer does next
minor=${version#*.}
next="${version%%.*}.$((${minor%%.*} + 1)).0-SNAPSHOT"
cat <<EOT

Release $version prepared; in target/release/:
$(cd "$out" && ls -1 | sed 's/^/  /')

Look at the release commit (git show), then tag it and push:

  git tag -a $tag -F $out/notes-$version.md
  git push origin HEAD $tag

(Not released after all: git reset --hard HEAD~1.)

Publish the image (docker tag tradovate-token-broker:$version REGISTRY/tradovate-token-broker:$version
&& docker push ...), and attach the jar, the SBOM and SHA256SUMS to the release $tag with
its notes. Then back to development:

  release/set-version.sh $next
  git commit -am "Start $next"

(the pins stay at $version until the next release; release/check-versions.sh says so).
EOT
