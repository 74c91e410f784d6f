#!/usr/bin/env bash
# Writes docs/configuration-reference.md from the configuration metadata that
# spring-boot-configuration-processor produces at compile time
# (target/classes/META-INF/spring-configuration-metadata.json): every broker.* and
# simulator.* setting with its type, default, description, environment variable,
# configtree file and whether it is a secret.
#
#   ./mvnw -B -q -DskipTests package                  # produces the metadata
#   bash docs/generate-configuration-reference.sh     # rewrites docs/configuration-reference.md
#   bash docs/generate-configuration-reference.sh --check
#                                                     # exit 1 if the committed file differs
#
# Where the text comes from:
# - the Javadoc of the @ConfigurationProperties records (@param of each component), which
#   the processor copies into the metadata;
# - src/main/resources/META-INF/additional-spring-configuration-metadata.json for the
#   settings inside maps (broker.accounts.<id>.*, broker.clients.<id>.*,
#   simulator.users.<id>.*): the processor does not look inside map values. This script
#   checks, with javap, that those entries match the record components one for one, so
#   a component added without its entry fails here.
#
# Needs bash, jq and javap (the JDK that built the metadata).
set -euo pipefail
cd "$(dirname "$0")/.."

METADATA=${METADATA:-target/classes/META-INF/spring-configuration-metadata.json}
CLASSES=${CLASSES:-target/classes}
OUTPUT=docs/configuration-reference.md
ADDITIONAL=src/main/resources/META-INF/additional-spring-configuration-metadata.json
REGENERATE='./mvnw -B -q -DskipTests package && bash docs/generate-configuration-reference.sh'

die() {
	printf 'generate-configuration-reference: %s\n' "$*" >&2
	exit 1
}

check=false
case "${1:-}" in
--check) check=true ;;
"") ;;
*) die "usage: $0 [--check]" ;;
esac

command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
command -v javap >/dev/null || die "javap is needed (a JDK 17+, the one that builds the project)"
[ -f "$METADATA" ] || die "$METADATA is missing: build first (./mvnw -B -q -DskipTests package)"

# a metadata file older than the settings' sources describes an older build
stale=$(find src/main/java -name '*.java' -newer "$METADATA" -print -quit 2>/dev/null || true)
if [ -z "$stale" ] && [ -f "$ADDITIONAL" ] && [ "$ADDITIONAL" -nt "$METADATA" ]; then
	stale=$ADDITIONAL
fi
if [ "$stale" = "$ADDITIONAL" ]; then
	# the compiler reads it only when it compiles, and it compiles only changed sources
	die "$METADATA is older than $stale: rebuild from clean (./mvnw -B -q clean package -DskipTests)"
elif [ -n "$stale" ]; then
	die "$METADATA is older than $stale: rebuild first (./mvnw -B -q -DskipTests package)"
fi

# --- what javap says about a class ------------------------------------------------------

# javap_class CLASS: javap -p of a class in target/classes, or nothing
javap_class() {
	javap -p -cp "$CLASSES" "$1" 2>/dev/null || true
}

# record_components CLASS: "kebab-name<TAB>type" per component (instance fields of a record)
record_components() {
	javap_class "$1" | sed -n 's/^  private final \([^ ]*\) \([A-Za-z0-9_]*\);$/\1\t\2/p' |
		while IFS=$'\t' read -r type name; do
			case "$type" in
			boolean) type=java.lang.Boolean ;;
			int) type=java.lang.Integer ;;
			long) type=java.lang.Long ;;
			double) type=java.lang.Double ;;
			esac
			printf '%s\t%s\n' "$(printf '%s' "$name" | sed 's/\([a-z0-9]\)\([A-Z]\)/\1-\2/g' | tr 'A-Z' 'a-z')" "$type"
		done | sort
}

# enum_values CLASS: the constants of an enum, lower case, one per line (nothing if not an enum)
enum_values() {
	local out
	out=$(javap_class "$1")
	case "$out" in
	*"extends java.lang.Enum<"*) ;;
	*) return 0 ;;
	esac
	# "  public static final a.b.C$D NAME;" of the enum's own type
	printf '%s\n' "$out" | awk -v type="$1" '$1 == "public" && $2 == "static" && $3 == "final" && $4 == type { sub(/;$/, "", $5); print tolower($5) }'
}

# --- the settings inside maps must match their records -------------------------------------

