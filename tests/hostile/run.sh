#!/usr/bin/env bash
# Hostile inputs against the release binary: every case must end in < 10 s with
# < 512 MB peak memory, the documented exit status, a diagnostic naming the file
# (and line:column where a position exists) and no panic. See hostile.py.
#
# Usage: tests/hostile/run.sh [path/to/dockside]   (default: target/release/dockside)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 tests/hostile/hostile.py "${1:-target/release/dockside}"
