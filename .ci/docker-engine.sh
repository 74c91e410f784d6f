#!/usr/bin/env bash
# Provision a local Docker engine plus the two local images the integration
# tests need, without any container registry:
#
#   tokenbroker/jre:25   - Debian trixie minbase + openjdk-25-jre-headless (the runtime the
#                          image ships, for its ahead-of-time cache)
#   tokenbroker/redis:7  - Debian bookworm minbase + redis-server (7.0.x)
#
# Images are built with debootstrap from the machine's own Debian mirror (the one its apt
# sources name) and `docker import`ed.
# Idempotent: the engine is only installed/started when `docker info` fails,
# and each image is only built when `docker image inspect` fails.
#
# Environment overrides:
#   DEBIAN_MIRROR   (default: the mirror of this machine's apt sources, deb822
#                   /etc/apt/sources.list.d/*.sources or one-line /etc/apt/sources.list)
#   DEBIAN_SUITE    (default bookworm; the JRE image's is JRE_SUITE, default trixie)
#   DOCKERD_LOG     (default /tmp/dockerd.log)
#   DOCKERD_WAIT    seconds to wait for the daemon (default 60)
#   WORK_ROOT       debootstrap scratch dir (default /tmp/tokenbroker-images)
set -euo pipefail

# The Debian archive this machine installs from: the URI of the first apt source (deb822
# `URIs:` in /etc/apt/sources.list.d/*.sources, then one-line `deb` entries) that serves
# this release's own suite (its codename alone: not -security, -updates or a third party's
# suite). Behind a company mirror or proxy that is the mirror to use.
apt_mirror() {
  local codename file
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || return 0
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    # one stanza per paragraph; Types deb, Suites with the codename, first URI
    awk -v codename="$codename" '
      function flush() {
        if (deb && suite && uri != "") { print uri; found = 1; exit }
        deb = 0; suite = 0; uri = ""
      }
      /^[[:space:]]*$/ { flush(); next }
      /^[[:space:]]*#/ { next }
      tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == codename) suite = 1 }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "enabled:" && tolower($2) == "no" { deb = 0 }
      END { if (!found) flush() }
    ' "$file" | head -n 1
  done | head -n 1 | grep . && return 0
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    # deb [options] URI suite components...
    sed -e 's/\[[^]]*\]//' "$file" |
      awk -v codename="$codename" '$1 == "deb" && $3 == codename { print $2; exit }'
  done | head -n 1
}
DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(apt_mirror)}"
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"
JRE_SUITE="${JRE_SUITE:-trixie}"
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
DOCKERD_WAIT="${DOCKERD_WAIT:-60}"
WORK_ROOT="${WORK_ROOT:-/tmp/tokenbroker-images}"
DOCKER_SOCK=/var/run/docker.sock

JRE_IMAGE=tokenbroker/jre:25
REDIS_IMAGE=tokenbroker/redis:7

SCRIPT_START=$(date +%s)
log() { printf '[docker-engine %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# step NAME CMD... : run CMD and print how long it took
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  log ">>> ${name}"
  "$@"
  log "<<< ${name}: $(( $(date +%s) - t0 ))s"
}

[ "$(id -u)" -eq 0 ] || die "must run as root"
[ -n "$DEBIAN_MIRROR" ] || die "no Debian mirror: this machine's apt sources name none for its release; set DEBIAN_MIRROR"
log "Debian mirror: ${DEBIAN_MIRROR}"

docker_ok() { docker info >/dev/null 2>&1; }

# ---------------------------------------------------------------------------
# 1. Docker engine
# ---------------------------------------------------------------------------
install_packages() {
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y \
    docker.io iptables debootstrap docker-compose ca-certificates
}

