#!/usr/bin/env bash
# ResuMate benchmark: wrk against resumate and, side by side in the same run, against a minimal
# Boost.Beast hello-world server built with the same flags and run the same way.
# Usage: bench/run.sh [BUILD_DIR]   (make bench does the build first)
# Env: BENCH_DURATION (default 10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2), RESUMATE_THREADS (2)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
DURATION="${BENCH_DURATION:-10s}"
CONNS="${BENCH_CONNECTIONS:-64}"
WRK_THREADS="${BENCH_THREADS:-2}"
SERVER_THREADS="${RESUMATE_THREADS:-2}"

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required (make bench installs wrk)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_port() {
  for _ in $(seq 1 200); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "bench: server on port $1 did not start" >&2; exit 1
}

# --- the baseline ---
hello_port=$(free_port)
"./$BUILD_DIR/bench/hello_beast" "$hello_port" "$SERVER_THREADS" &
pids+=($!)
wait_port "$hello_port"

# --- resumate on its embedded defaults, throttling off, access log to a file ---
rm_port=$(free_port)
env -i PATH="$PATH" HOME="$HOME" RESUMATE_DATA_DIR="$work/data" SECRET_KEY="bench-secret-key-bench-secret-key-0123456789" \
  HOST=127.0.0.1 PORT="$rm_port" RESUMATE_THREADS="$SERVER_THREADS" RESUMATE_THROTTLE=off \
  "./$BUILD_DIR/resumate" serve >"$work/resumate.log" 2>&1 &
pids+=($!)
wait_port "$rm_port"
base="http://127.0.0.1:$rm_port"

# A user with 20 job applications.
curl -sf -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench_user","email":"bench@example.com","password":"Bench!Passw0rd-42","password2":"Bench!Passw0rd-42"}' \
  "$base/api/auth/register/"
token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"bench_user","password":"Bench!Passw0rd-42"}' \
  "$base/api/auth/token/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
# Access tokens live 5 minutes by default: long enough for this run.
for i in $(seq 1 20); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d "{\"job_title\":\"Engineer $i\",\"company_name\":\"Company $i\",\"status\":\"Applied\",\"date_applied\":\"2025-01-15\"}" \
    "$base/api/job-applications/"
done
count=$(curl -sf -H "Authorization: Bearer $token" "$base/api/job-applications/" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$count" = 20 ] || { echo "bench: expected 20 applications, got $count" >&2; exit 1; }
curl -sf -o /dev/null "$base/api/ai/models/"   # warm the cache: the scenario measures HITs

run_wrk() {  # name url [header]
  local name=$1 url=$2 header=${3:-}
  local out
  if [ -n "$header" ]; then
    out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency -H "$header" "$url")
  else
    out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "$url")
  fi
  local file="$work/$(echo "$name" | tr -c 'A-Za-z0-9' '_').wrk"
  echo "$out" > "$file"
  python3 - "$name" "$file" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % p, text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
errors = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if m: errors += int(m.group(1))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
if m: errors += sum(int(x) for x in m.groups())
print(f"{name:<44} {rps:>12,.0f} {lat(50):>9.2f} {lat(99):>9.2f} {errors:>7}")
PY
}

echo
echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION, server threads: $SERVER_THREADS, $(nproc) cores"
printf '%-44s %12s %9s %9s %7s\n' "scenario" "requests/s" "p50 ms" "p99 ms" "errors"
run_wrk "hello-world (Boost.Beast baseline)" "http://127.0.0.1:$hello_port/"
run_wrk "GET /api/ai/models/ (cached)" "$base/api/ai/models/"
run_wrk "GET /api/job-applications/ (20 rows, JWT)" "$base/api/job-applications/" "Authorization: Bearer $token"

python3 - "$work" <<'PY'
import re, sys, os
d = sys.argv[1]
def rps(n):
    slug = re.sub(r"[^A-Za-z0-9]", "_", n) + "_"  # tr -c also maps the trailing newline
    return float(re.search(r"Requests/sec:\s+([\d.]+)", open(os.path.join(d, slug + ".wrk")).read()).group(1))
h = rps("hello-world (Boost.Beast baseline)")
print()
print(f"cached models endpoint / hello-world: {rps('GET /api/ai/models/ (cached)') / h:.2f}")
print(f"authenticated list / hello-world:     {rps('GET /api/job-applications/ (20 rows, JWT)') / h:.2f}")
PY
