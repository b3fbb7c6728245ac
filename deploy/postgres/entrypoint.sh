#!/bin/sh
# The primary (PG_ROLE=primary): initdb on first start, with streaming replication and
# pg_stat_statements, the application's role and database, and a replication role.
# A replica (PG_ROLE=replica): pg_basebackup from PRIMARY_HOST on first start (a physical
# replication slot of its own), then a hot standby that follows the primary.
set -eu
: "${PG_ROLE:=primary}" "${DB_NAME:?}" "${DB_USER:?}" "${DB_PASSWORD:?}"
: "${REPLICATION_PASSWORD:?}" "${PRIMARY_HOST:=postgres-primary}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ "$PG_ROLE" = primary ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$DB_PASSWORD" >"$pwfile"
    initdb --username=postgres --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --pwfile="$pwfile" >/dev/null
    rm -f "$pwfile"
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
hot_standby_feedback = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
max_connections = 200
CONF
    cat >>"$PGDATA/pg_hba.conf" <<HBA
host replication replicator all scram-sha-256
host all all all scram-sha-256
HBA
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres \
      -v db="$DB_NAME" -v user="$DB_USER" -v pw="$DB_PASSWORD" -v rpw="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"user";
CREATE ROLE replicator REPLICATION LOGIN PASSWORD :'rpw';
\connect :"db"
CREATE EXTENSION pg_stat_statements;
GRANT pg_read_all_stats TO :"user";
SQL
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  else
    slot=$(hostname | tr -c 'a-zA-Z0-9_\n' '_')
    until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U replicator \
        -D "$PGDATA" -R -X stream -C -S "replica_$slot" >/dev/null 2>&1; do
      echo "waiting for the primary at $PRIMARY_HOST"
      rm -rf "${PGDATA:?}"/*
      # A try that failed after creating its slot would make every later one fail on it.
      PGPASSWORD="$REPLICATION_PASSWORD" pg_receivewal -h "$PRIMARY_HOST" -U replicator \
        --drop-slot --slot="replica_$slot" >/dev/null 2>&1 || true
      sleep 1
    done
    chmod 700 "$PGDATA"
  fi
fi
exec postgres -D "$PGDATA"
