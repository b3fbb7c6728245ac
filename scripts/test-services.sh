#!/usr/bin/env bash
# Starts (or stops) throwaway PostgreSQL and Redis servers on loopback for the test suite.
#   scripts/test-services.sh start DIR   → writes DIR/env with TEST_DATABASE_URL, TEST_REDIS_URL, …
#   scripts/test-services.sh stop DIR
# Each gets its own data directory under DIR and a free port. As root, PostgreSQL runs as the
# `postgres` system user (it refuses to run as root).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 755 "$dir"
  pgport=$(free_port)
  as_pg "$PGBIN/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
  cat >>"$dir/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pgport
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
wal_level = replica
max_wal_senders = 4
CONF
  echo "host replication all 127.0.0.1/32 trust" >>"$dir/pg/pg_hba.conf"
  as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 30 start >/dev/null
  redisport=$(free_port)
  redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  for _ in $(seq 1 100); do redis-cli -p "$redisport" ping >/dev/null 2>&1 && break; sleep 0.05; done
  cat >"$dir/env" <<ENV
TEST_PG_BIN=$PGBIN
TEST_PG_DATA=$dir/pg
TEST_PG_PORT=$pgport
TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$pgport/postgres
TEST_REDIS_PORT=$redisport
TEST_REDIS_URL=redis://127.0.0.1:$redisport/1
ENV
  cat "$dir/env"
  ;;
stop)
  [ -d "$dir" ] || exit 0
  if [ -f "$dir/pg/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
