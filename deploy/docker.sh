#!/usr/bin/env bash
# Docker without a registry, on a Debian 12 host without systemd (see the README, Deployment).
#   deploy/docker.sh image   build resumate:latest, print its size, check that it serves
#   deploy/docker.sh up      build and start deploy/docker-compose.yml (needs deploy/.env), wait
#                            until every service is healthy, print the base URL last
#   deploy/docker.sh down    stop the stack (its volumes stay; `down -v` also drops them)
#   deploy/docker.sh test    the whole proof (make deploy-test): a stack of its own with fresh
#                            secrets, deploy/deploy_test.py through nginx, then everything
#                            removed and the host left as it was
#   deploy/docker.sh test-suite
#                            the test suite in a container (make deploy-test-suite,
#                            deploy/docker-compose.test.yml): the README's test command on
#                            Debian 12 (RESUMATE_TEST_COMMAND, default `make test`; `.ci/run` as the
#                            CI), of the working tree or of the commit RESUMATE_TEST_REF names;
#                            exits with the suite's status, then cleans up as `test` does
# Each installs docker.io, docker-compose and debootstrap when missing, and makes the
# debian:bookworm-slim base image locally when it is missing (debootstrap, cached in
# ~/.cache/resumate). `image`, `test` and `test-suite` start a dockerd of their own when none
# answers and stop it at the end, undoing what dockerd changed on the host (ip_forward, iptables,
# bridges); `up` leaves the dockerd it starts running (its data in /var/lib/resumate-docker).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
# The docker.io package's own client (another one may come first on PATH).
DOCKER=/usr/bin/docker
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/resumate"
STATE=$(mktemp -d /tmp/resumate-docker.XXXXXX)
started_daemon=0

need_packages() { scripts/install-deps.sh docker; }

# RESUMATE_DOCKER_ROOT: the data root of a dockerd started here (kept between runs: images are
# then built from cache). Unset: a temporary one, removed with the daemon.
start_daemon() {
  if $DOCKER info >/dev/null 2>&1; then return 0; fi
  local root=${RESUMATE_DOCKER_ROOT:-$STATE/root}
  [ "${1:-}" = persistent ] && root=${RESUMATE_DOCKER_ROOT:-/var/lib/resumate-docker}
  echo "starting dockerd (data root $root)"
  cat /proc/sys/net/ipv4/ip_forward >"$STATE/ip_forward"
  iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//' >"$STATE/iptables.before" || true
  iptables-save >"$STATE/iptables.restore" 2>/dev/null || true
  bridges >"$STATE/bridges.before"
  local exec_root="$STATE/exec" pidfile="$STATE/dockerd.pid"
  if [ "${1:-}" = persistent ]; then
    exec_root=/run/resumate-docker; pidfile=/run/resumate-docker.pid
    setsid dockerd --data-root "$root" --exec-root "$exec_root" --pidfile "$pidfile" \
      >>/var/log/resumate-dockerd.log 2>&1 </dev/null &
  else
    dockerd --data-root "$root" --exec-root "$exec_root" --pidfile "$pidfile" \
      >"$STATE/dockerd.log" 2>&1 &
    started_daemon=1
  fi
  for _ in $(seq 1 100); do $DOCKER info >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "dockerd did not start" >&2; exit 1
}

bridges() { ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }

