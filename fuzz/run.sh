#!/usr/bin/env bash
# Runs libFuzzer targets one after the other (never two at once: they share the machine).
# Usage: fuzz/run.sh BUILD_DIR SECONDS TARGET...
#   SECONDS > 0: fuzz each target that long; new inputs go to BUILD_DIR/corpus/<target>, crashes
#                to BUILD_DIR/artifacts/. Exit status 1 when a target crashed.
#   SECONDS = 0: run each target over its seed corpus (fuzz/corpus/<target>) once, no fuzzing.
set -uo pipefail
cd "$(dirname "$0")/.."
build="$1"
seconds="$2"
shift 2
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for target in "$@"; do
  binary="$build/fuzz/$target"
  seeds="fuzz/corpus/$target"
  log="$build/$target.log"
  if [ "$seconds" -eq 0 ]; then
    echo "== $target: the seed corpus"
    if ! nice -n 10 "$binary" -runs=0 -dict=fuzz/resumate.dict "$seeds" >"$log" 2>&1; then
      status=1
      tail -n 60 "$log"
    fi
    grep -E '^(INFO: seed corpus|#[0-9]+ +(INITED|DONE))' "$log" | tail -n 2
    continue
  fi
  work="$build/corpus/$target"
  mkdir -p "$work" "$build/artifacts"
  echo "== $target: ${seconds}s"
  if ! nice -n 10 "$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -dict=fuzz/resumate.dict -artifact_prefix="$build/artifacts/$target-" "$work" "$seeds" \
      >"$log" 2>&1; then
    status=1
    tail -n 80 "$log"
  fi
  # The last status line (execs, cov, ft, corpus) and the final stats.
  grep -E '^#[0-9]+' "$log" | tail -n 1
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
done
exit $status
