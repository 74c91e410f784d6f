#!/usr/bin/env bash
# Sets the project's version where it is written: pom.xml (./mvnw versions:set) and the
# OpenAPI document's info.version (docs/openapi.yaml, which OpenApiContractTests holds to
# the pom's). The pins of the image (manifests, compose) are release/prepare.sh's.
#
#   release/set-version.sh 0.2.0-SNAPSHOT
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: release/set-version.sh x.y.z[-SNAPSHOT]}
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-SNAPSHOT)?$ ]] || {
	echo "set-version: not a version: $version" >&2
	exit 1
}
./mvnw -B -q versions:set -DnewVersion="$version" -DgenerateBackupPoms=false
sed -i -E "0,/^  version: .*/s//  version: ${version}/" docs/openapi.yaml
grep -q "^  version: ${version}\$" docs/openapi.yaml || {
	echo "set-version: docs/openapi.yaml has no info.version line to set" >&2
	exit 1
}
