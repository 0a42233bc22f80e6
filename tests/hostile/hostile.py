#!/usr/bin/env python3
"""Hostile inputs against `dockside check` and `dockside lsp` (Python 3 standard library only).

Every input is generated in a temporary folder. Each `dockside check` run (and
`--fix --unsafe-fixes` on a copy of the text inputs) must:
- end within 10 s (it is killed after that) with a peak resident memory < 512 MB
  (`ru_maxrss` of the child, from wait4);
- exit with the status the README documents: 0 no finding at the fail level,
  1 findings, 2 usage/configuration/I/O errors;
- name the file, with `line:column` where the problem has a position;
- never print "panicked".
The language server gets some of the texts with didOpen, each in a fresh server,
must publish diagnostics for each, answer documentSymbol and codeAction, and
publish again after an edit, all within the same 10 s and 512 MB.

Prints a table and exits 1 on any failure. Usage: hostile.py path/to/dockside
"""

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

TIME_LIMIT_S = 10.0
LSP_TIMEOUT_S = 30.0
MEMORY_LIMIT_MB = 512.0
ROOT_USER = os.geteuid() == 0

CLEAN = 'FROM alpine:3.20\nCMD ["sh"]\n'
MB5 = 5 * 1024 * 1024
DEPTH = 20_000
LINES = 200_000
# Generated files that exercise the rules (every line gets findings).
RULE_LINES = 20_000


# ---------------------------------------------------------------------------
# Inputs. Each case is (name, files, args, exit status, patterns, fix).
# `files` maps a relative path to bytes, or to a callable(path) that makes it.
# `patterns` are regular expressions that must all match stdout + stderr.


