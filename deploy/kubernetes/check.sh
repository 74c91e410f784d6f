#!/usr/bin/env bash
# Checks the Kubernetes manifests offline, after one `npm ci`:
#   1. kubectl (Debian's kubernetes-client when missing; as root)
#   2. node_modules from package-lock.json (npm ci)
#   3. renders base, overlays/* and examples/* with `kubectl kustomize`
#   4. validates every rendered object against the Kubernetes and Prometheus Operator
#      schemas (validate.mjs; an unknown kind fails), and the rules with promtool when it
#      is installed
#   5. checks the hardening and operating rules (policy.mjs)
#   6. self-tests: policy.mjs must reject test/bad-deployment.yaml with every rule of
#      test/bad-deployment.expect, validate.mjs must reject test/invalid-objects.yaml
#
#   deploy/kubernetes/check.sh
#   CHECK_KUSTOMIZE_V2=1 deploy/kubernetes/check.sh   # also render with kubectl 1.20's
#       kustomize v2.0.3 (Debian's kubernetes-client, fetched with apt-get download into
#       .cache/): the manifests must stay readable by both
#   RENDER_DIR=/tmp/rendered deploy/kubernetes/check.sh   # keep the rendered manifests
#
# Prints every finding; exits non-zero on any error. Warnings are printed and allowed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

TARGETS=(base overlays/single overlays/fleet examples/single examples/fleet examples/redis)
KUBECTL=${KUBECTL:-kubectl}
passed=0
failed=0
warnings=0
failures=()

