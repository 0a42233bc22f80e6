#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml driven by the real `pre-commit` (from
# PyPI, in a throwaway venv) the way a user sets them up: a new git repository whose
# .pre-commit-config.yaml points at this repository, `pre-commit run --files …` and
# `git commit` through the installed hook, on bad and clean Dockerfiles and Compose files.
#
# pre-commit clones the hook repository at a commit: the hook definitions come from HEAD
# of this repository, not from the working tree. DOCKSIDE_PRECOMMIT_WORKTREE=1 tests the
# working tree's .pre-commit-hooks.yaml instead (committed into a temporary clone).
#
# Environment:
#   DOCKSIDE_BIN                 binary for the `dockside-system` hook
#                                (default target/release/dockside, built when missing)
#   DOCKSIDE_PRECOMMIT_WORKTREE  1: hook definitions from the working tree
#   DOCKSIDE_PRECOMMIT_RUST      1: also the `dockside` hook (`language: rust`), which
#                                compiles dockside in release mode (several minutes)
#   PRE_COMMIT_SPEC              pip requirement (default `pre-commit`, the latest)
#   KEEP_WORK                    1: keep the temporary folder for inspection
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockside-precommit.XXXXXX")
if [ "${KEEP_WORK:-}" = 1 ]; then
    echo "work folder: $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

failures=0
step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    failures=$((failures + 1))
}

# Runs a command, keeping its combined output in $out and its status in $status.
capture() {
    set +e
    out=$("$@" 2>&1)
    status=$?
    set -e
}

show_output() { printf '%s\n' "$out" | sed 's/^/    | /'; }

expect_status() { # expected, what
    if [ "$status" -eq "$1" ]; then
        ok "$2 (exit $status)"
    else
        fail "$2: exit $status, expected $1"
        show_output
    fi
}

expect_in_output() { # text, what
    if printf '%s' "$out" | grep -qF -- "$1"; then
        ok "$2"
    else
        fail "$2: \`$1\` not in the output"
        show_output
    fi
}

expect_not_in_output() { # text, what
    if printf '%s' "$out" | grep -qF -- "$1"; then
        fail "$2: \`$1\` in the output"
        show_output
    else
        ok "$2"
    fi
}

# --- the dockside binary the `dockside-system` hook finds on PATH -------------------------
step "dockside binary"
BIN=${DOCKSIDE_BIN:-$ROOT/target/release/dockside}
if [ ! -x "$BIN" ]; then
    echo "$BIN is missing: cargo build --release -p dockside"
    (cd "$ROOT" && cargo build --release --locked -p dockside)
fi
mkdir -p "$WORK/bin"
ln -s "$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" "$WORK/bin/dockside"
"$WORK/bin/dockside" --version

# --- pre-commit, from PyPI, in a venv of its own ----------------------------------------
step "pre-commit"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PRE_COMMIT_SPEC:-pre-commit}"
PRE_COMMIT=$WORK/venv/bin/pre-commit
"$PRE_COMMIT" --version
# pre-commit keeps its clones and hook environments here instead of ~/.cache/pre-commit.
export PRE_COMMIT_HOME=$WORK/pre-commit-home
export PRE_COMMIT_COLOR=never
export GIT_AUTHOR_NAME=dockside-test GIT_AUTHOR_EMAIL=test@dockside.invalid
export GIT_COMMITTER_NAME=dockside-test GIT_COMMITTER_EMAIL=test@dockside.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$WORK/gitconfig
printf '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n' >"$GIT_CONFIG_GLOBAL"

# --- the hook repository: this one, at a commit ----------------------------------------
step "hook repository"
if [ "${DOCKSIDE_PRECOMMIT_WORKTREE:-}" = 1 ]; then
    HOOK_REPO=$WORK/hook-repo
    git clone --quiet "$ROOT" "$HOOK_REPO"
    cp "$ROOT/.pre-commit-hooks.yaml" "$HOOK_REPO/"
    git -C "$HOOK_REPO" add .pre-commit-hooks.yaml
    git -C "$HOOK_REPO" commit --quiet --allow-empty -m "working tree .pre-commit-hooks.yaml"
    echo "hook definitions: the working tree's .pre-commit-hooks.yaml (in a temporary clone)"