problems=()
while IFS=$'\t' read -r name value; do
	# only maps whose values are the project's own records have settings inside
	case "$value" in io.tokenbroker.*) ;; *) continue ;; esac
	javap_class "$value" | grep -q 'extends java.lang.Record' || continue
	expected=$(record_components "$value")
	documented=$(jq -r --arg prefix "$name.*." '.properties[] | select(.name | startswith($prefix))
		| [(.name | ltrimstr($prefix)), .type] | @tsv' "$METADATA" | sort)
	if [ "$expected" != "$documented" ]; then
		problems+=("$name.* (record ${value}) and its entries in $ADDITIONAL differ:
$({ diff <(printf '%s\n' "$expected") <(printf '%s\n' "$documented") || true; } | sed -n 's/^</   in the record, not documented:/p; s/^>/   documented, not in the record (or another type):/p')")
	fi
done < <(jq -r '.properties[] | select(.name | test("^(broker|simulator)[.]"))
	| select(.type | startswith("java.util.Map<java.lang.String,"))
	| [.name, (.type | ltrimstr("java.util.Map<java.lang.String,") | rtrimstr(">"))] | @tsv' "$METADATA")

undescribed=$(jq -r '.properties[] | select(.name | test("^(broker|simulator)[.]"))
	| select((.description // "") == "") | .name' "$METADATA")
if [ -n "$undescribed" ]; then
	problems+=("settings without a description (add Javadoc: an @param on the record component, or the field's Javadoc):
$(printf '   %s\n' $undescribed)")
fi

if [ ${#problems[@]} -gt 0 ]; then
	printf 'generate-configuration-reference: the configuration metadata is incomplete:\n' >&2
	printf ' - %s\n' "${problems[@]}" >&2
	exit 1
fi

# --- the reference -------------------------------------------------------------------------

# every enum type the settings use, with its values, for jq
enums='{}'
while read -r type; do
	values=$(enum_values "$type")
	if [ -n "$values" ]; then
		enums=$(jq -c --arg type "$type" --arg values "$values" '. + {($type): ($values | split("\n"))}' <<<"$enums")
	fi
done < <(jq -r '.properties[] | select(.name | test("^(broker|simulator)[.]")) | .type
	| sub("^java.util.Map<java.lang.String,"; "") | rtrimstr(">")' "$METADATA" | sort -u)

generate() {
	jq -r --argjson enums "$enums" '
	def code: "`" + . + "`";
	# Javadoc inline tags to Markdown; one line; a capital first; a full stop last
	def prose:
		gsub("\\{@(code|link|literal) (?<x>[^}]*)\\}"; "`\(.x)`")
		| gsub("\\s+"; " ") | sub("^ "; "") | sub(" $"; "")
		| (.[0:1] | ascii_upcase) + .[1:]
		| if test("[.!?]$") then . else . + "." end
		| gsub("\\|"; "\\|");
	def kind($type):
		if $enums[$type] then ($enums[$type] | map(code) | join(", ")) + " (one of)"
		elif $type == "java.time.Duration" then "duration"
		elif $type == "org.springframework.util.unit.DataSize" then "data size"
		elif $type == "java.lang.Integer" or $type == "java.lang.Long" then "integer"
		elif $type == "java.lang.Double" then "decimal number"
		elif $type == "java.lang.Boolean" then "boolean"
		elif $type == "java.lang.String" then "text"
		elif $type == "java.net.URI" then "URL"
		elif $type == "java.nio.file.Path" then "directory"
		elif $type == "io.tokenbroker.account.Secret" then "text (secret)"
		elif $type == "java.util.List<io.tokenbroker.account.KeyDigest>" then "list of hex SHA-256 digests, comma-separated"
		elif $type == "java.util.List<java.lang.String>" then "list, comma-separated"
		else ($type | sub(".*[.$]"; "")) end;
	def secret: .type == "io.tokenbroker.account.Secret" or (.name | test("[.](password|secret)$"));
	def variable: ascii_upcase | gsub("[.-]"; "_");
	def default:
		if .defaultValue == null then "" elif (.defaultValue | type) == "array" then (.defaultValue | join(",") | code)
		else (.defaultValue | tostring | code) end;

	[.properties[] | select(.name | test("^(broker|simulator)[.]"))] as $all
	| [$all[] | select(.name | contains(".*.")) | .name | sub("[.][*][.].*"; "")] as $expanded
	| [.groups[] | .name] as $groups
	| [$all[]
		| select(.name as $n | $expanded | index($n) | not)
		| if (.type | startswith("java.util.Map<java.lang.String,")) then
			.name += ".*" | .type |= (ltrimstr("java.util.Map<java.lang.String,") | rtrimstr(">"))
		  else . end
		| .section = (if (.name | contains(".*")) and (.name | endswith(".*") | not) then (.name | sub("[.][*][.].*"; ".*"))
			else (.name as $n | [$groups[] | select(. as $g | $n | startswith($g + "."))] | max_by(length)) end)
		| .display = (.name | gsub("[*]"; "<id>"))
		| .section = (.section | gsub("[*]"; "<id>"))
	  ]
	| group_by(.section)
	| (
		"<!-- Generated by docs/generate-configuration-reference.sh from target/classes/META-INF/spring-configuration-metadata.json. Do not edit: change the Javadoc of the settings classes (or src/main/resources/META-INF/additional-spring-configuration-metadata.json for settings inside maps), rebuild and run the script. -->",
		"",
		"# Configuration reference",
		"",
		"Every `broker.*` and `simulator.*` setting the broker reads, generated from the configuration",
		"metadata of the build. How to use them, with examples: [configuration.md](configuration.md).",
		"",
		"- **Property / configtree file**: the setting as written in `application.yml` or on the",
		"  command line (`--broker.wait-for-token=5s`), and the name of the file that holds it in a",
		"  directory imported with `spring.config.import=optional:configtree:<directory>/` (a file",
		"  named `broker.accounts.main.password`). `<id>` stands for an account id, a client id, a",
		"  store key id or a simulated user: `broker.accounts.<id>.password` is",
		"  `broker.accounts.main.password` for the account `main`.",
		"- **Environment variable**: the same setting through Spring Boot'"'"'s relaxed binding: upper",
		"  case, dots and dashes to underscores (`<ID>` is the id in upper case:",
		"  `BROKER_ACCOUNTS_MAIN_PASSWORD`). Spring Boot'"'"'s canonical form drops the dashes instead",
		"  (`BROKER_ACCOUNTS_MAIN_APPID`, as start-up errors print it); both work. Lists take",
		"  comma-separated values.",
		"- **Secret**: **yes** for passwords, API secrets and key material: keep them out of files",
		"  under version control and out of `env:` in manifests; give them as configtree files",
		"  ([configuration.md](configuration.md#secrets-as-files-configtree)). Start-up errors, logs",
		"  and `/actuator/env` print them as `***`.",
		"- Durations take a unit (`500ms`, `30s`, `10m`, `1h`, `2d`); a bare number other than `0` is",
		"  refused at start-up (Spring alone would read it as milliseconds). Sizes take one too",
		"  (`64KB`, `1MB`).",
		"- An unknown `broker.*` setting stops start-up, naming the closest known one.",
		"",
		(.[] |
			"## `\(.[0].section)`",
			"",
			"| Property / configtree file | Environment variable | Type | Default | Secret | Description |",
			"|---|---|---|---|---|---|",
			(sort_by(.name)[] |
				"| `\(.display)` | `\(.display | variable)` | \(kind(.type)) | \(default) | \(if secret then "**yes**" else "" end) | \(.description | prose) |"),
			""
		)
	  )
	' "$METADATA" | sed '$ { /^$/ d }'
}

if $check; then
	[ -f "$OUTPUT" ] || die "$OUTPUT is missing. Run: $REGENERATE"
	fresh=$(mktemp)
	trap 'rm -f "$fresh"' EXIT
	generate >"$fresh"
	if ! diff -u "$OUTPUT" "$fresh" >&2; then
		printf '\ngenerate-configuration-reference: %s is out of date with the configuration metadata (diff above).\n' "$OUTPUT" >&2
		printf 'Run: %s\nand commit the result.\n' "$REGENERATE" >&2
		exit 1
	fi
	printf 'generate-configuration-reference: %s is up to date (%s settings)\n' "$OUTPUT" "$(grep -c '^| `' "$OUTPUT")"
else
	generate >"$OUTPUT"
	printf 'generate-configuration-reference: wrote %s (%s settings)\n' "$OUTPUT" "$(grep -c '^| `' "$OUTPUT")"
fi