dockerd_pid() {
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

stop_our_dockerd() {
  local pid; pid=$(dockerd_pid)
  [ -n "$pid" ] || return 0
  log "stopping dockerd pid ${pid}"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  sleep 1
}

# start_dockerd EXTRA_ARGS... ; returns 0 once `docker info` works
start_dockerd() {
  local pid
  log "starting: dockerd --host=unix://${DOCKER_SOCK}${*:+ $*} (log: ${DOCKERD_LOG})"
  printf '\n===== %s dockerd %s =====\n' "$(date -Is)" "$*" >>"$DOCKERD_LOG"
  # setsid+nohup: new session, immune to SIGHUP, survives the script/CI step.
  setsid nohup dockerd --host="unix://${DOCKER_SOCK}" "$@" \
    </dev/null >>"$DOCKERD_LOG" 2>&1 &
  pid=$!
  for _ in $(seq 1 "$DOCKERD_WAIT"); do
    if docker_ok; then log "dockerd is up (pid ${pid})"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { log "dockerd exited early"; break; }
    sleep 1
  done
  log "dockerd did not come up; last log lines:"
  tail -n 15 "$DOCKERD_LOG" >&2 || true
  kill "$pid" 2>/dev/null || true
  sleep 2
  return 1
}

# A container smoke test that needs no image from a registry: import a tiny
# rootfs holding the host's /bin/true and the shared libraries it needs.
storage_smoke_test() {
  local d; d=$(mktemp -d /tmp/docker-smoke.XXXXXX)
  mkdir -p "$d/bin"
  cp /bin/true "$d/bin/true"
  ldd /bin/true | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$d$(dirname "$lib")"; cp -L "$lib" "$d$lib"
  done
  local rc=0
  { tar -C "$d" -c . | docker import - tokenbroker/smoke:tmp >/dev/null &&
    docker run --rm tokenbroker/smoke:tmp /bin/true; } || rc=1
  docker image rm -f tokenbroker/smoke:tmp >/dev/null 2>&1 || true
  rm -rf "$d"
  return $rc
}

DOCKERD_ARGS=()
ensure_engine() {
  if docker_ok; then
    log "docker info works already - skipping engine installation"
    return 0
  fi
  # Whatever client ends up first on PATH (/usr/local/bin/docker or Debian's
  # /usr/bin/docker) must talk to the daemon we start on the default socket.
  export DOCKER_HOST="unix://${DOCKER_SOCK}"
  unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH || true

  if command -v dockerd >/dev/null && command -v iptables >/dev/null &&
     command -v debootstrap >/dev/null && command -v docker-compose >/dev/null; then
    log "docker.io/iptables/debootstrap/docker-compose already installed - skipping apt-get"
  else
    step "apt-get install docker.io iptables debootstrap docker-compose" install_packages
  fi
  command -v dockerd >/dev/null || die "dockerd not found after install"

  if [ -n "$(dockerd_pid)" ]; then
    log "a dockerd is running but not answering; waiting for it"
    for _ in $(seq 1 "$DOCKERD_WAIT"); do docker_ok && break; sleep 1; done
    docker_ok || die "existing dockerd pid $(dockerd_pid) does not answer; see ${DOCKERD_LOG}"
  else
    # Attempt 1: defaults (iptables via Debian's default iptables-nft).
    # Attempt 2: iptables-legacy.   Attempt 3: --iptables=false.
    if start_dockerd; then
      :
    elif grep -qiE 'iptables|nf_tables|nftables|xtables' "$DOCKERD_LOG" &&
         update-alternatives --set iptables /usr/sbin/iptables-legacy &&
         { update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy || true; } &&
         log "WORKAROUND: switched iptables alternative to iptables-legacy" &&
         start_dockerd; then
      :
    elif log "WORKAROUND: starting dockerd with --iptables=false" &&
         DOCKERD_ARGS=(--iptables=false) && start_dockerd "${DOCKERD_ARGS[@]}"; then
      :
    else
      die "could not start dockerd; see ${DOCKERD_LOG}"
    fi
  fi

  # Storage driver check: prefer overlay2 (the default), fall back to vfs.
  local driver; driver=$(docker info --format '{{.Driver}}')
  log "storage driver reported by daemon: ${driver}"
  if storage_smoke_test; then
    log "storage driver ${driver}: container smoke test OK"
  else
    log "WORKAROUND: smoke test failed with ${driver}; restarting dockerd with --storage-driver=vfs"
    stop_our_dockerd
    DOCKERD_ARGS+=(--storage-driver=vfs)
    start_dockerd "${DOCKERD_ARGS[@]}" || die "dockerd failed with vfs too"
    storage_smoke_test || die "container smoke test fails with vfs too"
    log "storage driver vfs: container smoke test OK"
  fi
}

# ---------------------------------------------------------------------------
# 2. Images (debootstrap + docker import)
# ---------------------------------------------------------------------------
# Unmount anything debootstrap may have left mounted below DIR (proc, sys,
# devpts after an interrupted run) before deleting it.
cleanup_dir() {
  local dir=$1 m
  [ -e "$dir" ] || return 0
  dir=$(readlink -f "$dir")
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$dir"
}
trap 'cleanup_dir "$WORK_ROOT"' EXIT

debootstrap_rootfs() {
  local dir=$1 include=$2 suite=${3:-$DEBIAN_SUITE}
  cleanup_dir "$dir"
  mkdir -p "$dir"
  debootstrap --variant=minbase --include="$include" \
    "$suite" "$dir" "$DEBIAN_MIRROR"
}

shrink_rootfs() {
  local dir=$1
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin \
         "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log "$dir"/var/log/apt/* \
         "$dir"/tmp/* "$dir"/root/.cache
  # debootstrap copies the host's resolv.conf/hostname; docker manages these.
  : >"$dir/etc/resolv.conf" || true
  rm -f "$dir/etc/hostname"
}

import_rootfs() {
  local dir=$1 image=$2; shift 2
  tar --numeric-owner -C "$dir" -c . | docker import "$@" - "$image"
}

build_jre() {
  local dir="$WORK_ROOT/jre" java_home
  step "debootstrap jre rootfs" debootstrap_rootfs "$dir" openjdk-25-jre-headless "$JRE_SUITE"
  [ -x "$dir/usr/bin/java" ] || die "/usr/bin/java missing in jre rootfs"
  java_home=$(dirname "$(dirname "$(readlink -f "$dir/usr/bin/java")")")
  java_home=${java_home#"$dir"}
  step "shrink jre rootfs" shrink_rootfs "$dir"
  step "docker import ${JRE_IMAGE}" import_rootfs "$dir" "$JRE_IMAGE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV JAVA_HOME=${java_home}" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]'
  cleanup_dir "$dir"
}

build_redis() {
  local dir="$WORK_ROOT/redis"
  step "debootstrap redis rootfs" debootstrap_rootfs "$dir" redis-server
  [ -x "$dir/usr/bin/redis-server" ] || die "redis-server missing in redis rootfs"
  step "shrink redis rootfs" shrink_rootfs "$dir"
  step "docker import ${REDIS_IMAGE}" import_rootfs "$dir" "$REDIS_IMAGE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'EXPOSE 6379' \
    --change 'CMD ["redis-server", "--protected-mode", "no"]'
  cleanup_dir "$dir"
}

ensure_image() {
  local image=$1 builder=$2
  if docker image inspect "$image" >/dev/null 2>&1; then
    log "image ${image} present - skipping build"
  else
    command -v debootstrap >/dev/null || {
      step "apt-get install debootstrap" bash -c \
        'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap'
    }
    step "build ${image}" "$builder"
  fi
}

verify_images() {
  log "verify: docker run --rm ${JRE_IMAGE} java -version"
  docker run --rm "$JRE_IMAGE" java -version
  if docker run --rm "$JRE_IMAGE" bash -c 'echo "bash $BASH_VERSION"'; then
    log "bash is present in ${JRE_IMAGE}"
  else
    log "bash is NOT present in ${JRE_IMAGE}"
  fi
  log "verify: docker run --rm ${REDIS_IMAGE} redis-server --version"
  docker run --rm "$REDIS_IMAGE" redis-server --version
}

# ---------------------------------------------------------------------------
step "docker engine" ensure_engine
log "docker client: $(command -v docker) ($(docker version --format 'client {{.Client.Version}} / server {{.Server.Version}} api {{.Server.APIVersion}}'))"
log "storage driver: $(docker info --format '{{.Driver}}')"
step "image ${JRE_IMAGE}" ensure_image "$JRE_IMAGE" build_jre
step "image ${REDIS_IMAGE}" ensure_image "$REDIS_IMAGE" build_redis
step "verify images" verify_images

log "total: $(( $(date +%s) - SCRIPT_START ))s"
docker images --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' |
  awk 'NR == 1 || $1 == "tokenbroker/jre:25" || $1 == "tokenbroker/redis:7"'