stop_daemon() {
  [ "$started_daemon" = 1 ] || { rm -rf "$STATE"; return 0; }
  if [ -f "$STATE/dockerd.pid" ]; then
    local pid; pid=$(cat "$STATE/dockerd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  # What dockerd leaves behind: its bridges, its iptables chains and rules, ip_forward.
  for br in $(comm -13 "$STATE/bridges.before" <(bridges)); do ip link delete "$br" 2>/dev/null || true; done
  if [ -s "$STATE/iptables.restore" ]; then iptables-restore <"$STATE/iptables.restore" 2>/dev/null || true; fi
  cat "$STATE/ip_forward" >/proc/sys/net/ipv4/ip_forward 2>/dev/null || true
  umount "$STATE/exec/netns" 2>/dev/null || true
  umount /run/docker/netns 2>/dev/null || true
  # Check it, so that a test run says whether the host is as it was.
  local left=""
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$(cat "$STATE/ip_forward")" ] || left="$left ip_forward"
  [ "$(bridges)" = "$(cat "$STATE/bridges.before")" ] || left="$left bridges($(comm -13 "$STATE/bridges.before" <(bridges) | tr '\n' ' '))"
  if [ -s "$STATE/iptables.before" ]; then
    diff -q "$STATE/iptables.before" <(iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//') >/dev/null ||
      left="$left iptables"
  fi
  if [ -n "$left" ]; then echo "host NOT restored:$left" >&2; else echo "host restored (dockerd stopped; ip_forward, bridges, iptables as before)"; fi
  rm -rf "$STATE" 2>/dev/null || true
}
trap stop_daemon EXIT

apt_uris() {
  { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; } | sed 's#/$##'
}

# The certificate authorities the host's npm trusts beyond the system's (a TLS-inspecting proxy
# on the way to the registry): the image build's `npm ci` trusts them too (deploy/build-ca/).
npm_ca() {
  local ca=${NODE_EXTRA_CA_CERTS:-}
  if [ -z "$ca" ] && command -v npm >/dev/null; then ca=$(npm config get cafile 2>/dev/null || true); fi
  rm -f deploy/build-ca/npm-ca.crt
  case "$ca" in '' | null | undefined) return 0 ;; esac
  if [ -r "$ca" ]; then
    cp "$ca" deploy/build-ca/npm-ca.crt
    echo "the image build's npm trusts $ca, as the host's npm does"
  fi
}

base_image() {
  npm_ca
  if $DOCKER image inspect debian:bookworm-slim >/dev/null 2>&1; then return 0; fi
  mkdir -p "$CACHE"
  local tarball="$CACHE/debian-bookworm-minbase-3.tar"
  if [ ! -s "$tarball" ]; then
    # The host's own Debian mirror (deb822 .sources or one-line sources.list entries).
    local mirror security
    mirror=$(apt_uris | grep -E '/debian/?$' | head -1 || true)
    security=$(apt_uris | grep -E '/debian-security/?$' | head -1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    security=${security:-${mirror%/debian*}/debian-security}
    echo "debootstrap bookworm from $mirror"
    local rootfs="$STATE/rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$STATE/debootstrap.log" 2>&1 ||
      { tail -20 "$STATE/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/*
    # No manuals, documentation (but the copyright files) or translations in a server image, and
    # none of what later packages would add (dpkg skips these paths).
    find "$rootfs"/usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
    rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/resumate-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
    rm -f "$rootfs"/etc/apt/sources.list
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
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

compose() {
  docker-compose ${RESUMATE_ENV_FILE:+--env-file "$RESUMATE_ENV_FILE"} -f deploy/docker-compose.yml "$@"
}

compose_tests() { docker-compose -f deploy/docker-compose.test.yml "$@"; }

# Compose v1 has no --wait: every container of the project running, and healthy where it has a
# health check; fails at once on one that exited or is unhealthy.
wait_healthy() {
  local deadline=$((SECONDS + ${RESUMATE_UP_TIMEOUT:-600}))
  while :; do
    local pending=0 bad="" line name status health
    for id in $(compose ps -q); do
      line=$($DOCKER inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
      read -r name status health <<<"$line"
      case "$status/$health" in
        running/healthy | running/none) ;;
        exited/* | dead/* | */unhealthy) bad="$bad ${name#/}($status/$health)" ;;
        *) pending=$((pending + 1)) ;;
      esac
    done
    if [ -n "$bad" ]; then echo "not healthy:$bad" >&2; compose logs --tail=40 >&2; return 1; fi
    [ "$pending" -eq 0 ] && return 0
    if [ "$SECONDS" -gt "$deadline" ]; then echo "timed out waiting for the stack" >&2; compose ps >&2; return 1; fi
    sleep 2
  done
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
  up)
    need_packages
    [ -f deploy/.env ] || { echo "deploy/.env is missing: cp deploy/.env.example deploy/.env, then set its secrets" >&2; exit 2; }
    start_daemon persistent
    base_image
    compose up -d --build || { compose ps >&2; compose logs --tail=40 >&2; exit 1; }
    wait_healthy
    port=$(grep -E '^RESUMATE_HTTP_PORT=' deploy/.env | tail -1 | cut -d= -f2); port=${port:-8080}
    bind=$(grep -E '^RESUMATE_HTTP_BIND=' deploy/.env | tail -1 | cut -d= -f2); bind=${bind:-127.0.0.1}
    [ "$bind" = 0.0.0.0 ] && bind=127.0.0.1
    echo "http://$bind:$port"
    ;;
  down)
    shift
    $DOCKER info >/dev/null 2>&1 || { echo "no dockerd answers: nothing to stop"; exit 0; }
    compose down "$@"
    ;;
  test)
    need_packages
    start_daemon
    base_image
    # A stack of its own: its project name, fresh secrets, a free port on loopback.
    export COMPOSE_PROJECT_NAME=resumatetest RESUMATE_ENV_FILE="$STATE/env"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
    sed -e "s/^SECRET_KEY=.*/SECRET_KEY=$(secret)$(secret)/" -e "s/^DB_PASSWORD=.*/DB_PASSWORD=$(secret)/" \
        -e "s/^REPLICATION_PASSWORD=.*/REPLICATION_PASSWORD=$(secret)/" -e "s/^REDIS_PASSWORD=.*/REDIS_PASSWORD=$(secret)/" \
        -e "s/^RESUMATE_HTTP_PORT=.*/RESUMATE_HTTP_PORT=$port/" deploy/.env.example >"$RESUMATE_ENV_FILE"
    cat >>"$RESUMATE_ENV_FILE" <<TESTENV
