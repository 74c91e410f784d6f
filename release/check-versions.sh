#!/usr/bin/env bash
# CI's check that the version is set in one place and pinned consistently:
#   - pom.xml holds the version: x.y.z while a release is cut, x.y.z-SNAPSHOT between releases;
#   - CHANGELOG.md has an [Unreleased] section and a "## [x.y.z] - yyyy-mm-dd" section per
#     release; a release version of the pom has its section, a snapshot is not older than
#     the last release (x.y.z-SNAPSHOT with a section for x.y.z: a release being prepared);
#   - the Kubernetes manifests (base and examples) and docker-compose.yml pin the image of
#     the pom's version when it is a release, else of the last release in CHANGELOG.md.
#
#   release/check-versions.sh        exit 1, naming each file, when anything disagrees
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=versions.sh
. release/versions.sh

problems=()
pom=$(pom_version)
last=$(last_release)
[ -n "$pom" ] || problems+=("pom.xml: no project <version> found")
[ -n "$last" ] || problems+=("CHANGELOG.md: no release section \"## [x.y.z] - yyyy-mm-dd\"")
grep -q '^## \[Unreleased\]' CHANGELOG.md || problems+=("CHANGELOG.md: no \"## [Unreleased]\" section")

# version_newer A B: A is a higher x.y.z than B
version_newer() {
	[ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)" = "$1" ]
}

expected=$last
case "$pom" in
*-SNAPSHOT)
	# the next version, or the one whose section is written and which prepare.sh sets
	next=${pom%-SNAPSHOT}
	if [ -n "$last" ] && [ "$next" != "$last" ] && ! version_newer "$next" "$last"; then
		problems+=("pom.xml: $pom is older than the last release $last of CHANGELOG.md (set the next version: docs/releasing.md)")
	fi
	;;
[0-9]*.[0-9]*.[0-9]*)
	expected=$pom
	if [ "$last" != "$pom" ]; then
		problems+=("CHANGELOG.md: pom.xml says $pom, but the newest release section is ${last:-none}: add \"## [$pom] - $(date -u +%F)\"")
	fi
	;;
*) problems+=("pom.xml: version $pom is neither x.y.z nor x.y.z-SNAPSHOT") ;;
esac

while IFS=$'\t' read -r file version; do
	if [ "$version" != "$expected" ]; then
		problems+=("$file pins $version, not $expected (release/prepare.sh pins every file)")
	fi
done < <(pinned_versions)

if [ ${#problems[@]} -gt 0 ]; then
	printf 'check-versions: %s\n' "${problems[@]}" >&2
	exit 1
fi
printf 'check-versions: pom.xml %s, last release %s, every pin %s\n' "$pom" "$last" "$expected"
