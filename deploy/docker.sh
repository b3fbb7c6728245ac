#!/usr/bin/env bash
# Docker without a registry, on a Debian 12 host without systemd (see the README, Deployment):
#   deploy/docker.sh image       installs docker.io/debootstrap when missing, starts a dockerd
#                                of its own when none answers, makes the debian:bookworm-slim
#                                base image locally when it is missing (debootstrap, cached in
#                                ~/.cache/resumate), builds resumate:latest, prints its size,
#                                and stops the dockerd it started, undoing what dockerd changed
#                                on the host (ip_forward, iptables chains, bridges).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
# The docker.io package's own client (another one may come first on PATH).
DOCKER=/usr/bin/docker
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/resumate"
STATE=$(mktemp -d /tmp/resumate-docker.XXXXXX)
started_daemon=0

need_packages() {
  local missing=()
  for p in docker.io debootstrap; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" ||
    { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
}

start_daemon() {
  if $DOCKER info >/dev/null 2>&1; then return 0; fi
  echo "starting dockerd (data root $STATE/root)"
  cat /proc/sys/net/ipv4/ip_forward >"$STATE/ip_forward"
  iptables-save >"$STATE/iptables.before" 2>/dev/null || true
  dockerd --data-root "$STATE/root" --exec-root "$STATE/exec" --pidfile "$STATE/dockerd.pid" \
    >"$STATE/dockerd.log" 2>&1 &
  started_daemon=1
  for _ in $(seq 1 100); do $DOCKER info >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "dockerd did not start:" >&2; tail -20 "$STATE/dockerd.log" >&2; exit 1
}

stop_daemon() {
  [ "$started_daemon" = 1 ] || return 0
  if [ -f "$STATE/dockerd.pid" ]; then
    kill "$(cat "$STATE/dockerd.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null || break; sleep 0.2; done
  fi
  # What dockerd leaves behind: its bridges, its iptables chains and rules, ip_forward.
  for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep -E '^(docker0|br-)' || true); do
    ip link delete "$br" 2>/dev/null || true
  done
  if [ -s "$STATE/iptables.before" ]; then iptables-restore <"$STATE/iptables.before" 2>/dev/null || true; fi
  [ -f "$STATE/ip_forward" ] && cat "$STATE/ip_forward" >/proc/sys/net/ipv4/ip_forward 2>/dev/null || true
  umount "$STATE/exec/netns" 2>/dev/null || true
  umount /run/docker/netns 2>/dev/null || true
  rm -rf "$STATE" 2>/dev/null || true
}
trap stop_daemon EXIT

base_image() {
  if $DOCKER image inspect debian:bookworm-slim >/dev/null 2>&1; then return 0; fi
  mkdir -p "$CACHE"
  local tarball="$CACHE/debian-bookworm-minbase.tar"
  if [ ! -s "$tarball" ]; then
    local mirror
    mirror=$(grep -rhoE 'https?://[^ ]+/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | head -1)
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "debootstrap bookworm from $mirror"
    local rootfs="$STATE/rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$STATE/debootstrap.log" 2>&1 ||
      { tail -20 "$STATE/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    rm -f "$rootfs"/etc/apt/sources.list
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian*}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$rootfs"
  fi
  $DOCKER import -c 'CMD ["bash"]' "$tarball" local/debian:bookworm >/dev/null
  $DOCKER tag local/debian:bookworm debian:bookworm
  $DOCKER tag local/debian:bookworm debian:bookworm-slim
}

case "${1:-}" in
  image)
    need_packages
    start_daemon
    base_image
    $DOCKER build -t resumate:latest -t "resumate:$(git rev-parse --short HEAD 2>/dev/null || echo local)" .
    size=$($DOCKER image inspect resumate:latest --format '{{.Size}}')
    echo "resumate:latest: $((size / 1000000)) MB"
    if [ -n "${RESUMATE_IMAGE_SAVE:-}" ]; then $DOCKER save resumate:latest -o "$RESUMATE_IMAGE_SAVE"; fi
    # The image serves: health check passes, /healthz answers through a published port.
    cid=$($DOCKER run -d -p 127.0.0.1::8000 resumate:latest)
    port=$($DOCKER port "$cid" 8000/tcp | head -1 | sed 's/.*://')
    status=starting
    for _ in $(seq 1 60); do
      status=$($DOCKER inspect -f '{{.State.Health.Status}}' "$cid")
      [ "$status" = healthy ] && break
      sleep 1
    done
    echo "container health: $status; GET /healthz: $(curl -s "http://127.0.0.1:$port/healthz")"
    user=$($DOCKER exec "$cid" id -un)
    t0=$(date +%s.%N); $DOCKER stop -t 20 "$cid" >/dev/null; t1=$(date +%s.%N)
    code=$($DOCKER inspect -f '{{.State.ExitCode}}' "$cid")
    $DOCKER rm "$cid" >/dev/null
    echo "runs as: $user; docker stop took $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s, exit code $code"
    [ "$status" = healthy ] && [ "$user" = resumate ] && [ "$code" = 0 ]
    ;;
  *) echo "usage: $0 image" >&2; exit 2 ;;
esac
