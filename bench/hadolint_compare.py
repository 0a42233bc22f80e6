#!/usr/bin/env python3
"""Compare dockside with hadolint, per hadolint rule code, on a corpus of Dockerfiles.

    bench/hadolint_compare.py [--verbose] [--classes FILE] [--dockside BIN] [CORPUS_DIR]

Runs `hadolint --format json` and `dockside check --format json` on every Dockerfile under
CORPUS_DIR (default ../shared/corpus/dockerfiles next to the repository; BuildKit's `__result`
parse files and its `testfiles-negative` cases are skipped). Every dockside rule with a hadolint
alias runs, opt-in ones included. Both tools get the same explicit configuration (hadolint:
`trustedRegistries: [docker.io]` and DL3057 turned on; dockside: the same allowlist for
`untrusted-registry`), so a
`.hadolint.yaml` on the way up changes neither.

Findings are compared per file: for each DL code, the files hadolint flags, the files dockside
flags, both, and the disagreements. `--verbose` lists the disagreeing files (relative to the
corpus), with the class each one has in the classification file (`bench/hadolint-classes.tsv`,
explained in `tests/hadolint-differences.md`).

The two goal metrics:
- recall: files both flag / files hadolint flags that are not hadolint false positives, over
  all mapped codes (goal >= 95 %);
- false positives on DL3006, DL3002, DL3009, DL3042 and DL3018 (the rules users complain
  about): hadolint's (files classified `hadolint-fp`) against dockside's (files classified
  `dockside-fp`); goal: dockside has >= 30 % fewer.

Exit status 0; 1 when a disagreeing file has no class in the classification file.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPLAINED = ["DL3006", "DL3002", "DL3009", "DL3042", "DL3018"]

# Rules with several hadolint aliases: which code a finding stands for, from its message.
MESSAGE_CODES = {
    "package-cache-not-cleaned": [
        ("/var/lib/apt/lists", "DL3009"),
        ("/var/cache/apk", "DL3019"),
        ("/var/cache/yum", "DL3032"),
        ("/var/cache/dnf", "DL3040"),
        ("/var/cache/zypp", "DL3036"),
        ("~/.cache/pip", "DL3042"),
        ("/usr/local/share/.cache/yarn", "DL3060"),
        # npm's cache has no hadolint rule.
        ("~/.npm", None),
    ],
    "multiple-instructions": [
        ("this CMD ", "DL4003"),
        ("this ENTRYPOINT ", "DL4004"),
        ("this HEALTHCHECK ", "DL3012"),
    ],
}

# hadolint's DL3057 is off by default, like dockside's healthcheck-missing: turn both on.
HADOLINT_CONFIG = "trustedRegistries:\n  - docker.io\noverride:\n  info:\n    - DL3057\n"
DOCKSIDE_CONFIG = '[rules.untrusted-registry]\ntrusted-registries = ["docker.io"]\n'


def corpus_files(corpus: Path) -> list[Path]:
    files = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name.endswith("__result"):
            continue
        if "testfiles-negative" in path.name or "testfiles-negative" in path.parts:
            continue
        files.append(path)
    return files


def run_hadolint(files: list[Path], config: Path, jobs: int) -> list[dict]:
    chunks = [files[i : i + 10] for i in range(0, len(files), 10)]

    def one(chunk: list[Path]) -> list[dict]:
        out = subprocess.run(
            ["hadolint", "--no-fail", "--format", "json", "--config", str(config)]
            + [str(p) for p in chunk],
            capture_output=True,
            text=True,
            check=False,
        )
        if not out.stdout.strip():
            sys.exit(f"hadolint failed on {chunk[0]}…: {out.stderr.strip()}")
        return json.loads(out.stdout)

    findings: list[dict] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(one, chunks):
            findings.extend(result)
    return findings


def dockside_rules(dockside: str) -> list[dict]:
    out = subprocess.run(
        [dockside, "rules", "--format", "json"], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def hadolint_aliases(rule: dict) -> list[str]:
    return [a for a in rule["aliases"] if re.fullmatch(r"DL\d{4}", a)]


def run_dockside(dockside: str, files: list[Path], rules: list[dict], config: Path) -> list[dict]:
    select = ",".join(r["name"] for r in rules if hadolint_aliases(r))
    out = subprocess.run(
        [dockside, "check", "--format", "json", "--fail-level", "none", "--config", str(config)]
        + ["--select", select]
        + [str(p) for p in files],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.exit(f"dockside failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


def dockside_code(finding: dict, aliases: dict[str, list[str]]) -> str | None:
    rule = finding["rule"]
    codes = aliases.get(rule, [])
    if len(codes) == 1:
        return codes[0]
    for needle, code in MESSAGE_CODES.get(rule, []):
        if needle in finding["message"]:
            return code
    if codes:
        sys.exit(f"cannot tell which of {codes} this {rule} finding is: {finding['message']}")
    return None


def read_classes(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(code, file) -> (class, section) from the classification file."""
    classes = {}
    if not path.is_file():
        return classes
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            sys.exit(f"{path}:{number}: expected 4 tab-separated fields: code, file, class, section")
        code, file, cls, section = parts
        if cls not in ("hadolint-fp", "hadolint-fn", "design", "dockside-fp", "dockside-fn"):
            sys.exit(f"{path}:{number}: unknown class `{cls}`")
        classes[(code, file)] = (cls, section)
    return classes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/dockerfiles"))
    parser.add_argument("--verbose", "-v", action="store_true", help="list disagreeing files")
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown (for the differences doc)"
    )
    parser.add_argument("--classes", default=str(ROOT / "bench/hadolint-classes.tsv"))
    parser.add_argument("--dockside", default=str(ROOT / "target/release/dockside"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--save", metavar="DIR", help="write both tools' raw findings to DIR")
    parser.add_argument(
        "--hadolint-json", metavar="FILE", help="read hadolint's findings from FILE (from --save)"
    )
    args = parser.parse_args()

    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    files = corpus_files(corpus)
    rules = dockside_rules(args.dockside)
    aliases = {r["name"]: hadolint_aliases(r) for r in rules if hadolint_aliases(r)}
    mapped = sorted({code for codes in aliases.values() for code in codes})

    with tempfile.TemporaryDirectory() as tmp:
        hconf = Path(tmp, "hadolint.yaml")
        hconf.write_text(HADOLINT_CONFIG)
        dconf = Path(tmp, "dockside.toml")
        dconf.write_text(DOCKSIDE_CONFIG)
        if args.hadolint_json:
            hadolint = json.loads(Path(args.hadolint_json).read_text())
        else:
            hadolint = run_hadolint(files, hconf, args.jobs)
        dockside = run_dockside(args.dockside, files, rules, dconf)
    if args.save:
        Path(args.save).mkdir(parents=True, exist_ok=True)
        Path(args.save, "hadolint.json").write_text(json.dumps(hadolint, indent=1))
        Path(args.save, "dockside.json").write_text(json.dumps(dockside, indent=1))

    def rel(path: str) -> str:
        return str(Path(path).resolve().relative_to(corpus))

    by_h: dict[str, set[str]] = collections.defaultdict(set)
    unmapped: collections.Counter[str] = collections.Counter()
    for f in hadolint:
        if f["code"] in mapped:
            by_h[f["code"]].add(rel(f["file"]))
        elif f["code"].startswith("DL"):
            unmapped[f["code"]] += 1
    by_d: dict[str, set[str]] = collections.defaultdict(set)
    for f in dockside:
        code = dockside_code(f, aliases)
        if code in mapped:
            by_d[code].add(rel(f["path"]))

    classes = read_classes(Path(args.classes))
    unclassified = []
    counts = collections.Counter()  # (code, class) -> files
    names = {code: name for name, codes in aliases.items() for code in codes}
    rows = []
    total = collections.Counter()
    for code in mapped:
        h, d = by_h[code], by_d[code]
        if not h and not d:
            continue
        both, h_only, d_only = h & d, h - d, d - h
        union = len(h | d)
        rows.append((code, names[code], len(h), len(d), len(both), len(h_only), len(d_only), union))
        total.update(hadolint=len(h), dockside=len(d), both=len(both), h_only=len(h_only), d_only=len(d_only))
        for side, group in (("hadolint-only", h_only), ("dockside-only", d_only)):
            for file in sorted(group):
                cls = classes.get((code, file))
                if cls is None:
                    unclassified.append((code, side, file))
                else:
                    counts[(code, cls[0])] += 1
    if args.markdown:
        print("| code | dockside rule | hadolint | dockside | both | hadolint only | dockside only | agreement |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for code, name, h, d, b, ho, do, union in rows:
            print(f"| {code} | `{name}` | {h} | {d} | {b} | {ho} | {do} | {100 * b / union:.0f} % |")
        print(
            f"| **total** | | {total['hadolint']} | {total['dockside']} | {total['both']} | "
            f"{total['h_only']} | {total['d_only']} | |"
        )
    else:
        print(f"files: {len(files)} (from {corpus})")
        print()
        header = (
            f"{'code':<7} {'rule':<28} {'hadolint':>8} {'dockside':>8} {'both':>5} "
            f"{'h-only':>6} {'d-only':>6}  agreement"
        )
        print(header)
        print("-" * len(header))
        for code, name, h, d, b, ho, do, union in rows:
            print(f"{code:<7} {name:<28} {h:>8} {d:>8} {b:>5} {ho:>6} {do:>6}  {100 * b / union:5.1f} %")
            if args.verbose:
                for side, group in (("hadolint-only", by_h[code] - by_d[code]), ("dockside-only", by_d[code] - by_h[code])):
                    for file in sorted(group):
                        cls = classes.get((code, file))
                        label = f"{cls[0]} ({cls[1]})" if cls else "UNCLASSIFIED"
                        print(f"    {side:<13} {file}  [{label}]")
        print("-" * len(header))
        print(
            f"{'total':<36} {total['hadolint']:>8} {total['dockside']:>8} {total['both']:>5} "
            f"{total['h_only']:>6} {total['d_only']:>6}  (file-rule pairs)"
        )
    if unmapped:
        print()
        print(
            "hadolint codes with no dockside rule (findings): "
            + ", ".join(f"{c} {n}" for c, n in sorted(unmapped.items()))
        )

    # Goal 1: recall of hadolint's true positives.
    h_fp = sum(n for (code, cls), n in counts.items() if cls == "hadolint-fp")
    h_true = total["hadolint"] - h_fp
    recall = total["both"] / h_true if h_true else 1.0
    # Goal 2: false positives on the rules users complain about.
    h_fp_c = sum(counts[(code, "hadolint-fp")] for code in COMPLAINED)
    d_fp_c = sum(counts[(code, "dockside-fp")] for code in COMPLAINED)
    print()
    print(
        f"recall: dockside flags {total['both']} of hadolint's {h_true} true-positive file-rule pairs "
        f"({total['hadolint']} flagged - {h_fp} hadolint false positives): {100 * recall:.1f} % (goal >= 95 %)"
    )
    if h_fp_c:
        reduction = 1 - d_fp_c / h_fp_c
        print(
            f"false positives on {', '.join(COMPLAINED)}: hadolint {h_fp_c}, dockside {d_fp_c}: "
            f"{100 * reduction:.0f} % fewer (goal >= 30 %)"
        )
    else:
        print(f"false positives on {', '.join(COMPLAINED)}: none classified for hadolint")
    disagreeing = {
        (code, file) for code in mapped for file in by_h[code] ^ by_d[code]
    }
    stale = sorted(key for key in classes if key not in disagreeing)
    if stale:
        print()
        print(f"{len(stale)} entries of {args.classes} no longer disagree (remove them):")
        for code, file in stale:
            print(f"    {code} {file}")
    if unclassified:
        print()
        print(f"{len(unclassified)} disagreeing files have no class in {args.classes}:")
        for code, side, file in unclassified:
            print(f"    {code} {side:<13} {file}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
