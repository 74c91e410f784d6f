# Sourced by the release scripts: where the version lives, and what pins it.
#   pom_version                   the project's version in pom.xml (the one place it is set)
#   last_release                  the newest "## [x.y.z] - yyyy-mm-dd" of CHANGELOG.md
#   pinned_versions               "file<TAB>version" for each place that pins the image
#   pin_version VERSION           rewrites every pin to VERSION
# Run from the repository's root.

# the <version> right after the project's own <artifactId> (the parent's comes before it)
pom_version() {
	awk '/<artifactId>tradovate-token-broker<\/artifactId>/ { found = 1; next }
		found && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' pom.xml
}

last_release() {
	sed -n 's/^## \[\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)\] - [0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}.*$/\1/p' CHANGELOG.md | head -n 1
}

# the section of a version, heading excluded, up to the next version's heading
release_notes() {
	awk -v v="$1" '$0 ~ "^## \\[" { if (printing) exit; if (index($0, "## [" v "] - ") == 1) { printing = 1; next } }
		printing && /^\[[^]]*\]: / { exit }
		printing { print }' CHANGELOG.md
}

# Kustomize (base and examples): the `newTag:` of the image tradovate-token-broker.
# Compose: the default of BROKER_VERSION, the image's tag and its VERSION build argument.
PIN_FILES=(deploy/kubernetes/base/kustomization.yaml deploy/kubernetes/examples/single/kustomization.yaml
	deploy/kubernetes/examples/fleet/kustomization.yaml docker-compose.yml)

pinned_versions() {
	local file
	for file in "${PIN_FILES[@]}"; do
		case "$file" in
		*.yaml) sed -n 's/^    newTag: *\([^ #]*\).*$/\1/p' "$file" ;;
		*) { grep -o 'BROKER_VERSION:-[^}]*}' "$file" || true; } | sed 's/BROKER_VERSION:-//; s/}$//' ;;
		esac | sort -u | while read -r version; do printf '%s\t%s\n' "$file" "$version"; done
		# a file that pins nothing is a finding too
		case "$file" in
		*.yaml) grep -q '^    newTag:' "$file" || printf '%s\t%s\n' "$file" "(none)" ;;
		*) grep -q 'BROKER_VERSION:-' "$file" || printf '%s\t%s\n' "$file" "(none)" ;;
		esac
	done
}

pin_version() {
	local version=$1 file
	for file in "${PIN_FILES[@]}"; do
		case "$file" in
		*.yaml) sed -i "s/^    newTag: *[^ #]*/    newTag: ${version}/" "$file" ;;
		*) sed -i "s/BROKER_VERSION:-[^}]*}/BROKER_VERSION:-${version}}/g" "$file" ;;
		esac
	done
}
