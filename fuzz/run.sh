#!/usr/bin/env bash
# Runs every fuzz target for a bounded time each (default 60 s), one after the other.
# Installs cargo-fuzz when missing and seeds the corpora from ../shared/corpus when they
# are absent. Exits non-zero on the first crash, timeout or out-of-memory, printing the
# artifact that reproduces it.
#   fuzz/run.sh [seconds-per-target] [target...]
# Environment: FUZZ_TOOLCHAIN (default nightly), FUZZ_RSS_MB (default 1024: the process
# limit; AddressSanitizer's quarantine alone takes a few hundred MB after a few thousand
# runs, so a single allocation is limited to 512 MB instead, which catches runaway reads).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dockerfile compose shell lsp)
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
rss_mb="${FUZZ_RSS_MB:-1024}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"

case "$seconds" in
    ''|*[!0-9]*) echo "usage: fuzz/run.sh [seconds-per-target] [target...]" >&2; exit 2 ;;
esac
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "run.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked || exit 2
fi

cd "$here" || exit 2
for target in "${targets[@]}"; do
    if [ ! -f "fuzz_targets/$target.rs" ]; then
        echo "run.sh: no target \`$target\` (fuzz_targets/$target.rs)" >&2
        exit 2
    fi
    if [ -z "$(ls -A "corpus/$target" 2>/dev/null)" ]; then
        ./seed.sh >&2 || echo "run.sh: no seeds for $target; starting from an empty corpus" >&2
        mkdir -p "corpus/$target"
    fi
done

status=0
for target in "${targets[@]}"; do
    echo "== $target: ${seconds}s" >&2
    log="$(mktemp)"
    cargo "+$toolchain" fuzz run -O "$target" "corpus/$target" -- \
        -dict="dict/$target.dict" \
        -max_total_time="$seconds" \
        -rss_limit_mb="$rss_mb" \
        -malloc_limit_mb=512 \
        -timeout=10 \
        -print_final_stats=1 2>&1 | tee "$log" | grep -E '^(#[0-9]+.*(DONE|pulse)|stat::|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' >&2
    code=${PIPESTATUS[0]}
    artifact="$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')"
    if [ "$code" -ne 0 ] || [ -n "$artifact" ]; then
        grep -v -E '^(#[0-9]+|INFO:)' "$log" | tail -60 >&2
        rm -f "$log"
        echo "run.sh: $target failed (exit $code)" >&2
        if [ -n "$artifact" ]; then
            echo "run.sh: artifact: $artifact" >&2
            echo "run.sh: reproduce: (cd $here && cargo +$toolchain fuzz run -O $target $artifact)" >&2
        fi
        status=1
        break
    fi
    rm -f "$log"
done
exit "$status"