log() { printf '[check] %s\n' "$*"; }
die() {
	printf '[check] ERROR: %s\n' "$*" >&2
	exit 2
}
pass() {
	passed=$((passed + 1))
	log "PASS $*"
}
fail() {
	failed=$((failed + 1))
	failures+=("$*")
	log "FAIL $*"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${RENDER_DIR:-$work/rendered}
mkdir -p "$out"

as_root_apt() {
	[ "$(id -u)" -eq 0 ] || die "$* needs root (apt-get); run as root or install it yourself"
	command -v apt-get >/dev/null || die "no apt-get here: install $* yourself"
}

# 1. kubectl
if ! command -v "$KUBECTL" >/dev/null; then
	as_root_apt "kubectl (Debian package kubernetes-client)"
	log "kubectl is missing: installing Debian's kubernetes-client"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kubernetes-client
	KUBECTL=kubectl
	command -v "$KUBECTL" >/dev/null || die "kubernetes-client installed no kubectl"
fi
log "kubectl: $("$KUBECTL" version --client 2>/dev/null | head -n 2 | tr '\n' ' ')"

# kubectl 1.20 (kustomize v2.0.3) besides, on request
KUBECTLS=("$KUBECTL")
if [ "${CHECK_KUSTOMIZE_V2:-0}" = 1 ]; then
	v2="$here/.cache/kubernetes-client/usr/bin/kubectl"
	if [ ! -x "$v2" ]; then
		as_root_apt "kubernetes-client (for CHECK_KUSTOMIZE_V2)"
		mkdir -p "$here/.cache/deb"
		log "fetching Debian's kubernetes-client (kubectl 1.20, kustomize v2.0.3) into .cache/"
		(cd "$here/.cache/deb" && { apt-get download -q kubernetes-client 2>/dev/null || { apt-get update -q && apt-get download -q kubernetes-client; }; })
		dpkg-deb -x "$(ls "$here"/.cache/deb/kubernetes-client_*.deb | head -n 1)" "$here/.cache/kubernetes-client"
	fi
	"$v2" version --client >/dev/null 2>&1 || die "$v2 does not run"
	log "also kubectl $("$v2" version --client 2>/dev/null | grep -o 'GitVersion:"[^"]*"' | cut -d'"' -f2) (kustomize v2.0.3)"
	KUBECTLS+=("$v2")
fi

# 2. node and the validators
command -v node >/dev/null || die "node is missing: install Node.js 18 or newer (Debian: apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm is missing: install it (Debian: apt-get install npm), then run this again"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "node $(node --version) is too old: the validators need Node.js 18 or newer"
log "node $(node --version), npm $(npm --version): npm ci"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error >"$work/npm.log" 2>&1 || {
	cat "$work/npm.log" >&2
	die "npm ci failed (see above)"
}

# 3-5. render, validate, policy
rules_checked=false
for kubectl_bin in "${KUBECTLS[@]}"; do
	suffix=""
	[ "$kubectl_bin" = "$KUBECTL" ] || suffix="@kustomize-v2"
	for target in "${TARGETS[@]}"; do
		name="${target//\//-}${suffix}"
		rendered="$out/$name.yaml"
		if ! "$kubectl_bin" kustomize "$target" >"$rendered" 2>"$work/$name.err"; then
			cat "$work/$name.err"
			fail "render $target$suffix"
			continue
		fi
		# kustomize's own warnings (v5 calls the v2-compatible fields deprecated)
		while IFS= read -r line; do
			[ -n "$line" ] || continue
			warnings=$((warnings + 1))
			log "WARN  render $target$suffix: ${line#\# }"
		done < <(sort -u "$work/$name.err")
		pass "render $target$suffix ($(grep -c '^kind:' "$rendered") objects)"

		if node validate.mjs --label "$target$suffix" --rules-out "$work/$name.rules.yml" <"$rendered"; then
			pass "validate $target$suffix"
		else
			fail "validate $target$suffix"
		fi

		if node policy.mjs --label "$target$suffix" <"$rendered" >"$work/$name.policy"; then
			pass "policy $target$suffix"
		else
			fail "policy $target$suffix"
		fi
		cat "$work/$name.policy"
		n=$(grep -c '] WARN ' "$work/$name.policy" || true)
		warnings=$((warnings + n))

		# the PrometheusRule's expressions, once
		if ! $rules_checked && grep -q 'alert:' "$work/$name.rules.yml" 2>/dev/null; then
			rules_checked=true
			if command -v promtool >/dev/null; then
				if promtool check rules "$work/$name.rules.yml"; then
					pass "promtool check rules ($target$suffix)"
				else
					fail "promtool check rules ($target$suffix)"
				fi
			else
				warnings=$((warnings + 1))
				log "WARN  promtool is not installed (Debian package prometheus): the alert expressions are not checked"
			fi
		fi
	done
done

# 6. self-tests: the checks must reject what is wrong
# self_test NAME SCRIPT FILE EXPECTED WORD FORMAT: SCRIPT must reject FILE and report, for
# each line of EXPECTED, WORD and the line as FORMAT writes it
self_test() {
	local name=$1 script=$2 file=$3 expected=$4 word=$5 format=$6 out line missing=()
	out=$work/$name.self-test
	log "self-test: $script on $file must fail with every line of $expected"
	if node "$script" --label "$name" <"$file" >"$out"; then
		cat "$out"
		fail "self-test $script: $file was accepted"
		return
	fi
	while IFS= read -r line; do
		case "$line" in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2059 # FORMAT is ours
		grep -qF "$word $(printf "$format" "$line")" "$out" || missing+=("$line")
	done <"$expected"
	if [ "${#missing[@]}" -eq 0 ]; then
		pass "self-test $script: $file rejected ($(grep -c "] $word " "$out") findings, every expected one among them)"
	else
		cat "$out"
		fail "self-test $script: not reported on $file: $(printf '"%s" ' "${missing[@]}")"
	fi
}
self_test bad-deployment policy.mjs test/bad-deployment.yaml test/bad-deployment.expect ERROR '[%s]'
self_test invalid-objects validate.mjs test/invalid-objects.yaml test/invalid-objects.expect FAIL '%s'

log "${warnings} warning(s)"
for failure in "${failures[@]+"${failures[@]}"}"; do
	log "failed: $failure"
done
echo "kubernetes: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
