#!/usr/bin/env bash
# ResuMate benchmark: wrk against resumate on both stacks (SQLite + in-process cache, and
# PostgreSQL + Redis on loopback) and, side by side in the same run, against a minimal
# Boost.Beast hello-world server built with the same flags and run the same way.
# Usage: bench/run.sh [BUILD_DIR]   (`make bench` builds first)
# BENCH_COMPARE=/path/to/other/resumate: that binary ("base") and this build's ("new") run side
# by side, each on its own database (and Redis database) on the same services, and a last table
# gives new/base for each scenario (`make bench BENCH_COMPARE=…`). With BENCH_ROUNDS=N (default
# 1) each scenario runs N times per build, the two builds taking turns run by run (the first
# alternating), and each ratio of the summary is the median of the N ratios of runs made one
# after the other: on 2 shared cores one run of a scenario varies by 10-25 % from the next, but
# two runs seconds apart see the same machine.
# Env: BENCH_DURATION (10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2), RESUMATE_THREADS (2),
#      BENCH_STACKS ("sqlite postgres"), BENCH_AI_INFLIGHT (300 generations against a 2 s provider;
#      0 skips that scenario), BENCH_FEATURE_REPETITIONS (5: runs of the in-process export,
#      match and tailoring timings, bench/features_bench.cpp, reported as mean/median/stddev)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
DURATION="${BENCH_DURATION:-10s}"
CONNS="${BENCH_CONNECTIONS:-64}"
WRK_THREADS="${BENCH_THREADS:-2}"
SERVER_THREADS="${RESUMATE_THREADS:-2}"
STACKS="${BENCH_STACKS:-sqlite postgres}"
AI_INFLIGHT="${BENCH_AI_INFLIGHT:-300}"
COMPARE="${BENCH_COMPARE:-}"
ROUNDS="${BENCH_ROUNDS:-1}"
if [ -n "$COMPARE" ] && [ ! -x "$COMPARE" ]; then
  echo "bench: BENCH_COMPARE=$COMPARE is not an executable" >&2; exit 2
fi

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required (make bench installs it)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/resumate-bench.XXXXXX)
pids=()
services=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$services" ]; then scripts/test-services.sh stop "$services" >/dev/null 2>&1 || true; rm -rf "$services"; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench: server on port $1 did not start" >&2; exit 1
}

declare -A RPS
results="$work/results.txt"
: >"$results"

# Prints one table row from a wrk output file (and keeps it for the summary): req/s, latency,
# errors, and the server's own CPU time per request (user + system, from /proc, over the run):
# a figure that other processes' load on the shared cores disturbs far less than req/s.
report() {  # label file cpu-seconds [ok: count only 2xx answers]
  python3 - "$1" "$2" "$3" "${4:-}" <<'PY' | tee -a "$results"
import re, sys
label, path, cpu, ok_only = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4] == "ok"
text = open(path).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", text)
requests = int(m.group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if ok_only:
    # What the scenario is about: the answers that did the work (a login verified), not the
    # quick refusals (503 from the hashing gate) that fill the rest of the run.
    seconds = float(m.group(2)) * {"ms": 1e-3, "s": 1, "m": 60}[m.group(3)]
    requests -= int(non2xx.group(1)) if non2xx else 0
    rps = requests / seconds
cpu_us = cpu * 1e6 / max(requests, 1)
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\b" % p, text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
errors = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if m: errors += int(m.group(1))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
if m: errors += sum(int(x) for x in m.groups())
print(f"{label:<64} {rps:>10,.0f} {lat(50):>8.2f} {lat(99):>8.2f} {errors:>7} {cpu_us:>9.1f}")
PY
}