# deploy-test only: the offline model writes its stream in paced pieces (the proof that nginx
# does not buffer the stream), and no rate limit in the way of the load of one client.
# A backend subnet of its own, so that it can run beside a `make deploy-up` stack on one dockerd.
RESUMATE_BACKEND_SUBNET=172.29.0.0/16
RESUMATE_OFFLINE_STREAM_PACE_MS=40
RESUMATE_THROTTLE=off
NGINX_EDGE_RATE=20000r/s
NGINX_EDGE_BURST=2000
TESTENV
    test_down() { compose down -v --remove-orphans >/dev/null 2>&1 || true; stop_daemon; }
    trap test_down EXIT
    t0=$SECONDS
    compose build
    echo "images built in $((SECONDS - t0)) s"
    for img in resumate resumate-nginx resumate-postgres resumate-redis resumate-backup; do
      echo "  $img:latest $(($($DOCKER image inspect "$img:latest" --format '{{.Size}}') / 1000000)) MB"
    done
    t0=$SECONDS
    compose up -d || { compose ps >&2; compose logs --tail=40 >&2; exit 1; }
    wait_healthy
    echo "stack healthy in $((SECONDS - t0)) s"
    python3 deploy/deploy_test.py --base "http://127.0.0.1:$port" --project "$COMPOSE_PROJECT_NAME" \
      --env-file "$RESUMATE_ENV_FILE" --docker "$DOCKER"
    ;;
  test-suite)
    need_packages
    start_daemon
    base_image
    export COMPOSE_PROJECT_NAME=resumatetests
    # The Django schema tests/pg/production_test.py compares with, when the folder beside the
    # checkout has it (as `make test` finds it); otherwise those tests skip.
    reference="$(cd .. && pwd)/shared/reference"
    if [ -f "$reference/django_schema.sql" ]; then export RESUMATE_REFERENCE_DIR="$reference"; fi
    # RESUMATE_TEST_REF=<commit>: that commit's tree (git archive), as the CI checks it out,
    # instead of the working tree; built with this checkout's deploy/test/Dockerfile and
    # .dockerignore (an older commit's .dockerignore lets only the runtime image's files in).
    if [ -n "${RESUMATE_TEST_REF:-}" ]; then
      export RESUMATE_TEST_CONTEXT="$STATE/context"
      mkdir -p "$RESUMATE_TEST_CONTEXT/deploy/test"
      git archive --format=tar "$RESUMATE_TEST_REF" | tar -x -C "$RESUMATE_TEST_CONTEXT"
      cp deploy/test/Dockerfile "$RESUMATE_TEST_CONTEXT/deploy/test/Dockerfile"
      cp .dockerignore "$RESUMATE_TEST_CONTEXT/.dockerignore"
      echo "testing $(git rev-parse --short "$RESUMATE_TEST_REF") (RESUMATE_TEST_REF=$RESUMATE_TEST_REF)"
    fi
    suite_down() { compose_tests down -v --remove-orphans >/dev/null 2>&1 || true; stop_daemon; }
    trap suite_down EXIT
    t0=$SECONDS
    compose_tests build
    echo "test image built in $((SECONDS - t0)) s: resumate-tests:latest" \
      "$(($($DOCKER image inspect resumate-tests:latest --format '{{.Size}}') / 1000000)) MB"
    t1=$SECONDS
    rc=0
    compose_tests up --exit-code-from tests || rc=$?
    echo "test suite in a container (${RESUMATE_TEST_COMMAND:-make test}): exit code $rc;" \
      "ran $((SECONDS - t1)) s, $((SECONDS - t0)) s with the image build"
    exit "$rc"
    ;;
  *) echo "usage: $0 image|up|down|test|test-suite" >&2; exit 2 ;;
esac
