#!/usr/bin/env bash
# Runs a command with throwaway PostgreSQL and Redis servers on loopback, started for it and
# stopped afterwards: TEST_DATABASE_URL, TEST_REDIS_URL (and TEST_PG_*) are exported to it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/resumate-services.XXXXXX)
cleanup() { "$here/scripts/test-services.sh" stop "$dir" || true; rm -rf "$dir"; }
trap cleanup EXIT
"$here/scripts/test-services.sh" start "$dir" >/dev/null
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
"$@"
