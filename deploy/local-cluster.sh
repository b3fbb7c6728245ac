#!/usr/bin/env bash
# The deployment's topology on one machine, without Docker, for tests and benchmarks: nginx in
# front of three `resumate serve` instances, a PostgreSQL 15 primary with a streaming replica,
# and Redis, all on 127.0.0.1 on free ports, from Debian's packages (installed when missing).
#
#   deploy/local-cluster.sh up                 start it; prints the base URL (nginx) last.
#                                              Already up: says so, prints the URL, exits 0
#   deploy/local-cluster.sh status             one line per component (up/down, port, pid);
#                                              exit 0 when all are up, 1 otherwise
#   deploy/local-cluster.sh down               stop everything (instances with SIGTERM, then
#                                              nginx, Redis, PostgreSQL), remove the state
#                                              directory; idempotent
#   deploy/local-cluster.sh restart N [VAR=value…]  instance N (1-3, or `all`: one after the
#                                              other, 2.5 s apart so nginx has taken the last one
#                                              back): SIGTERM, wait for it to exit, start it on
#                                              the same port, wait for /readyz
#   deploy/local-cluster.sh stop N             SIGTERM, wait for it to exit
#   deploy/local-cluster.sh kill N             SIGKILL
#   deploy/local-cluster.sh start N [VAR=value…]    start it on its port, wait for /readyz
#   deploy/local-cluster.sh cli ARGS…          `resumate ARGS…` on the cluster's database, Redis
#                                              and key (e.g. `cli createsuperuser --username …`)
#
# VAR=value after restart/start sets (or replaces) an environment variable of that instance,
# kept for its later starts (e.g. `restart all RESUMATE_THROTTLE=user=30/min`).
#
# Environment:
#   RESUMATE_CLUSTER_DIR   state directory (default ${TMPDIR:-/tmp}/resumate-cluster): data,
#                          logs (appN/app.log, nginx/access.log, nginx/error.log,
#                          replica/replica.log, services/pg.log, services/redis.log), and
#                          cluster.env, a KEY=value file a test can source: CLUSTER_BASE_URL,
#                          CLUSTER_APPn_URL/_PORT/_PID, CLUSTER_PRIMARY_URL, CLUSTER_REPLICA_URL,
#                          CLUSTER_REDIS_URL, CLUSTER_SECRET_KEY, the ports and pids
#   RESUMATE_BIN           the server binary (default build/resumate of this checkout); given
#                          to start/restart, that instance runs it from then on (an upgrade)
#   RESUMATE_CLUSTER_REPLICA_DELAY   recovery_min_apply_delay of the replica (e.g. 2s), so that
#                          it lags on purpose; default none
#   RESUMATE_CLUSTER_PASS  names of further variables to hand to the instances (comma or space
#                          separated, e.g. GEMINI_API_KEY)
#   RESUMATE_*             every other RESUMATE_ variable of the caller at `up` (but
#                          RESUMATE_CLUSTER_*, RESUMATE_BIN, RESUMATE_DATA_DIR,
#                          RESUMATE_PORT_FILE) is handed to every instance, e.g.
#                          RESUMATE_THROTTLE=off, RESUMATE_THREADS=1
#   SECRET_KEY             the instances' key (default: a random one, in cluster.env)
#   NGINX_EDGE_RATE, NGINX_EDGE_BURST   nginx's per-address limit, as in the Docker image; here
#                          every client is 127.0.0.1, so the defaults are high (100000r/s, 100000)
#
# The instances get DATABASE_URL (the primary), DATABASE_REPLICA_URLS (the replica), REDIS_URL,
# SECRET_KEY and RESUMATE_TRUSTED_PROXIES=127.0.0.1 (the client address comes from nginx's
# X-Forwarded-For); each runs in its own directory appN/ (its data dir and log), so no .env of
# the caller's is read. nginx's configuration is deploy/nginx/nginx.conf.in, the Docker image's,
# with its listen address, upstream servers, pid file and temporary paths put on loopback and in
# the state directory. PostgreSQL and Redis are started by scripts/test-services.sh (fsync off,
# as for the tests), the replica here with pg_basebackup -R and a physical replication slot. As
# root, PostgreSQL runs as the postgres user (it refuses root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${RESUMATE_CLUSTER_DIR:-${TMPDIR:-/tmp}/resumate-cluster}
# RESUMATE_BIN, else the binary of `up`.
BIN=${RESUMATE_BIN:-$(cat "$dir/bin" 2>/dev/null || echo build/resumate)}
case "$BIN" in /*) ;; *) BIN="$root/$BIN" ;; esac
INSTANCES=(1 2 3)
# The PostgreSQL that scripts/test-services.sh started the primary with (the newest installed).
PGBIN=$(sed -n 's/^TEST_PG_BIN=//p' "$dir/services/env" 2>/dev/null || true)
PLAIN_PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

say() { echo "local-cluster: $*"; }
die() { echo "local-cluster: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A pid that is running (not a zombie) and whose command line contains $2.
# (Builtins only: it runs in every wait loop.)
alive() {
  local pid=${1:-} want=${2:-} stat
  local -a args
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  read -r stat <"/proc/$pid/stat" 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ] || return 1
  [ -n "$want" ] || return 0
  mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [[ " ${args[*]} " == *"$want"* ]]
}
readf() { cat "$1" 2>/dev/null || true; }
pg_pid() { head -1 "$1/postmaster.pid" 2>/dev/null || true; }
# Waits up to $2 seconds for pid $1 to end.
wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while alive "$pid"; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true; }
kv() { sed -n "s/^$1=//p" "$dir/cluster.env" 2>/dev/null | head -1; }
instance_ok() { [ "$1" = all ] || [[ " ${INSTANCES[*]} " == *" $1 "* ]] || die "no instance '$1' (1-${#INSTANCES[@]} or all)"; }

# cluster.env: everything a test needs, rewritten whenever a pid changes.
write_env() {
  local n port
  {
    echo "RESUMATE_CLUSTER_DIR=$dir"
    echo "CLUSTER_BASE_URL=http://127.0.0.1:$(readf "$dir/nginx/port")"
    echo "CLUSTER_NGINX_PORT=$(readf "$dir/nginx/port")"
    echo "CLUSTER_NGINX_PID=$(readf "$dir/nginx/pid")"
    echo "CLUSTER_INSTANCES=${#INSTANCES[@]}"
    for n in "${INSTANCES[@]}"; do
      port=$(readf "$dir/app$n/port")
      echo "CLUSTER_APP${n}_URL=http://127.0.0.1:$port"
      echo "CLUSTER_APP${n}_PORT=$port"
      echo "CLUSTER_APP${n}_PID=$(readf "$dir/app$n/pid")"
      echo "CLUSTER_APP${n}_LOG=$dir/app$n/app.log"
    done
    echo "CLUSTER_PRIMARY_URL=$(readf "$dir/primary_url")"
    echo "CLUSTER_PRIMARY_PORT=$(readf "$dir/primary_port")"
    echo "CLUSTER_PRIMARY_PID=$(pg_pid "$dir/services/pg")"
    echo "CLUSTER_REPLICA_URL=$(readf "$dir/replica_url")"
    echo "CLUSTER_REPLICA_PORT=$(readf "$dir/replica/port")"
    echo "CLUSTER_REPLICA_PID=$(pg_pid "$dir/replica/data")"
    echo "CLUSTER_REPLICA_DELAY=$(readf "$dir/replica/delay")"
    echo "CLUSTER_REDIS_URL=$(readf "$dir/redis_url")"
    echo "CLUSTER_REDIS_PORT=$(readf "$dir/redis_port")"
    echo "CLUSTER_REDIS_PID=$(readf "$dir/services/redis.pid")"
    echo "CLUSTER_SECRET_KEY=$(readf "$dir/secret_key")"
    echo "CLUSTER_PG_BIN=$PGBIN"
    echo "CLUSTER_BIN=$BIN"
  } >"$dir/cluster.env.part"
  chmod 600 "$dir/cluster.env.part"  # it holds the secret key
  mv "$dir/cluster.env.part" "$dir/cluster.env"
}

# The environment every instance (and `cli`) gets, one VAR=value a line: the cluster's own
# settings, then what the caller passed at `up`, then the instance's own (restart N VAR=value).
base_env() {
  echo "PATH=$PLAIN_PATH"
  echo "DATABASE_URL=$(readf "$dir/primary_url")"
  echo "DATABASE_REPLICA_URLS=$(readf "$dir/replica_url")"
  echo "REDIS_URL=$(readf "$dir/redis_url")"
  echo "SECRET_KEY=$(readf "$dir/secret_key")"
  echo "RESUMATE_TRUSTED_PROXIES=127.0.0.1"
  cat "$dir/instance.env"
}

# The caller's variables handed to the instances, kept in instance.env at `up`.
passed_env() {
  local name names
  names=$(compgen -e | grep '^RESUMATE_' | grep -Ev '^RESUMATE_(CLUSTER_.*|BIN|DATA_DIR|PORT_FILE)$' || true)
  names="$names $(echo "${RESUMATE_CLUSTER_PASS:-}" | tr ',' ' ')"
  for name in $names; do
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "RESUMATE_CLUSTER_PASS: '$name' is not a variable name"
    [ -n "${!name+x}" ] || continue
    [[ "${!name}" != *$'\n'* ]] || die "$name: a value on several lines cannot be handed on"
    printf '%s=%s\n' "$name" "${!name}"
  done
}

set_instance_env() {  # N VAR=value...
  local n=$1 a; shift
  for a in "$@"; do
    [[ "$a" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "expected VAR=value, got '$a'"
    grep -v "^${a%%=*}=" "$dir/app$n/env" >"$dir/app$n/env.part" || true
    printf '%s\n' "$a" >>"$dir/app$n/env.part"
    mv "$dir/app$n/env.part" "$dir/app$n/env"
  done
}

launch_instance() {  # N: starts it in the background on its port, records its pid
  local n=$1 port
  local -a envs
  port=$(cat "$dir/app$n/port")
  mapfile -t envs < <(base_env; cat "$dir/app$n/env")
  # (A build that is relinking the binary right now: give it a little time.)
  local deadline=$((SECONDS + 30))
  while [ ! -x "$BIN" ] && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  [ -x "$BIN" ] || die "no server binary at $BIN (make build, or set RESUMATE_BIN)"
  echo "$BIN" >"$dir/app$n/bin"
  # setsid: the instance outlives this script and the caller's terminal; $! is its own pid.
  (cd "$dir/app$n" && exec setsid env -i "${envs[@]}" HOME="$dir/app$n" \
    RESUMATE_DATA_DIR="$dir/app$n/data" HOST=127.0.0.1 PORT="$port" \
    "$BIN" serve >>"$dir/app$n/app.log" 2>&1 </dev/null) &
  echo $! >"$dir/app$n/pid"
  write_env
}

wait_ready() {  # N [timeout]: until /readyz answers 200
  local n=$1 deadline=$((SECONDS + ${2:-90})) port pid
  port=$(cat "$dir/app$n/port"); pid=$(readf "$dir/app$n/pid")
  while [ "$(http_code "http://127.0.0.1:$port/readyz")" != 200 ]; do
    if ! alive "$pid"; then
      tail -20 "$dir/app$n/app.log" >&2
      die "app$n exited before it was ready (log: $dir/app$n/app.log)"
    fi
    [ $SECONDS -lt "$deadline" ] || { tail -20 "$dir/app$n/app.log" >&2; die "app$n not ready after ${2:-90} s"; }
    sleep 0.1
  done
}

start_instance() {  # N
  local n=$1
  if alive "$(readf "$dir/app$n/pid")" "$(readf "$dir/app$n/bin")"; then say "app$n is already running"; return 0; fi
  launch_instance "$n"
  wait_ready "$n"
  say "app$n ready on http://127.0.0.1:$(cat "$dir/app$n/port") (pid $(cat "$dir/app$n/pid"))"
}

stop_instance() {  # N: SIGTERM, wait for it to end (SIGKILL past its grace period)
  local n=$1 pid grace t0
  pid=$(readf "$dir/app$n/pid")
  if ! alive "$pid"; then return 0; fi
  t0=$(date +%s%N)
  kill -TERM "$pid" 2>/dev/null || true
  grace=$(cat "$dir/instance.env" "$dir/app$n/env" 2>/dev/null | sed -n 's/^RESUMATE_SHUTDOWN_GRACE_SECONDS=//p' | tail -1)
  if ! wait_gone "$pid" $((${grace:-20} + 10)); then
    say "app$n (pid $pid) still running after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "app$n (pid $pid) does not end"
  fi
  say "app$n (pid $pid) ended $(( ($(date +%s%N) - t0) / 1000000 )) ms after SIGTERM"
}

# nginx.conf from the Docker image's template: the edge limit as there, and what differs on
# loopback — listen address, the upstream servers appN:8000, the pid file, temporary paths.
render_nginx() {
  local tpl="$root/deploy/nginx/nginx.conf.in" out="$dir/nginx/nginx.conf" n port
  local -a expr=(-e "s|@EDGE_RATE@|${NGINX_EDGE_RATE:-100000r/s}|g"
    -e "s|@EDGE_BURST@|${NGINX_EDGE_BURST:-100000}|g"
    -e "s|^pid .*;|pid $dir/nginx/nginx.pid;|"
    -e "s|listen 80 default_server;|listen 127.0.0.1:$(cat "$dir/nginx/port") default_server;|"
    -e '/listen \[::\]:80 /d')
  for n in "${INSTANCES[@]}"; do
    port=$(cat "$dir/app$n/port")
    expr+=(-e "s|server app$n:8000 |server 127.0.0.1:$port |")
  done
  for n in client_body proxy fastcgi uwsgi scgi; do
    expr+=(-e "/^http {/a\\    ${n}_temp_path $dir/nginx/tmp/$n;")
  done
  sed "${expr[@]}" "$tpl" >"$out"
  # The template changed in a way this rendering does not know: say so rather than run on it.
  if grep -nE '@[A-Z_]+@|server app[0-9]+:|/run/nginx.pid|listen (\[::\]:)?80 ' "$out" >&2 ||
    [ "$(grep -c 'server 127.0.0.1:[0-9]* ' "$out")" != "${#INSTANCES[@]}" ] ||
    ! grep -q "^pid $dir/nginx/nginx.pid;" "$out" || ! grep -q "listen 127.0.0.1:[0-9]* default_server;" "$out"; then
    die "deploy/nginx/nginx.conf.in no longer renders for loopback (see the lines above)"
  fi
}

start_nginx() {
  mkdir -p "$dir/nginx/tmp"
  render_nginx
  local -a ngx=("$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log")
  "${ngx[@]}" -t -q >>"$dir/nginx/access.log" 2>>"$dir/nginx/error.log" || { tail -5 "$dir/nginx/error.log" >&2; die "nginx -t failed"; }
  (exec setsid "${ngx[@]}" -g 'daemon off;' >>"$dir/nginx/access.log" 2>>"$dir/nginx/error.log" </dev/null) &
  echo $! >"$dir/nginx/pid"
  local port deadline=$((SECONDS + 30))
  port=$(cat "$dir/nginx/port")
  until [ "$(http_code "http://127.0.0.1:$port/nginx-health")" = 200 ]; do
    alive "$(cat "$dir/nginx/pid")" || { tail -5 "$dir/nginx/error.log" >&2; die "nginx exited"; }
    [ $SECONDS -lt "$deadline" ] || die "nginx does not answer on $port"
    sleep 0.1
  done
}

start_replica() {
  local pgport rport delay r="$dir/replica"
  pgport=$(cat "$dir/primary_port"); rport=$(free_port); delay=${RESUMATE_CLUSTER_REPLICA_DELAY:-}
  mkdir -p "$r"
  [ "$(id -u)" -ne 0 ] || { chown postgres:postgres "$r"; chmod 755 "$r"; }
  as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$pgport" -U postgres -D "$r/data" -R -X stream \
    -C -S resumate_replica -c fast >"$r/basebackup.log" 2>&1 || { cat "$r/basebackup.log" >&2; die "pg_basebackup failed"; }
  echo "$rport" >"$r/port"
  echo "$delay" >"$r/delay"
  {
    echo "port = $rport"
    echo "unix_socket_directories = '$r'"
    echo "listen_addresses = '127.0.0.1'"
    echo "hot_standby = on"
    echo "hot_standby_feedback = on"  # as the Docker replicas: no reads cancelled by the primary's vacuum
    [ -z "$delay" ] || echo "recovery_min_apply_delay = '$delay'"
  } >>"$r/data/postgresql.conf"
  as_pg "$PGBIN/pg_ctl" -D "$r/data" -l "$r/replica.log" -w -t 60 start >/dev/null ||
    { tail -20 "$r/replica.log" >&2; die "the replica did not start"; }
  echo "postgres://postgres@127.0.0.1:$rport/resumate" >"$dir/replica_url"
  local deadline=$((SECONDS + 60))
  until [ "$(psql -X -A -t -d "$(cat "$dir/replica_url")" -c "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]; do
    [ $SECONDS -lt "$deadline" ] || { tail -20 "$r/replica.log" >&2; die "the replica does not stream from the primary"; }
    sleep 0.2
  done
}

cmd_up() {
  if [ -f "$dir/cluster.env" ]; then
    if cmd_status >/dev/null; then
      say "already up ($dir)"
      kv CLUSTER_BASE_URL
      return 0
    fi
    cmd_status >&2 || true
    die "$dir holds a cluster that is not all up: start N, or down first"
  fi
  if [ -e "$dir" ]; then die "$dir exists and is not a cluster's state directory"; fi
  [[ "$dir" =~ ^[A-Za-z0-9_./+-]+$ ]] || die "RESUMATE_CLUSTER_DIR: only letters, digits and ._/+- please ($dir)"
  [ -x "$BIN" ] || die "no server binary at $BIN (make build, or set RESUMATE_BIN)"
  "$root/scripts/install-deps.sh" cluster
  passed_env >/dev/null  # refuse a bad RESUMATE_CLUSTER_PASS before anything starts
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chmod 755 "$dir"  # the postgres user (as root) goes through it
  trap 'if [ -z "${up_done:-}" ]; then echo "local-cluster: up failed; stopping what started" >&2; cmd_down >&2 || true; fi' EXIT
  passed_env >"$dir/instance.env"
  if [ -n "${SECRET_KEY:-}" ]; then printf '%s\n' "$SECRET_KEY" >"$dir/secret_key"
  else python3 -c 'import secrets; print("cluster-" + secrets.token_hex(24))' >"$dir/secret_key"; fi
  chmod 600 "$dir/secret_key" "$dir/instance.env"
  free_port >"$dir/nginx.port.tmp"
  for n in "${INSTANCES[@]}"; do mkdir -p "$dir/app$n/data"; free_port >"$dir/app$n/port"; : >"$dir/app$n/env"; done
  mkdir -p "$dir/nginx"; mv "$dir/nginx.port.tmp" "$dir/nginx/port"
  write_env

  say "PostgreSQL primary and Redis (scripts/test-services.sh)"
  "$root/scripts/test-services.sh" start "$dir/services" >/dev/null
  local pgport redisport
  PGBIN=$(sed -n 's/^TEST_PG_BIN=//p' "$dir/services/env")
  pgport=$(sed -n 's/^TEST_PG_PORT=//p' "$dir/services/env")
  redisport=$(sed -n 's/^TEST_REDIS_PORT=//p' "$dir/services/env")
  echo "$BIN" >"$dir/bin"
  echo "$pgport" >"$dir/primary_port"; echo "$redisport" >"$dir/redis_port"
  echo "redis://127.0.0.1:$redisport/1" >"$dir/redis_url"
  psql -X -q -d "postgres://postgres@127.0.0.1:$pgport/postgres" -c 'CREATE DATABASE resumate' >/dev/null
  echo "postgres://postgres@127.0.0.1:$pgport/resumate" >"$dir/primary_url"
  write_env

  say "PostgreSQL replica (pg_basebackup, slot resumate_replica${RESUMATE_CLUSTER_REPLICA_DELAY:+, apply delay $RESUMATE_CLUSTER_REPLICA_DELAY})"
  start_replica
  write_env

  say "instances ${INSTANCES[*]} ($BIN)"
  for n in "${INSTANCES[@]}"; do launch_instance "$n"; done
  for n in "${INSTANCES[@]}"; do wait_ready "$n"; done
  say "nginx"
  start_nginx
  write_env
  up_done=1
  cmd_status
  kv CLUSTER_BASE_URL
}

cmd_status() {
  [ -f "$dir/cluster.env" ] || { say "not running ($dir)"; return 1; }
  local all=0 n port pid ok
  line() {  # name ok port pid note
    printf '%-17s %-5s port %-6s pid %-8s %s\n' "$1" "$([ "$2" = 1 ] && echo up || echo down)" "${3:--}" "${4:--}" "${5:-}"
    [ "$2" = 1 ] || all=1
  }
  port=$(readf "$dir/nginx/port"); pid=$(readf "$dir/nginx/pid"); ok=0
  alive "$pid" nginx && [ "$(http_code "http://127.0.0.1:$port/nginx-health")" = 200 ] && ok=1
  line nginx "$ok" "$port" "$pid" "http://127.0.0.1:$port"
  for n in "${INSTANCES[@]}"; do
    port=$(readf "$dir/app$n/port"); pid=$(readf "$dir/app$n/pid"); ok=0
    alive "$pid" "$(readf "$dir/app$n/bin")" && [ "$(http_code "http://127.0.0.1:$port/readyz")" = 200 ] && ok=1
    line "app$n" "$ok" "$port" "$pid" "/readyz"
  done
  port=$(readf "$dir/primary_port"); pid=$(pg_pid "$dir/services/pg"); ok=0
  alive "$pid" postgres && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d resumate && ok=1
  line postgres-primary "$ok" "$port" "$pid"
  port=$(readf "$dir/replica/port"); pid=$(pg_pid "$dir/replica/data"); ok=0
  alive "$pid" postgres && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d resumate && ok=1
  line postgres-replica "$ok" "$port" "$pid" "apply delay $(readf "$dir/replica/delay" | grep . || echo none)"
  port=$(readf "$dir/redis_port"); pid=$(readf "$dir/services/redis.pid"); ok=0
  alive "$pid" redis-server && [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && ok=1
  line redis "$ok" "$port" "$pid"
  return $all
}

cmd_down() {
  [ -d "$dir" ] || { say "not running ($dir)"; return 0; }
  local n pid left="" pids=()
  # The instances all at once, then each waited for.
  for n in "${INSTANCES[@]}"; do
    pid=$(readf "$dir/app$n/pid")
    if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$n"); fi
  done
  for n in "${pids[@]}"; do stop_instance "$n" >/dev/null; done
  pid=$(readf "$dir/nginx/pid")
  if alive "$pid" nginx; then
    kill -QUIT "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" 5 || true; }
  fi
  if [ -f "$dir/replica/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$dir/replica/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  local redis_pid primary_pid
  redis_pid=$(readf "$dir/services/redis.pid"); primary_pid=$(pg_pid "$dir/services/pg")
  [ ! -d "$dir/services" ] || "$root/scripts/test-services.sh" stop "$dir/services" >/dev/null 2>&1 || true
  wait_gone "$redis_pid" 10 || true
  wait_gone "$primary_pid" 10 || true
  # Nothing may be left behind: a process still running is named (and the directory kept).
  for pid in $(for n in "${INSTANCES[@]}"; do readf "$dir/app$n/pid"; done) \
    "$(readf "$dir/nginx/pid")" "$redis_pid" "$primary_pid" "$(pg_pid "$dir/replica/data")"; do
    if alive "$pid"; then left="$left $pid"; fi
  done
  [ -z "$left" ] || die "still running after down:$left (state kept in $dir)"
  rm -rf "$dir"
  say "down"
}

cmd="${1:-}"
[ $# -eq 0 ] || shift
case "$cmd" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  restart | start | stop | kill)
    [ $# -ge 1 ] || die "usage: $0 $cmd N|all"
    [ -f "$dir/cluster.env" ] || die "not running ($dir)"
    n=$1; shift
    instance_ok "$n"
    if [ "$n" = all ]; then targets=("${INSTANCES[@]}"); else targets=("$n"); fi
    case "$cmd" in stop | kill) [ $# -eq 0 ] || die "$cmd takes no VAR=value" ;; esac
    for t in "${targets[@]}"; do
      set_instance_env "$t" "$@"
      case "$cmd" in
        restart)
          stop_instance "$t"; start_instance "$t"
          # nginx takes a restarted instance back up to 2 s after it refused a connection
          # (fail_timeout=1s in whole seconds): the next one stops only after that.
          if [ "$t" != "${targets[-1]}" ]; then sleep 2.5; fi ;;
        start) start_instance "$t" ;;
        stop) stop_instance "$t"; say "app$t stopped" ;;
        kill)
          pid=$(readf "$dir/app$t/pid")
          alive "$pid" "$(readf "$dir/app$t/bin")" || die "app$t is not running"
          kill -KILL "$pid"; wait_gone "$pid" 10 || true; say "app$t (pid $pid) killed" ;;
      esac
    done
    write_env ;;
  cli)
    [ -f "$dir/cluster.env" ] || die "not running ($dir)"
    mkdir -p "$dir/cli"
    mapfile -t envs < <(base_env)
    cd "$dir/cli"
    exec env -i "${envs[@]}" HOME="$dir/cli" RESUMATE_DATA_DIR="$dir/cli" "$BIN" "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2 ;;
esac