else
    HOOK_REPO=$ROOT
    if ! git -C "$ROOT" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
        echo "HEAD of $ROOT has no .pre-commit-hooks.yaml: commit it, or run with DOCKSIDE_PRECOMMIT_WORKTREE=1" >&2
        exit 1
    fi
    if ! git -C "$ROOT" diff --quiet HEAD -- .pre-commit-hooks.yaml; then
        echo "note: .pre-commit-hooks.yaml differs from HEAD; testing HEAD's (DOCKSIDE_PRECOMMIT_WORKTREE=1 tests the working tree)"
    fi
fi
REV=$(git -C "$HOOK_REPO" rev-parse HEAD)
echo "repo: $HOOK_REPO"
echo "rev:  $REV"
git -C "$HOOK_REPO" show "$REV:.pre-commit-hooks.yaml" >"$WORK/manifest.yaml"

capture "$PRE_COMMIT" validate-manifest "$WORK/manifest.yaml"
expect_status 0 "pre-commit validate-manifest accepts .pre-commit-hooks.yaml"

# --- which file names the hooks take ----------------------------------------------------
step "files pattern"
capture "$WORK/venv/bin/python" - "$WORK/manifest.yaml" <<'PY'
import re
import sys

import yaml

hooks = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1]))}
assert set(hooks) == {"dockside", "dockside-system"}, sorted(hooks)
assert hooks["dockside"]["language"] == "rust", hooks["dockside"]
assert hooks["dockside-system"]["language"] == "system", hooks["dockside-system"]
for hook in hooks.values():
    assert hook["pass_filenames"] is True and hook["require_serial"] is False, hook
    assert hook["types"] == ["file"], hook
    assert hook["entry"].split()[-1] == "check", hook
assert hooks["dockside"]["files"] == hooks["dockside-system"]["files"]
pattern = re.compile(hooks["dockside-system"]["files"])

takes = """
    Dockerfile  dockerfile  DOCKERFILE  Containerfile  app/Dockerfile  a/b/c/Containerfile
    Dockerfile.dev  Dockerfile.prod.arm64  Dockerfile-alpine  Dockerfile_ci  Containerfile.base
    api.Dockerfile  web.dockerfile  svc/worker.Dockerfile  build.Containerfile
    compose.yaml  compose.yml  docker-compose.yml  docker-compose.yaml  deploy/compose.yaml
    compose.override.yaml  compose.override.yml  docker-compose.override.yml
    docker-compose.prod.yml  docker-compose.dev.yaml  compose.prod.yaml  compose-dev.yaml
    Compose.YAML  docker-compose_test.yml
""".split()
leaves = """
    composer.yaml  composer.json  my-compose.yaml  docker-compose.json  compose.yaml.bak
    compose.yamlx  compose..yaml  Dockerfile.dockerignore  .dockerignore  Dockerfile.md
    docs/Dockerfile.md  Dockerfiles/readme.txt  Dockerfile/app.py  notDockerfile
    Containerfile-x  mycontainerfile.txt  docker-compose  compose  values.yaml
""".split()
wrong = [f"should take {n}" for n in takes if not pattern.search(n)]
wrong += [f"should leave {n}" for n in leaves if pattern.search(n)]
print("\n".join(wrong) or f"{len(takes)} names taken, {len(leaves)} left alone as expected")
sys.exit(1 if wrong else 0)
PY
expect_status 0 "the hooks' fields and \`files\` pattern"
printf '%s\n' "$out"

# --- a project that uses the hook -------------------------------------------------------
PROJECT=$WORK/project
mkdir -p "$PROJECT/api" "$PROJECT/web" "$PROJECT/docs"
cd "$PROJECT"
git init --quiet .

use_hook() { # hook id
    cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $HOOK_REPO
    rev: $REV
    hooks:
      - id: $1
EOF
}

# Like the user's examples: update alone, pip keeping its cache, shell-form CMD.
cat >api/Dockerfile <<'EOF'
FROM python:3.12-slim
WORKDIR /app
RUN apt-get update
RUN apt-get install -y curl
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD python app.py
EOF
cat >api/compose.yaml <<'EOF'
version: "3.8"
services:
  api:
    build: .
    ports:
      - 80:8000
  cache:
    image: redis:latest
EOF
printf 'flask==3.0.3\n' >api/requirements.txt
printf 'print("api")\n' >api/app.py

cat >web/Dockerfile <<'EOF'
FROM python:3.12-slim
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER nobody
CMD ["python", "app.py"]
EOF
cat >web/compose.yaml <<'EOF'
services:
  web:
    build: .
    image: registry.example.com/web:1.4.2
    ports:
      - "8080:8000"
