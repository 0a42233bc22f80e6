#!/usr/bin/env python3
"""Latency and memory of `dockside lsp` (not a test; Python 3 standard library only).

Measures, for a generated 400-line Dockerfile (60 RUNs) and a 20-line one,
the time from each `didChange` to the `publishDiagnostics` carrying that
version (200 edits alternating a small change), then opens 100 documents and
reads the server's resident memory (VmRSS in /proc/<pid>/status).

Usage: bench/lsp_bench.py [path/to/dockside]   (default: target/release/dockside)
Build first: cargo build --release -p dockside
"""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

GOALS = {"p95_400_ms": 5.0, "p95_20_ms": 1.0, "rss_100_docs_mb": 50.0}
EDITS = 200


class Server:
    def __init__(self, binary, root):
        self.proc = subprocess.Popen(
            [binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 1
        self.responses = {}
        self.diagnostics = queue.Queue()  # (arrival time, params)
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            now = time.perf_counter()
            msg = json.loads(body)
            if "method" in msg:
                if "id" in msg:  # a server request: answer null
                    self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                if msg["method"] == "textDocument/publishDiagnostics":
                    self.diagnostics.put((now, msg["params"]))
            else:
                with self.cond:
                    self.responses[msg.get("id")] = msg
                    self.cond.notify_all()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=30):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.time() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError(method)
                self.cond.wait(left)
            return self.responses.pop(rid)

    def wait_version(self, uri, version, timeout=30):
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            t, p = self.diagnostics.get(timeout=left)
            if p["uri"] == uri and p.get("version") == version:
                return t, p

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def uri_of(path):
    return "file://" + path


def dockerfile(lines, runs):
    """A Dockerfile of exactly `lines` lines with `runs` RUN instructions."""
    out = ["FROM python:3.12-slim", "WORKDIR /app", "COPY requirements.txt ."]
    fillers = ["ENV LEVEL_{i}=value_{i}", "# note {i}", "LABEL org.example.k{i}=v{i}", "EXPOSE {p}"]
    body = lines - len(out) - 1  # the CMD at the end
    run_every = max(1, body // max(runs, 1))
    i = r = 0
    while len(out) < lines - 1:
        if r < runs and i % run_every == 0:
            out.append(f"RUN pip install package{r} && echo {r}")
            r += 1
        else:
            out.append(fillers[i % len(fillers)].format(i=i, p=8000 + i % 1000))
        i += 1
    out.append("CMD python app.py")
    return "\n".join(out) + "\n"


def percentile(values, p):
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def measure(server, root, name, text):
    path = os.path.join(root, name)
    with open(path, "w") as f:
        f.write(text)
    uri = uri_of(path)
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
    server.wait_version(uri, 1)
    lines = text.splitlines()
    # Line 3 is the first RUN: alternate a small change of its last word.
    target = next(i for i, l in enumerate(lines) if l.startswith("RUN "))
    line = lines[target]
    latencies = []
    for k in range(EDITS):
        version = k + 2
        new = line + (" x" if k % 2 == 0 else "")
        old_len = len(line) + (0 if k % 2 == 0 else 2)
        change = {"range": {"start": {"line": target, "character": 0}, "end": {"line": target, "character": old_len}}, "text": new}
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        arrived, _ = server.wait_version(uri, version)
        latencies.append((arrived - sent) * 1000)
    return latencies


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(repo, "target", "release", "dockside")
    if not os.path.isfile(binary):
        sys.exit(f"{binary} not found: build it with `cargo build --release -p dockside` (or pass the binary's path)")
    print(f"binary: {binary}")
    print(f"goals: p95 < {GOALS['p95_400_ms']} ms on 400 lines, < {GOALS['p95_20_ms']} ms on 20 lines, "
          f"< {GOALS['rss_100_docs_mb']:.0f} MB with 100 documents open")
    ok = True
    with tempfile.TemporaryDirectory(prefix="dockside-lsp-bench-") as root:
        with open(os.path.join(root, "requirements.txt"), "w") as f:
            f.write("flask\n")
        server = Server(binary, root)
        init = server.request("initialize", {"processId": os.getpid(), "rootUri": uri_of(root), "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}}}})
        if "error" in init:
            sys.exit(f"initialize failed: {init['error']}")
        server.notify("initialized", {})
        base_kb = server.rss_kb()

        for name, lines, runs, goal in (("big.Dockerfile", 400, 60, GOALS["p95_400_ms"]), ("small.Dockerfile", 20, 3, GOALS["p95_20_ms"])):
            text = dockerfile(lines, runs)
            lat = measure(server, root, name, text)
            p50, p95, mx = percentile(lat, 50), percentile(lat, 95), max(lat)
            verdict = "ok" if p95 < goal else "OVER GOAL"
            ok &= p95 < goal
            print(f"{lines:>4} lines, {text.count(chr(10)+'RUN ')} RUNs, {EDITS} edits: "
                  f"p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {mx:.2f} ms   (goal p95 < {goal} ms: {verdict})")

        text = dockerfile(400, 60)
        for i in range(100):
            path = os.path.join(root, f"doc{i:03}.Dockerfile")
            uri = uri_of(path)
            server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
        # Wait until all 100 were analysed.
        seen = set()
        deadline = time.time() + 60
        while len(seen) < 100 and time.time() < deadline:
            try:
                _, p = server.diagnostics.get(timeout=1)
            except queue.Empty:
                continue
            if "/doc" in p["uri"]:
                seen.add(p["uri"])
        time.sleep(0.2)
        rss_mb = server.rss_kb() / 1024
        verdict = "ok" if rss_mb < GOALS["rss_100_docs_mb"] else "OVER GOAL"
        ok &= rss_mb < GOALS["rss_100_docs_mb"]
        print(f"RSS with 100 documents (400 lines each) open: {rss_mb:.1f} MB (at start {base_kb / 1024:.1f} MB; "
              f"{len(seen)}/100 analysed; goal < {GOALS['rss_100_docs_mb']:.0f} MB: {verdict})")
        server.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