def billion_laughs():
    lines = ["x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 12):
        lines.append(f"x-a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    lines += ["services:", "  app:", "    image: alpine:3.20", "    command: *a11", ""]
    return "\n".join(lines).encode()


def arg_bomb():
    # Each ARG doubles the previous one: expanding A40 naively is 10 TB.
    lines = ["ARG A0=0123456789"]
    lines += [f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 41)]
    lines += ["FROM alpine:3.20", "ARG A40", "RUN echo $A40", 'LABEL x="${A40}"', "RUNN x", ""]
    return "\n".join(lines).encode()


def apt_runs_dockerfile(count=RULE_LINES):
    # Rules that looked at every earlier or later RUN for each RUN were quadratic here;
    # at 200,000 lines (20 MB) the shell models alone took a gigabyte.
    out = ["FROM ubuntu:22.04"]
    while len(out) < count - 1:
        i = len(out)
        out.append(f"RUN apt-get update && apt-get install -y pkg{i} && cd /tmp/d{i} && curl -sL http://x/{i} | sh")
    out.append("RUNN x")
    return ("\n".join(out) + "\n").encode()


def many_stages_dockerfile():
    # One stage per three lines, each copying from the one before.
    out = []
    while len(out) < RULE_LINES - 1:
        i = len(out) // 3
        out += [f"FROM ubuntu:22.04 AS s{i}", f"COPY --from=s{i - 1} /a /a" if i else "RUN true",
                "RUN apt-get install -y x"]
    out = out[:RULE_LINES - 1] + ["RUNN x"]
    return ("\n".join(out) + "\n").encode()


def many_lines_dockerfile():
    out = ["FROM alpine:3.20"]
    kinds = ("RUN echo {i} && ls /tmp/{i}", "ENV V{i}=value{i}", "# comment {i}", "LABEL k{i}=v{i}")
    while len(out) < LINES - 1:
        out.append(kinds[len(out) % 4].format(i=len(out)))
    out.append("RUNN x")
    return ("\n".join(out) + "\n").encode()


def lines_of(first, line, last="RUNN x", count=LINES):
    """`first`, then `line.format(i=1…, p=i-1)` while it fits in `count` - 1 lines, then `last`
    (an error on the last line)."""
    per = line.count("\n") + 1
    def make():
        out = [first]
        i = 1
        while 1 + i * per <= count - 1:
            out.append(line.format(i=i, p=i - 1))
            i += 1
        out.append(last)
        return ("\n".join(out) + "\n").encode()
    return make


MULTI_STAGE = """ARG BASE=debian:12
FROM golang:1.22 AS build
ARG VERSION
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/app ./cmd/app
FROM $BASE AS runtime
ARG UNUSED
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app /usr/local/bin/app
COPY --from=templates /t /t
USER nobody
HEALTHCHECK CMD wget -q -O- http://localhost:8080/health || exit 1
CMD ["app"]"""


def repeated_multi_stage_dockerfile():
    # A real-looking multi-stage file pasted over and over: stage names repeat, later
    # copies' ARGs and stage references resolve against the first copy.
    block = MULTI_STAGE.split("\n")
    out = []
    while len(out) < LINES - 1:
        out += block
    out = out[:LINES - 1] + ["RUNN x"]
    return ("\n".join(out) + "\n").encode()


def long_continuation_dockerfile():
    body = "".join(f"    && echo {i} \\\n" for i in range(LINES))
    return f"FROM alpine:3.20\nRUN true \\\n{body}    && true\nRUNN x\n".encode()


def many_lines_compose():
    out = ["services:", "  app:", "    image: alpine:3.20", "    environment:"]
    while len(out) < LINES - 3:
        out.append(f"      V{len(out)}: x{len(out)}")
    out += ["  b:", "    imagee: alpine", ""]
    return "\n".join(out).encode()


def services_compose(block, count=40_000, head="", tail=""):
    """A service `b` with a misspelt key (line 3 + lines of `head`), then `count`
    services from `block.format(i=…, p=i-1, port=…)`, then `tail`."""
    def make():
        out = [head + "services:", "  b:", "    imagee: alpine:3.20"]
        for i in range(count):
            out.append(block.format(i=i, p=max(i - 1, 0), port=8000 + i % 50_000))
        return ("\n".join(out) + "\n" + tail).encode()
    return make


def named_resources_tail(count):
    return ("volumes:\n" + "".join(f"  v{i}: {{}}\n" for i in range(count))
            + "secrets:\n" + "".join(f"  s{i}:\n    file: ./s{i}.txt\n" for i in range(count)))


def nested_block_yaml():
    return ("services:\n  a:\n    image: alpine:3.20\nx-deep:\n  " + "- " * DEPTH + "x\n").encode()


def nested_block_map_yaml():
    # Each level indented one more space than the last: 20,000 levels would be
    # 200 MB of spaces, so mappings nest inside flow sequences in block style.
    return ("services:\n  a:\n    image: alpine:3.20\nx-deep: " + "[{a: " * (DEPTH // 2) + "x" + "}]" * (DEPTH // 2) + "\n").encode()


def gen(make_bytes):
    """Writes `make_bytes()` when the case is set up (keeps this process small: its
    memory would count in the child's peak)."""
    def write(path):
        with open(path, "wb") as f:
            f.write(make_bytes())
    return write


def fifo(path):
    os.mkfifo(path)


def symlink_to(target):
    return lambda path: os.symlink(target, path)


def link_loop(path):
    os.symlink(os.path.dirname(path), path)


def self_link(path):
    os.symlink(os.path.basename(path), path)


def unreadable(path):
    with open(path, "w") as f:
        f.write(CLEAN)
    os.chmod(path, 0)


def dir_no_access(path):
    os.makedirs(path)
    with open(os.path.join(path, "Dockerfile"), "w") as f:
        f.write(CLEAN)
    os.chmod(path, 0)


DF = "Dockerfile"
CY = "compose.yaml"

CASES = [
    # --- Dockerfiles -------------------------------------------------------
    ("df binary", {DF: b"FROM alpine:3.20\n\x00\x01\x02\xff\xfe binary\n"}, [DF], 1, [r"Dockerfile:2:1\b"], False),
    ("df invalid UTF-8", {DF: b"FROM alpine:3.20\nRUN echo \xc3\x28 x\n"}, [DF], 1, [r"Dockerfile:2:10\b"], False),
    ("df BOM clean", {DF: b"\xef\xbb\xbf" + CLEAN.encode()}, [DF], 0, [], True),
    ("df BOM error 1:1", {DF: b"\xef\xbb\xbfFORM alpine:3.20\n"}, [DF], 1, [r"Dockerfile:1:1\b"], True),
    ("df CRLF", {DF: b'FROM alpine:3.20\r\nRUNN x\r\nCMD ["sh"]\r\n'}, [DF], 1, [r"Dockerfile:2:1\b"], True),
    ("df mixed endings", {DF: b'FROM alpine:3.20\r\nRUN echo a\nRUNN x\r\nCMD ["sh"]\n'}, [DF], 1, [r"Dockerfile:3:1\b"], True),
    ("df lone CR", {DF: b'FROM alpine:3.20\rRUNN x\r\nCMD ["sh"]\n'}, [DF], 1, [r"Dockerfile:\d+:\d+"], True),
    ("df ARG expansion bomb", {DF: gen(arg_bomb)}, [DF], 1, [r"Dockerfile:46:1\b"], True),
    ("df JSON [ x20000 closed", {DF: gen(lambda: ("FROM alpine:3.20\nCMD " + "[" * DEPTH + "]" * DEPTH + "\nRUNN x\n").encode())},
     [DF], 1, [r"Dockerfile:3:1\b"], True),
    ("df JSON [ x20000 open", {DF: gen(lambda: ("FROM alpine:3.20\nCMD " + "[" * DEPTH + "\nRUNN x\n").encode())},
     [DF], 1, [r"Dockerfile:3:1\b"], True),
    ("df 200k lines", {DF: gen(many_lines_dockerfile)}, [DF], 1, [rf"Dockerfile:{LINES}:1\b"], True),
    ("df 20k apt RUN lines", {DF: gen(apt_runs_dockerfile)}, [DF], 1, [rf"Dockerfile:{RULE_LINES}:1\b"], False),
    ("df 200k apt RUN lines", {DF: gen(lambda: apt_runs_dockerfile(LINES))}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b", r"shell analysis stops here"], False),
    ("df 20k lines of stages", {DF: gen(many_stages_dockerfile)}, [DF], 1, [rf"Dockerfile:{RULE_LINES}:1\b"], False),
    # One finding per line (each RUN could join the previous one): shown up to the per-rule limit.
    ("df 200k RUN lines", {DF: gen(lines_of("FROM alpine:3.20", "RUN echo hello {i}"))}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b", r"more findings of this rule in this file are not shown"], False),
    # Two shell commands per line: 200,000 of them peak near the budget (490 MB), hence half.
    ("df 100k HEALTHCHECK lines", {DF: gen(lines_of("FROM alpine:3.20", "HEALTHCHECK CMD curl -f http://localhost/{i} || exit 1",
                                                    count=LINES // 2))},
     [DF], 1, [rf"Dockerfile:{LINES // 2}:1\b"], False),
    # Each stage builds on the one before and copies from it.
    ("df 200k-stage chain", {DF: gen(lines_of("FROM alpine:3.20 AS s0", "FROM s{p} AS s{i}"))}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b"], False),
    ("df 200k COPY --from chain", {DF: gen(lines_of("FROM alpine:3.20 AS s0", "FROM s{p} AS s{i}\nCOPY --from=s{p} /a /a"))},
     [DF], 1, [rf"Dockerfile:{LINES}:1\b"], False),
    # Every value is longer than the one before.
    ("df 200k ENV PATH=$PATH:…", {DF: gen(lines_of("FROM alpine:3.20", "ENV PATH=$PATH:/opt/bin{i}"))}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b"], False),
    ("df 200k distinct stage ARGs", {DF: gen(lines_of("FROM alpine:3.20", "ARG V{i}=1.2.{i}"))}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b"], False),
    # Five variables per line: 200,000 lines peak at 456 MB, near the budget, hence half.
    ("df 100k ENV lines of five variables", {DF: gen(lines_of("FROM alpine:3.20", "ENV A_{i}=x B=y C=z D=w E=v",
                                                              count=LINES // 2))},
     [DF], 1, [rf"Dockerfile:{LINES // 2}:1\b"], False),
    ("df 200k relative WORKDIRs", {DF: gen(lines_of("FROM alpine:3.20", "WORKDIR d{i}"))}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b"], False),
    ("df 200k suppression comments", {DF: gen(lines_of("FROM alpine:3.20", "# dockside ignore=merge-consecutive-runs -- generated\nRUN echo {i}"))},
     [DF], 1, [rf"Dockerfile:{LINES}:1\b"], False),
    ("df 200k lines of a multi-stage file repeated", {DF: gen(repeated_multi_stage_dockerfile)}, [DF], 1,
     [rf"Dockerfile:{LINES}:1\b"], False),
    ("df 200k continuation", {DF: gen(long_continuation_dockerfile)}, [DF], 1, [rf"Dockerfile:{LINES + 4}:1\b"], True),
    ("df 5 MB line", {DF: gen(lambda: ("FROM alpine:3.20\nRUN echo " + "a" * MB5 + "\nRUNN x\n").encode())},
     [DF], 1, [r"Dockerfile:3:1\b"], True),
    # The human printer shows the 5 MB line as context of the error below it.
    ("df 5 MB LABEL, unterminated quote", {DF: gen(lambda: ("FROM alpine:3.20\nLABEL x=\"" + "a" * MB5 + "\nRUNN x\n").encode())},
     [DF], 1, [r"Dockerfile:3:1\b"], True),
    ("df unterminated heredoc", {DF: b"FROM alpine:3.20\nRUN <<EOF\necho hi\n"}, [DF], 1, [r"Dockerfile:2:\d+"], True),
    ("df unterminated JSON", {DF: b'FROM alpine:3.20\nCMD ["sh", "-c"\n'}, [DF], 1, [r"Dockerfile:2:\d+"], True),
    # BuildKit accepts it (the shell fails at build time); no rule checks shell syntax.
    ("df unterminated quote in RUN", {DF: b'FROM alpine:3.20\nRUN echo "hello\nCMD ["sh"]\n'}, [DF], 0, [], True),
    # --- Compose -----------------------------------------------------------
    ("compose binary", {CY: b"services:\n  a:\n    image: alpine:3.20\n\x00\x01\xff\xfe\n"}, [CY], 1,
     [r"compose\.yaml:4:1\b"], False),
    ("compose invalid UTF-8", {CY: b"services:\n  a:\n    image: alp\xc3\x28ine\n"}, [CY], 1,
     [r"compose\.yaml:3:15\b"], False),
    ("compose BOM clean", {CY: b"\xef\xbb\xbfservices:\n  a:\n    image: alpine:3.20\n"}, [CY], 0, [], True),
    ("compose BOM error 1:1", {CY: b"\xef\xbb\xbfservicess:\n  a:\n    image: alpine:3.20\n"}, [CY], 1,
     [r"compose\.yaml:1:1\b"], True),
    ("compose CRLF", {CY: b"services:\r\n  a:\r\n    imagee: alpine:3.20\r\n"}, [CY], 1, [r"compose\.yaml:3:5\b"], True),
    ("compose mixed endings", {CY: b"services:\r\n  a:\n    image: alpine:3.20\r\n  b:\n    imagee: x\r\n"}, [CY], 1,
     [r"compose\.yaml:5:5\b"], True),
    ("compose billion laughs", {CY: gen(billion_laughs)}, [CY], 1, [r"compose\.yaml:\d+:\d+"], True),
    ("compose flow [ x20000", {CY: gen(lambda: ("services:\n  a:\n    image: alpine:3.20\nx-deep: " + "[" * DEPTH + "]" * DEPTH + "\n").encode())},
     [CY], 1, [r"compose\.yaml:4:\d+"], True),
    ("compose flow [ x20000 open", {CY: gen(lambda: ("services:\n  a:\n    image: alpine:3.20\nx-deep: " + "[" * DEPTH + "\n").encode())},
     [CY], 1, [r"compose\.yaml:\d+:\d+"], True),
    ("compose block - x20000", {CY: gen(nested_block_yaml)}, [CY], 1, [r"compose\.yaml:5:\d+"], True),
    ("compose [{a: x10000", {CY: gen(nested_block_map_yaml)}, [CY], 1, [r"compose\.yaml:4:\d+"], True),
    ("compose 200k lines", {CY: gen(many_lines_compose)}, [CY], 1, [rf"compose\.yaml:{LINES - 1}:5\b"], True),
    # Many services: lookups by name, port and container name stay linear.
    ("compose 40k services, depends_on chain and ports",
     {CY: gen(services_compose('  s{i}:\n    image: nginx:1.{i}\n    depends_on: [s{p}]\n    ports: ["{port}:80"]'))},
     [CY], 1, [r"compose\.yaml:3:5\b"], False),
    ("compose 40k services on one port, each in its own profile",
     {CY: gen(services_compose('  s{i}:\n    image: nginx:1.27\n    profiles: [p{i}]\n    ports: ["80:80"]'))},
     [CY], 1, [r"compose\.yaml:3:5\b"], False),
    # (20,000 merges of the anchor stay under the alias expansion budget.)
    ("compose 20k container names from an anchor",
     {CY: gen(services_compose("  s{i}:\n    <<: *base\n    container_name: c{i}", count=20_000,
                               head="x-base: &base\n  image: nginx:1.27\n  restart: always\n"))},
     [CY], 1, [r"compose\.yaml:6:5\b"], False),
    ("compose 20k-service extends chain",
     {CY: gen(services_compose("  s{i}:\n    extends: s{p}\n    environment: [V{i}=x]", count=20_000))},
     [CY], 1, [r"compose\.yaml:3:5\b", r"chains deeper than 32"], False),
    ("compose 30k named volumes and secrets",
     {CY: gen(services_compose('  s{i}:\n    image: nginx\n    volumes: ["v{i}:/data"]\n    secrets: [s{i}]',
                               count=30_000, tail=named_resources_tail(30_000)))},
     [CY], 1, [r"compose\.yaml:3:5\b"], False),
    ("compose 5 MB line", {CY: gen(lambda: ("services:\n  a:\n    image: alpine:3.20\n    command: echo " + "a" * MB5
                                    + "\n  b:\n    imagee: x\n").encode())}, [CY], 1, [r"compose\.yaml:6:5\b"], True),
    ("compose unterminated quote", {CY: b'services:\n  a:\n    image: "alpine:3.20\n'}, [CY], 1,
     [r"compose\.yaml:3:\d+"], True),
    ("compose unterminated [", {CY: b"services:\n  a:\n    image: alpine:3.20\n    command: [sh, -c\n"}, [CY], 1,
     [r"compose\.yaml:\d+:\d+"], True),
    # --- Paths and folders ----------------------------------------------------
    ("missing path", {}, ["nope/Dockerfile"], 2, [r"nope/Dockerfile"], False),
    ("missing -f compose", {}, ["-f", "nope.yaml"], 2, [r"nope\.yaml"], False),
    ("dangling symlink named", {DF: symlink_to("gone")}, [DF], 2, [r"Dockerfile"], False),
    ("symlink loop in folder", {"a/Dockerfile": CLEAN.encode(), "a/loop": link_loop, "a/self": self_link}, ["."], 0, [], False),
    ("symlink loop named", {"Dockerfile": self_link}, [DF], 2, [r"Dockerfile"], False),
    ("FIFO in folder", {"a/Dockerfile": CLEAN.encode(), "b/Dockerfile": fifo, "b/compose.yaml": fifo}, ["."], 0, [], False),
    ("FIFO named", {"Dockerfile": fifo}, [DF], 2, [r"Dockerfile"], False),
    ("FIFO .dockerignore", {DF: b"FROM alpine:3.20\nCOPY . /app\nRUNN x\n", ".dockerignore": fifo}, [DF], 1,
     [r"Dockerfile:3:1\b"], False),
    # Where dockside looks for optional files, a FIFO or device is skipped like a missing file.
    ("FIFO .dockside.toml", {DF: CLEAN.encode(), ".dockside.toml": fifo}, [DF], 0, [], False),
    ("FIFO --config", {DF: CLEAN.encode(), "c.toml": fifo}, ["--config", "c.toml", DF], 2, [r"c\.toml"], False),
    ("FIFO .env", {CY: b"services:\n  a:\n    image: alpine:${TAG}\n", ".env": fifo}, [CY], 1,
     [r"compose\.yaml:3:19\b"], False),
    ("FIFO compose.override", {CY: b"services:\n  a:\n    image: alpine:3.20\n", "compose.override.yaml": fifo},
     [CY], 0, [], False),
    ("/dev/zero .dockerignore", {DF: b"FROM alpine:3.20\nCOPY . /app\nRUNN x\n", ".dockerignore": symlink_to("/dev/zero")},
     [DF], 1, [r"Dockerfile:3:1\b"], False),
    ("/dev/zero .env", {CY: b"services:\n  a:\n    image: alpine:${TAG}\n", ".env": symlink_to("/dev/zero")},
     [CY], 1, [r"compose\.yaml:3:19\b"], False),
    ("FIFO -f compose", {"c.yaml": fifo}, ["-f", "c.yaml"], 2, [r"c\.yaml"], False),
    ("/dev/zero named compose", {CY: symlink_to("/dev/zero")}, [CY], 2, [r"compose\.yaml"], False),
    ("/dev/zero named", {DF: symlink_to("/dev/zero")}, [DF], 2, [r"Dockerfile"], False),
    ("/proc/self/mem named (EIO)", {DF: symlink_to("/proc/self/mem")}, [DF], 2, [r"Dockerfile"], False),
]

# Permissions are not enforced for root: there, the EIO read of /proc/self/mem stands in.
if not ROOT_USER:
    CASES += [
        ("unreadable file (chmod 000)", {DF: unreadable}, [DF], 2, [r"Dockerfile"], False),
        ("unreadable folder in scan", {"a/Dockerfile": CLEAN.encode(), "locked": dir_no_access}, ["."], 2,
         [r"locked"], False),
    ]


# ---------------------------------------------------------------------------
# Running


TIME = shutil.which("time", path="/usr/bin:/bin")


def run(binary, cwd, args):
    """Runs `binary args` in `cwd`; returns (exit, seconds, peak MB, stdout, stderr, killed).

    The peak is measured by GNU time when installed, else from wait4 (which also counts
    this process's memory at fork time)."""
    out_path, err_path, rss_path = (os.path.join(cwd, "..", n) for n in ("out", "err", "rss"))
    command = [binary] + args
    if TIME:
        command = [TIME, "-f", "%M", "-o", rss_path] + command
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        killed = []

        def kill():
            killed.append(True)
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(TIME_LIMIT_S, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024
    if TIME and not killed:
        with open(rss_path) as f:
            lines = f.read().split()
        # GNU time reports "Command exited with non-zero status N" before the figure.
        peak = int(lines[-1]) / 1024
    with open(out_path, "rb") as f:
        stdout = f.read().decode("utf-8", "replace")
    with open(err_path, "rb") as f:
        stderr = f.read().decode("utf-8", "replace")
    return code, elapsed, peak, stdout, stderr, bool(killed)


def first_line(stdout, stderr):
    for text in (stdout, stderr):
        for line in text.splitlines():
            if re.search(r":\d+:\d+", line):
                return line.strip()
    for text in (stderr, stdout):
        for line in text.splitlines():
            if line.strip():
                return line.strip()
    return ""


def make(root, files):
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if callable(content):
            content(path)
        else:
            with open(path, "wb") as f:
                f.write(content)


def check_run(label, result, expect_exit, patterns, problems):
    code, elapsed, peak, stdout, stderr, killed = result
    both = stdout + stderr
    if killed:
        problems.append(f"{label}: killed after {TIME_LIMIT_S:.0f} s")
    elif elapsed >= TIME_LIMIT_S:
        problems.append(f"{label}: took {elapsed:.1f} s")
    if peak >= MEMORY_LIMIT_MB:
        problems.append(f"{label}: peak memory {peak:.0f} MB")
    if "panicked" in both or "RUST_BACKTRACE" in both:
        problems.append(f"{label}: panicked: {both[-600:]}")
    expected = expect_exit if isinstance(expect_exit, (set, tuple)) else {expect_exit}
    if not killed and code not in expected:
        problems.append(f"{label}: exit {code}, expected {sorted(expected)}; {first_line(stdout, stderr)[:200]}")
    for pattern in patterns:
        if not re.search(pattern, both):
            problems.append(f"{label}: output does not match /{pattern}/: {both[:300]!r}")


def line_endings(data):
    crlf = data.count(b"\r\n")
    return crlf, data.count(b"\n") - crlf


def check_fix(binary, case_dir, name, files, args, failures, rows):
    """`--fix --unsafe-fixes` on a copy: bounded, keeps BOM and (uniform CRLF) endings, rewrites
    nothing when run again."""
    fix_dir = case_dir + "-fix"
    shutil.copytree(case_dir, fix_dir, symlinks=True)
    before = {rel: open(os.path.join(fix_dir, rel), "rb").read() for rel in files}
    result = run(binary, fix_dir, ["check", "--color", "never", "--fix", "--unsafe-fixes"] + args)
    problems = []
    check_run(f"{name} --fix", result, {0, 1}, [], problems)
    for rel, old in before.items():
        new = open(os.path.join(fix_dir, rel), "rb").read()
        if old.startswith(b"\xef\xbb\xbf") and not new.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{name} --fix: {rel} lost its BOM")
        crlf, lf = line_endings(old)
        new_crlf, new_lf = line_endings(new)
        if crlf and not lf and new_lf:
            problems.append(f"{name} --fix: {rel} got {new_lf} LF line endings in a CRLF file")
    leftovers = [n for n in os.listdir(fix_dir) if n.startswith(".dockside-fix-")]
    if leftovers:
        problems.append(f"{name} --fix: temporary files left: {leftovers}")
    if not problems:
        snapshot = {rel: open(os.path.join(fix_dir, rel), "rb").read() for rel in files}
        again = run(binary, fix_dir, ["check", "--color", "never", "--fix", "--unsafe-fixes"] + args)
        check_run(f"{name} --fix (again)", again, {0, 1}, [], problems)
        for rel, text in snapshot.items():
            if open(os.path.join(fix_dir, rel), "rb").read() != text:
                problems.append(f"{name} --fix: a second --fix changed {rel} again")
    rows.append((f"{name} --fix", result, problems))
    failures.extend(problems)


# ---------------------------------------------------------------------------
# Language server


def lsp_cases():
    """(name, file name, language id, text) opened in the server."""
    return [
        ("lsp df NUL bytes", "nul.Dockerfile", "dockerfile", "FROM alpine:3.20\nRUN echo \x00\x01 x\n"),
        ("lsp df 5 MB line", "long.Dockerfile", "dockerfile", "FROM alpine:3.20\nRUN echo " + "a" * MB5 + "\nRUNN x\n"),
        ("lsp df 200k lines", "many.Dockerfile", "dockerfile", many_lines_dockerfile().decode()),
        ("lsp df JSON [ x20000", "json.Dockerfile", "dockerfile", "FROM alpine:3.20\nCMD " + "[" * DEPTH + "\n"),
        ("lsp df ARG bomb", "bomb.Dockerfile", "dockerfile", arg_bomb().decode()),
        ("lsp df heredoc", "heredoc.Dockerfile", "dockerfile", "FROM alpine:3.20\nRUN <<EOF\necho hi\n"),
        ("lsp compose billion laughs", "laughs/compose.yaml", "yaml", billion_laughs().decode()),
        ("lsp compose flow x20000", "flow/compose.yaml", "yaml", "services:\n  a:\n    image: x\nx: " + "[" * DEPTH + "\n"),
        ("lsp compose block x20000", "block/compose.yaml", "yaml", nested_block_yaml().decode()),
        ("lsp compose CRLF", "crlf/compose.yaml", "yaml", "services:\r\n  a:\r\n    imagee: x\r\n"),
    ]


def peak_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def reset_peak(pid):
    """Resets the server's VmHWM so that each document's peak is its own."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def run_lsp(binary, root, rows, failures):
    """Each document in a fresh server, so that its peak memory is its own."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
    from lsp_bench import Server, uri_of

    for name, rel, language, text in lsp_cases():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        uri = uri_of(path)
        problems = []
        first = ""
        server = Server(binary, root)
        start = time.perf_counter()
        try:
            init = server.request("initialize", {"processId": os.getpid(), "rootUri": uri_of(root), "capabilities": {
                "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}, timeout=LSP_TIMEOUT_S)
            if "error" in init:
                raise RuntimeError(f"initialize failed: {init['error']}")
            server.notify("initialized", {})
            reset_peak(server.proc.pid)
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": language, "version": 1, "text": text}})
            _, params = server.wait_version(uri, 1, timeout=LSP_TIMEOUT_S)
            diagnostics = params["diagnostics"]
            if diagnostics:
                d = diagnostics[0]
                p = d["range"]["start"]
                first = f"{rel}:{p['line'] + 1}:{p['character'] + 1}: {d.get('code', '')} {d['message']}"
            symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}},
                                     timeout=LSP_TIMEOUT_S)
            if "error" in symbols:
                problems.append(f"{name}: documentSymbol failed: {symbols['error']}")
            here = diagnostics[0]["range"] if diagnostics else {
                "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
            actions = server.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": here, "context": {"diagnostics": diagnostics[:1]}},
                timeout=LSP_TIMEOUT_S)
            if "error" in actions:
                problems.append(f"{name}: codeAction failed: {actions['error']}")
            # An edit: the server analyses the new text (without keeping two analyses).
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}]})
            server.wait_version(uri, 2, timeout=LSP_TIMEOUT_S)
        except Exception as e:  # a timeout or a dead server
            problems.append(f"{name}: {type(e).__name__}: {e}")
        elapsed = time.perf_counter() - start
        peak = peak_mb(server.proc.pid)
        if server.proc.poll() is not None:
            problems.append(f"{name}: the server exited with {server.proc.returncode}")
        if peak >= MEMORY_LIMIT_MB:
            problems.append(f"{name}: peak memory {peak:.0f} MB")
        if elapsed >= TIME_LIMIT_S:
            problems.append(f"{name}: took {elapsed:.1f} s")
        server.close()
        rows.append((name, ("-", elapsed, peak, first, "", False), problems))
        failures.extend(problems)


# ---------------------------------------------------------------------------


def discard(folder, keep_root=False):
    """Removes a case folder, first undoing the chmod 000 some cases make."""
    for dirpath, dirnames, _ in os.walk(folder):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            if not os.path.islink(p):
                os.chmod(p, stat.S_IRWXU)
    if not keep_root:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/dockside")
    if not os.path.isfile(binary):
        sys.exit(f"{binary} not found: build it with `cargo build --release -p dockside`")
    only = os.environ.get("HOSTILE_ONLY")
    failures, rows = [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dockside-hostile-") as tmp:
        for i, (name, files, args, expect_exit, patterns, fix) in enumerate(CASES):
            if only and only not in name:
                continue
            case_dir = os.path.join(tmp, f"case{i:02}", "work")
            os.makedirs(case_dir)
            make(case_dir, files)
            result = run(binary, case_dir, ["check", "--color", "never"] + args)
            problems = []
            check_run(name, result, expect_exit, patterns, problems)
            rows.append((name, result, problems))
            failures.extend(problems)
            if fix:
                check_fix(binary, case_dir, name, files, args, failures, rows)
            # Some cases are hundreds of MB; a CI disk need only hold one at a time.
            discard(os.path.dirname(case_dir))
        if not only or "lsp" in only:
            lsp_root = os.path.join(tmp, "lsp")
            os.makedirs(lsp_root)
            run_lsp(binary, lsp_root, rows, failures)
        discard(tmp, keep_root=True)

    width = max(len(r[0]) for r in rows)
    print(f"{'input':<{width}}  exit   time  peak MB  first diagnostic")
    for name, (code, elapsed, peak, stdout, stderr, _), problems in rows:
        mark = "FAIL " if problems else ""
        print(f"{name:<{width}}  {code!s:>4}  {elapsed:5.2f}s  {peak:7.1f}  {mark}{first_line(stdout, stderr)[:90]}")
    print(f"{len(rows)} runs in {time.perf_counter() - started:.1f} s"
          + (" (as root: chmod 000 cases replaced by an EIO read)" if ROOT_USER else ""))
    if failures:
        print(f"\n{len(failures)} failure(s):")
        for f in failures:
            print(f"- {f}")
        sys.exit(1)


if __name__ == "__main__":
    main()
