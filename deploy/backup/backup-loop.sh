#!/bin/sh
# Backs the database up every BACKUP_INTERVAL_SECONDS (default: daily) into /backups, as
# resumate-YYYYmmddTHHMMSSZ.dump (pg_dump custom format, through `resumate backup`), and keeps
# the newest BACKUP_KEEP (default 7). Restore one with
#   docker-compose run --rm backup resumate restore /backups/<file> --force
set -eu
# With arguments it runs them instead (docker-compose run --rm backup resumate restore …).
if [ $# -gt 0 ]; then exec "$@"; fi
interval=${BACKUP_INTERVAL_SECONDS:-86400}
keep=${BACKUP_KEEP:-7}
trap 'exit 0' TERM INT
while :; do
  name="/backups/resumate-$(date -u +%Y%m%dT%H%M%SZ).dump"
  if resumate backup "$name"; then
    echo "backup: wrote $name"
    # Newest first; everything after the first $keep goes.
    ls -1t /backups/resumate-*.dump 2>/dev/null | tail -n +"$((keep + 1))" | while read -r old; do
      rm -f "$old" && echo "backup: removed $old"
    done
  else
    echo "backup: FAILED, keeping the previous backups" >&2
  fi
  # sleep in the background so that SIGTERM ends the wait at once.
  sleep "$interval" & wait $!
done