cpu_seconds() {  # pid → user + system CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

run_wrk() {  # label url [extra wrk arguments...]; REPORT=ok counts only 2xx answers
  local label=$1 url=$2; shift 2
  local file="$work/$(echo "$label" | tr -c 'A-Za-z0-9' '_').wrk"
  local server=${CUR_PID:-${pids[-1]}} before after
  before=$(cpu_seconds "$server")
  wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --timeout 30s --latency "$@" "$url" >"$file"
  after=$(cpu_seconds "$server")
  report "$label" "$file" "$(python3 -c "print($after - $before)")" "${REPORT:-}"
}

echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION; server threads: $SERVER_THREADS; $(nproc) cores shared by server, wrk and databases"
printf '%-64s %10s %8s %8s %7s %9s\n' "scenario" "req/s" "p50 ms" "p99 ms" "errors" "CPU µs/req"

# --- the baseline ---
hello_port=$(free_port)
"./$BUILD_DIR/bench/hello_beast" "$hello_port" "$SERVER_THREADS" &
pids+=($!)
wait_port "$hello_port"
run_wrk "hello-world (Boost.Beast baseline)" "http://127.0.0.1:$hello_port/"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'

# The stand-in AI provider of the in-flight scenario: OpenAI wire, every answer after 2 s.
provider_port=$(free_port)
python3 bench/ai_inflight.py provider "$provider_port" 2 &
pids+=($!)

login() {  # base username → access token (registers the user first)
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"email\":\"$2@example.com\",\"password\":\"Bench!Passw0rd-42\",\"password2\":\"Bench!Passw0rd-42\"}" \
    "$1/api/auth/register/"
  access_token "$1" "$2"
}
access_token() {  # base username → a new access token
  curl -s -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"Bench!Passw0rd-42\"}" \
    "$1/api/auth/token/" | python3 -c 'import json,sys; t=sys.stdin.read(); print(json.loads(t)["access"]) if t.startswith("{\"refresh") else sys.exit("bench: login failed: " + t)'
}

# The builds measured: this one, or with BENCH_COMPARE the other one ("base") and this one
# ("new"), each as tag:binary.
if [ -n "$COMPARE" ]; then
  BUILDS=("base:$COMPARE" "new:./$BUILD_DIR/resumate")
else
  BUILDS=(":./$BUILD_DIR/resumate")
fi
declare -A URL PID TOKEN

# Starts one server per build for a phase of a stack, side by side (only the one under wrk
# works at any moment); stack_env (set by the stack) gives each build's database settings.
start_servers() {  # throttle (then each build's TOKEN is a fresh access token: they live 5 minutes)
  local throttle=$1 b tag bin port
  for b in "${BUILDS[@]}"; do
    tag=${b%%:*} bin=${b#*:}
    port=$(free_port)
    # (Every client here is 127.0.0.1: RESUMATE_MAX_CONNECTIONS_PER_IP=0 lifts the per-address cap.)
    # shellcheck disable=SC2046
    env -i PATH="$PATH" HOME="$work" RESUMATE_DATA_DIR="$work/data-$tag-$STACK" \
      OPENROUTER_API_KEY=bench-key OPENROUTER_BASE_URL="http://127.0.0.1:$provider_port/api/v1" \
      SECRET_KEY="bench-secret-key-bench-secret-key-0123456789" HOST=127.0.0.1 PORT="$port" \
      RESUMATE_THREADS="$SERVER_THREADS" RESUMATE_THROTTLE="$throttle" \
      RESUMATE_MAX_CONNECTIONS_PER_IP=0 $(stack_env "$tag") \
      "$bin" serve >>"$work/resumate-$tag-$STACK.log" 2>&1 &
    pids+=($!)
    PID[$tag]=$!
    wait_port "$port"
    URL[$tag]="http://127.0.0.1:$port"
    if [ -n "${TOKEN[$tag]:-}" ]; then TOKEN[$tag]=$(access_token "${URL[$tag]}" bench_user); fi
  done
}
stop_servers() {
  local b tag
  for b in "${BUILDS[@]}"; do
    tag=${b%%:*}
    kill "${PID[$tag]}"; wait "${PID[$tag]}" 2>/dev/null || true
  done
}

# Runs a scenario ROUNDS times per build, the builds taking turns (which goes first alternates
# from round to round), so that each pair of runs sees the machine in the same state: on 2
# shared cores the load of other processes changes from one minute to the next, and a ratio of
# two runs seconds apart varies far less than one of runs minutes apart.
measure() {  # label scenario-function (called as: function tag label)
  local label=$1 fn=$2 r b order
  for r in $(seq 1 "$ROUNDS"); do
    order=("${BUILDS[@]}")
    if [ ${#BUILDS[@]} = 2 ] && [ $((r % 2)) = 0 ]; then order=("${BUILDS[1]}" "${BUILDS[0]}"); fi
    for b in "${order[@]}"; do
      local tag=${b%%:*}
      "$fn" "$tag" "[${tag:+$tag:}$STACK] $label"
    done
  done
}
s_models() { CUR_PID=${PID[$1]} run_wrk "$2" "${URL[$1]}/api/ai/models/"; }
s_list() {
  CUR_PID=${PID[$1]} run_wrk "$2" "${URL[$1]}/api/job-applications/" -H "Authorization: Bearer ${TOKEN[$1]}"
}
# Each run of the POST scenario as a new user: a create checks the user's row count (the storage
# quota), so a user who already has the rows of earlier runs makes each insert slower — and the
# faster build, having inserted more, would be measured on a heavier table.
POSTS=0
s_post() {
  POSTS=$((POSTS + 1))
  BENCH_TOKEN="$(login "${URL[$1]}" "bench_post_$POSTS")" \
    BENCH_BODY='{"job_title":"Bench","company_name":"Bench Inc.","status":"Applied"}' \
    CUR_PID=${PID[$1]} run_wrk "$2" "${URL[$1]}/api/job-applications/" -s bench/post_json.lua
}
# 64 connections logging in at once: the hashing gate verifies as many as the CPU pool takes
# and answers the rest 503 at once. The figure is the verified logins per second (200s), and the
# CPU per verified login: counting the 503s too measured how fast the overflow is refused, and
# ranked a build lower for verifying more logins.
s_login() {
  BENCH_TOKEN="" BENCH_BODY='{"username":"bench_user","password":"Bench!Passw0rd-42"}' \
    REPORT=ok CUR_PID=${PID[$1]} run_wrk "$2" "${URL[$1]}/api/auth/token/" -s bench/post_json.lua
}

# The data every build's server starts the scenarios with: a user, 10 resumes, 20 applications.
seed() {  # tag
  local base=${URL[$1]} token i count
  token=$(login "$base" bench_user)
  TOKEN[$1]=$token
  for i in $(seq 1 10); do  # what GET /api/resumes/ reads in the in-flight scenario
    curl -sf -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
      -d "{\"title\":\"Resume $i\",\"content\":\"# Bench $i\\n\\nSkills: C++, PostgreSQL, Redis.\"}" \
      "$base/api/resumes/"
  done
  for i in $(seq 1 20); do
    curl -sf -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
      -d "{\"job_title\":\"Engineer $i\",\"company_name\":\"Company $i\",\"date_applied\":\"2025-01-15\"}" \
      "$base/api/job-applications/"
  done
  count=$(curl -sf -H "Authorization: Bearer $token" "$base/api/job-applications/" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  [ "$count" = 20 ] || { echo "bench: expected 20 applications, got $count" >&2; exit 1; }
  curl -sf -o /dev/null "$base/api/ai/models/"  # warm the cache: the scenario measures HITs
}

bench_stack() {
  local b
  TOKEN=()  # the users of this stack's databases do not exist yet
  # Throttling off for the main scenarios (tests and benchmarks run without it); its cost is
  # measured next, on the same data.
  start_servers off
  for b in "${BUILDS[@]}"; do seed "${b%%:*}"; done
  measure "GET /api/ai/models/ (cached)" s_models
  measure "GET /api/job-applications/ (20 rows, JWT)" s_list
  stop_servers

  # The throttle's cost, on the same 20 rows (before the POST scenario adds thousands): the
  # list with every request counted (anon and user scopes, rates never reached), then with the
  # default rates, where all but the first 1,200 answers are 429 (counted as errors): how
  # cheaply a flood from one user is refused. Every wrk connection is the same user, so all of
  # them contend for the same counters.
  start_servers "anon=1000000000/day,user=1000000000/day"
  measure "GET /api/job-applications/ (throttle counting)" s_list
  stop_servers
  start_servers ""
  measure "GET /api/job-applications/ (default throttle: 429s)" s_list
  stop_servers

  start_servers off
  measure "POST /api/job-applications/" s_post
  measure "POST /api/auth/token/ (Argon2id verify: logins/s)" s_login
  if [ "$AI_INFLIGHT" != 0 ]; then
    for b in "${BUILDS[@]}"; do
      local tag=${b%%:*}
      echo "[${tag:+$tag:}$STACK] AI generations in flight:"
      python3 bench/ai_inflight.py run "${URL[$tag]}" "${TOKEN[$tag]}" "$(login "${URL[$tag]}" bench_ai)" "$AI_INFLIGHT" "$provider_port" | sed 's/^/    /' || true
    done
  fi
  stop_servers
}

for STACK in $STACKS; do
  case "$STACK" in
    sqlite)
      stack_env() { :; }
      bench_stack
      ;;
    postgres)
      services=$(mktemp -d /tmp/resumate-bench-services.XXXXXX)
      scripts/test-services.sh start "$services" >/dev/null
      # shellcheck disable=SC1091
      . "$services/env"
      # Each build its own database and Redis database: the second starts as empty as the first.
      declare -A REDIS_DB=([this]=2 [base]=3 [new]=4)
      for b in "${BUILDS[@]}"; do
        b=${b%%:*}
        psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE bench${b:-this}" >/dev/null
      done
      stack_env() {
        echo "DATABASE_URL=${TEST_DATABASE_URL%/*}/bench${1:-this} REDIS_URL=${TEST_REDIS_URL%/*}/${REDIS_DB[${1:-this}]}"
      }
      bench_stack
      ;;
    *) echo "bench: unknown stack $STACK" >&2; exit 2 ;;
  esac
done

# --- in process: export, match score and tailoring of a typical one-page resume ---
if [ -x "$BUILD_DIR/bench/features_bench" ]; then
  echo
  "$BUILD_DIR/bench/features_bench" --benchmark_repetitions="${BENCH_FEATURE_REPETITIONS:-5}" \
    --benchmark_report_aggregates_only=true
fi

python3 - "$results" <<'PY'
import re, statistics, sys
runs, cpu_runs = {}, {}
for line in open(sys.argv[1]):
    label, rps, _p50, _p99, _errors, cpu = line.rsplit(None, 5)
    runs.setdefault(label.strip(), []).append(float(rps.replace(",", "")))
    cpu_runs.setdefault(label.strip(), []).append(float(cpu))
# With BENCH_ROUNDS > 1, each figure below is the median of its runs.
rows = {label: statistics.median(v) for label, v in runs.items()}
cpu_rows = {label: statistics.median(v) for label, v in cpu_runs.items()}
rounds = max(len(v) for v in runs.values())
base = rows.get("hello-world (Boost.Beast baseline)")
print()
for label, rps in rows.items():
    if "models" in label and base:
        print(f"{label}: {rps / base:.2f} x hello-world")
# The cached GET on PostgreSQL + Redis against the embedded stack, measured in this same run:
# with the near cache, a hit needs no Redis round trip.
for build in ("", "base:", "new:"):
    pg = rows.get(f"[{build}postgres] GET /api/ai/models/ (cached)")
    embedded = rows.get(f"[{build}sqlite] GET /api/ai/models/ (cached)")
    if pg and embedded:
        print(f"[{build}postgres] cached GET keeps {pg / embedded:.2f} x the embedded stack's req/s")
for stack in ("sqlite", "postgres", "base:sqlite", "new:sqlite", "base:postgres", "new:postgres"):
    off = rows.get(f"[{stack}] GET /api/job-applications/ (20 rows, JWT)")
    on = rows.get(f"[{stack}] GET /api/job-applications/ (throttle counting)")
    if off and on:
        print(f"[{stack}] throttle counting keeps {on / off:.2f} x the unthrottled req/s")
pairs = sorted({label.replace("[base:", "[").replace("[new:", "[")
                for label in runs if label.startswith(("[base:", "[new:"))})
if pairs:
    print()
    print(f"{rounds} runs per build and scenario, the builds taking turns; each ratio is the median")
    print("of the ratios of the runs made one after the other (the figures: medians of the runs)")
    # Two ratios per scenario: throughput (new/base, above 1 is faster) and the server's CPU
    # time per request (base/new, above 1 is cheaper).
    print(f"{'scenario':<64} {'base req/s':>11} {'new req/s':>11} {'new/base':>9} "
          f"{'CPU/req base/new':>17}")
    for label in pairs:
        stack, rest = label[1:].split("]", 1)
        kb, kn = f"[base:{stack}]{rest}", f"[new:{stack}]{rest}"
        if kb not in runs or kn not in runs:
            continue
        ratios = [n / b for b, n in zip(runs[kb], runs[kn]) if b > 0]
        cpu = [b / n for b, n in zip(cpu_runs[kb], cpu_runs[kn]) if n > 0]
        cpu_text = f"{statistics.median(cpu):>16.2f}x" if cpu else f"{'-':>17}"
        print(f"{label:<64} {rows[kb]:>11,.0f} {rows[kn]:>11,.0f} "
              f"{statistics.median(ratios):>8.2f}x {cpu_text}")
PY
