#!/usr/bin/env bash
# clang-format (Debian's clang-format 14, the repository's .clang-format) over the tracked C++
# files of src/, tests/, bench/ and fuzz/.
#   scripts/format.sh fix     reformat them in place (`make format`)
#   scripts/format.sh check   list the files clang-format would change and fail if there are any
#                             (a CTest test of `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-check}"
if command -v clang-format-14 >/dev/null; then
  clang_format=clang-format-14
elif command -v clang-format >/dev/null; then
  clang_format=clang-format
else
  echo "clang-format is not installed: scripts/install-deps.sh test" >&2
  exit 2
fi

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' \
    'bench/*.cpp' 'bench/*.hpp' 'fuzz/*.cpp' 'fuzz/*.hpp')
else  # an exported tree without .git
  mapfile -t files < <(find src tests bench fuzz -name '*.cpp' -o -name '*.hpp' | sort)
fi

case "$mode" in
  fix)
    "$clang_format" -i "${files[@]}"
    ;;
  check)
    bad=()
    for f in "${files[@]}"; do
      if ! "$clang_format" --dry-run -Werror "$f" >/dev/null 2>&1; then
        bad+=("$f")
      fi
    done
    if [ ${#bad[@]} -gt 0 ]; then
      echo "${#bad[@]} of ${#files[@]} files are not formatted as .clang-format says ($clang_format):"
      printf '  %s\n' "${bad[@]}"
      echo "fix them with: make format   (or: $clang_format -i <file>)"
      exit 1
    fi
    echo "${#files[@]} files formatted as .clang-format says"
    ;;
  *)
    echo "usage: $0 check|fix" >&2
    exit 2
    ;;
esac
