#!/usr/bin/env bash
# Benchmarks `dockside check` on Compose files against dclint (when installed) and
# prints the ratio. Not a test: numbers vary by machine.
#
#   bench/compose.sh [CORPUS_DIR]
#
# CORPUS_DIR defaults to ../shared/corpus/compose next to the repository. dclint is
# looked up as $DCLINT, then `dclint` on PATH, then ./node_modules/.bin/dclint
# (install it with `npm i dclint`); nothing is downloaded by this script.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/corpus/compose}
if [ ! -d "$corpus" ]; then
  echo "corpus not found: $corpus" >&2
  exit 2
fi

echo "building dockside (release)…" >&2
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p dockside
dockside=$root/target/release/dockside

list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$corpus" -type f \( -name '*.yml' -o -name '*.yaml' \) | sort > "$list"
files=$(wc -l < "$list")

now_ns() { date +%s%N; }
best_of() {
  local runs=$1; shift
  local best=""
  for _ in $(seq "$runs"); do
    local t0 t1 dt
    t0=$(now_ns)
    "$@" > /dev/null 2>&1 || true
    t1=$(now_ns)
    dt=$(( t1 - t0 ))
    if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then best=$dt; fi
  done
  awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

run_dockside() { xargs -a "$list" -d '\n' "$dockside" check --format json --fail-level none; }

echo "machine: $(nproc) cores; Compose files: $files (from $corpus)"
d=$(best_of 5 run_dockside)
printf 'dockside  %8.3f s   %8.0f files/s\n' "$d" "$(awk -v f="$files" -v t="$d" 'BEGIN{print f/t}')"

dclint=${DCLINT:-}
if [ -z "$dclint" ]; then
  if command -v dclint > /dev/null 2>&1; then
    dclint=$(command -v dclint)
  elif [ -x "$root/node_modules/.bin/dclint" ]; then
    dclint=$root/node_modules/.bin/dclint
  elif [ -x "./node_modules/.bin/dclint" ]; then
    dclint=./node_modules/.bin/dclint
  fi
fi
if [ -z "$dclint" ]; then
  echo "dclint not found (npm i dclint, or set DCLINT=…): no ratio"
  exit 0
fi
run_dclint() { xargs -a "$list" -d '\n' "$dclint" --color false --max-warnings -1; }
c=$(best_of 3 run_dclint)
printf 'dclint    %8.3f s   %8.0f files/s   (%s)\n' "$c" "$(awk -v f="$files" -v t="$c" 'BEGIN{print f/t}')" "$("$dclint" --version 2>/dev/null | head -1)"
awk -v a="$c" -v b="$d" 'BEGIN { printf "dockside is %.0fx faster than dclint on these files\n", a / b }'
