#!/usr/bin/env bash
# Derives seed corpora for the fuzz targets from the shared real-world corpus into
# fuzz/corpus/<target>/ (not committed: the shared corpus is not ours to copy).
#   dockerfile  every Dockerfile
#   compose     every Compose file alone, and pairs of files of one project as
#               compose file + override (the target splits its input at NUL bytes)
#   shell       the RUN bodies of the Dockerfiles
#   lsp         Dockerfiles and Compose files behind a header of editor operations
# Usage: fuzz/seed.sh [path/to/shared/corpus]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${1:-$here/../../shared/corpus}"
if [ ! -d "$shared/dockerfiles" ] || [ ! -d "$shared/compose" ]; then
    echo "seed.sh: no corpus at $shared (expected dockerfiles/ and compose/)" >&2
    exit 1
fi
exec python3 - "$shared" "$here/corpus" <<'PY'
import hashlib, os, re, sys

shared, out = sys.argv[1], sys.argv[2]

def files(root):
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            yield os.path.join(dirpath, name)

def write(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)

def run_bodies(text):
    """RUN bodies with their continuation lines (comment lines inside dropped)."""
    bodies, current = [], None
    for line in text.splitlines():
        if current is not None:
            if line.lstrip().startswith("#"):
                continue
            current.append(line)
            if not line.rstrip().endswith("\\"):
                bodies.append("\n".join(current))
                current = None
            continue
        m = re.match(r"\s*RUN\s+(.*)$", line, re.IGNORECASE)
        if m:
            body = m.group(1)
            if body.rstrip().endswith("\\"):
                current = [body]
            else:
                bodies.append(body)
    if current:
        bodies.append("\n".join(current))
    return bodies

def lsp_seed(data, compose, salt):
    """Flag byte, then 3-byte operations (kind, line, column) with no NUL, then NUL."""
    h = hashlib.sha256(data + salt).digest()
    flags = (1 if compose else 0) | (h[0] & 0x0e)
    ops = bytearray()
    for kind in range(15):
        line, column = (h[kind + 1] % 24) + 1, (h[kind + 16] % 40) + 1
        ops += bytes([kind + 16 * (1 + h[kind] % 15), line, column])
    return bytes([flags or 0x10]) + bytes(ops) + b"\0" + data

counts = {}
lsp_every = 4
for i, path in enumerate(files(os.path.join(shared, "dockerfiles"))):
    if path.endswith("__result"):
        continue
    data = open(path, "rb").read()
    write("dockerfile", data)
    if i % lsp_every == 0:
        write("lsp", lsp_seed(data, False, b"d"))
    for body in run_bodies(data.decode("utf-8", "replace")):
        write("shell", body.encode())

by_project = {}
for i, path in enumerate(files(os.path.join(shared, "compose"))):
    data = open(path, "rb").read()
    write("compose", data)
    if i % 2 == 0:
        write("lsp", lsp_seed(data, True, b"c"))
    by_project.setdefault(os.path.dirname(path), []).append(data)
for group in by_project.values():
    for a, b in zip(group, group[1:]):
        write("compose", a + b"\0" + b)

for target in ("dockerfile", "compose", "shell", "lsp"):
    print(f"{target}: {len(os.listdir(os.path.join(out, target)))} seeds")
PY