EOF
printf 'flask==3.0.3\n' >web/requirements.txt
printf 'print("web")\n' >web/app.py
printf '.git\n.env\n' >web/.dockerignore

# Names outside the pattern, with content dockside would report if it were given them.
cp api/Dockerfile docs/Dockerfile.md
cp api/compose.yaml composer.yaml

# The hook with the binary on PATH, as `pre-commit run` and as the git hook.
export PATH=$WORK/bin:$PATH
use_hook dockside-system
git add .pre-commit-config.yaml
git commit --quiet -m "pre-commit configuration"

step "dockside-system: pre-commit run on the bad Dockerfile and compose.yaml"
capture "$PRE_COMMIT" run --files api/Dockerfile api/compose.yaml
show_output
expect_status 1 "the hook fails"
expect_in_output "- hook id: dockside-system" "pre-commit names the hook"
expect_in_output "- exit code: 1" "dockside exits with 1"
for rule in "DF202 apt-update-alone" "DF101 merge-consecutive-runs" \
    "DF103 package-cache-not-cleaned" "DF402 shell-form-entrypoint" \
    "DC101 obsolete-version" "DC103 image-tag" "DC201 unquoted-port"; do
    expect_in_output "$rule" "reports $rule"
done
expect_in_output "api/Dockerfile:3:5:" "points at api/Dockerfile line 3"
expect_in_output "api/compose.yaml:1:1:" "points at api/compose.yaml line 1"

step "dockside-system: pre-commit run on the clean files and names outside the pattern"
capture "$PRE_COMMIT" run --files web/Dockerfile web/compose.yaml docs/Dockerfile.md composer.yaml
show_output
expect_status 0 "the hook passes"
expect_in_output "Passed" "pre-commit reports Passed"
expect_not_in_output "Dockerfile.md" "docs/Dockerfile.md is not linted"
expect_not_in_output "composer.yaml" "composer.yaml is not linted"

step "dockside-system: only names outside the pattern"
capture "$PRE_COMMIT" run --files docs/Dockerfile.md composer.yaml
show_output
expect_status 0 "nothing to lint"
expect_in_output "(no files to check)Skipped" "pre-commit skips the hook"

step "dockside-system: git commit through the installed hook"
capture "$PRE_COMMIT" install
expect_status 0 "pre-commit install"
git add api web docs composer.yaml
capture git commit -m "bad and clean files"
show_output
expect_status 1 "git commit is refused"
expect_in_output "DF402 shell-form-entrypoint" "the refusal shows dockside's findings"
expect_in_output "DC101 obsolete-version" "and the Compose findings"
if git rev-parse --verify --quiet HEAD~1 >/dev/null; then
    fail "a commit was made despite the findings"
else
    ok "no commit was made"
fi
git reset --quiet -- api
capture git commit -m "clean files"
show_output
expect_status 0 "git commit of the clean files goes through"
expect_in_output "Passed" "the hook passed"
if [ "$(git log --format=%s -1)" = "clean files" ]; then
    ok "the commit was made"
else
    fail "the clean files were not committed"
fi

# --- language: rust ---------------------------------------------------------------------
if [ "${DOCKSIDE_PRECOMMIT_RUST:-}" = 1 ]; then
    step "dockside (language: rust): pre-commit builds dockside with cargo install"
    # No dockside on PATH: the hook must use the one it built.
    export PATH=${PATH#"$WORK/bin:"}
    use_hook dockside
    started=$(date +%s)
    capture "$PRE_COMMIT" install-hooks
    echo "environment installed in $(($(date +%s) - started)) s"
    expect_status 0 "pre-commit builds the hook environment"
    if [ "$status" -eq 0 ]; then
        capture "$PRE_COMMIT" run --files api/Dockerfile api/compose.yaml
        show_output
        expect_status 1 "the hook fails on the bad files"
        expect_in_output "DF402 shell-form-entrypoint" "reports DF402 shell-form-entrypoint"
        expect_in_output "DC101 obsolete-version" "reports DC101 obsolete-version"
        capture "$PRE_COMMIT" run --files web/Dockerfile web/compose.yaml
        expect_status 0 "the hook passes on the clean files"
    fi
else
    step "dockside (language: rust): skipped (DOCKSIDE_PRECOMMIT_RUST=1 runs it)"
fi

echo
if [ "$failures" -ne 0 ]; then
    echo "pre-commit test: $failures failure(s)" >&2
    exit 1
fi
echo "pre-commit test: all checks passed"
