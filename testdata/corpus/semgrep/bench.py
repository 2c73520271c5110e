#!/usr/bin/env python3
"""connlint against semgrep on the real-crate corpus: speed and findings.

    python3 testdata/corpus/semgrep/bench.py [--rounds N] [--jobs N]

Installs semgrep from PyPI into a virtualenv (target/semgrep-venv), fetches
the corpus, builds connlint (release), then runs both tools over the same
crate folders, each `--rounds` times, and prints the best wall times, their
ratio and what each found per rule, with the overlap and, for connlint, the
verdicts of testdata/corpus/triage.toml. Writes target/corpus/semgrep.md.
Needs only Python 3 and the Rust toolchain; CI never runs it.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "testdata" / "corpus"
RULES = CORPUS / "semgrep" / "connlint.yml"
SEMGREP_VERSION = "1.185.0"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def semgrep_bin():
    venv = ROOT / "target" / "semgrep-venv"
    exe = venv / "bin" / "semgrep"
    if not exe.exists():
        print(f"installing semgrep {SEMGREP_VERSION} into {venv}", flush=True)
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "pip"), "install", "-q", f"semgrep=={SEMGREP_VERSION}"])
    return exe


def corpus_crates():
    manifest = CORPUS / "Cargo.toml"
    run(["cargo", "fetch", "--locked", "--manifest-path", str(manifest)])
    meta = json.loads(
        run(
            ["cargo", "metadata", "--locked", "--format-version", "1", "--manifest-path", str(manifest)],
            capture_output=True,
        ).stdout
    )
    root = meta["resolve"]["root"]
    node = next(n for n in meta["resolve"]["nodes"] if n["id"] == root)
    packages = {p["id"]: p for p in meta["packages"]}
    crates = []
    for dep in node["dependencies"]:
        p = packages[dep]
        crates.append((p["name"], Path(p["manifest_path"]).parent))
    return sorted(crates)


def build_connlint():
    run(["cargo", "build", "--release", "--quiet", "--bin", "connlint"], cwd=ROOT)
    return target_dir() / "release" / "connlint"


def crate_relative(path, crates):
    """`<crate>/<path in package>` for a file under one of the crate folders."""
    path = Path(path).resolve()
    for name, folder in crates:
        try:
            return f"{name}/{path.relative_to(folder.resolve())}"
        except ValueError:
            continue
    return str(path)


def time_best(cmd, rounds, cwd, ok_codes):
    best, output = None, None
    for _ in range(rounds):
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode not in ok_codes:
            sys.exit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        if best is None or elapsed < best:
            best = elapsed
        output = proc.stdout
    return best, output


def markers():
    """The `//~ rule` markers of the rule fixtures and seeds: {(path, line): {rules}}."""
    found = {}
    for folder in ("rules", "seeds"):
        for path in sorted((ROOT / "testdata" / folder).rglob("*.rs")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                rules = set()
                for marker in line.split("//~")[1:]:
                    rules.update(marker.split())
                if rules:
                    found[(str(path.resolve()), number)] = rules
    return found


def fixture_score(hits, expected):
    """(markers found, markers in all, hits without a marker) for (rule, path, line) hits."""
    total = sum(len(r) for r in expected.values())
    found = {(rule, path, line) for rule, path, line in hits if rule in expected.get((path, line), ())}
    return len(found), total, len([h for h in hits if h not in found])


def fixtures(connlint, semgrep, work):
    """Both tools on the rule fixtures, whose markers say what must be found."""
    folders = [str(ROOT / "testdata" / "rules"), str(ROOT / "testdata" / "seeds")]
    # connlint one fixture at a time, as its fixture test does: linted
    # together they would form one crate whose functions see each other.
    c = {"findings": []}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.rs")):
            flags = ["--include-tests"] if "//@ include-tests" in path.read_text() else []
            run_one = subprocess.run(
                [str(connlint), "--format", "json", *flags, str(path)],
                cwd=work, capture_output=True, text=True,
            )
            c["findings"] += json.loads(run_one.stdout)["findings"]
    s = json.loads(
        subprocess.run(
            [str(semgrep), "scan", "--config", str(RULES), "--json", "--metrics=off",
             "--disable-version-check", "--no-git-ignore", "--quiet", *folders],
            cwd=work, capture_output=True, text=True,
        ).stdout
    )
    absolute = lambda p: str((Path(work) / p).resolve())
    c_hits = [(f["rule"], absolute(f["path"]), f["line"]) for f in c["findings"]]
    s_hits = [(r["check_id"].rsplit(".", 1)[-1], absolute(r["path"]), r["start"]["line"]) for r in s["results"]]
    expected = markers()
    return fixture_score(c_hits, expected), fixture_score(s_hits, expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    semgrep = semgrep_bin()
    crates = corpus_crates()
    connlint = build_connlint()
    folders = [str(folder) for _, folder in crates]

    # semgrep skips tests/ and similar folders by default (its built-in
    # .semgrepignore); an empty .semgrepignore in the working directory makes
    # it read the same files as connlint, which parses test files too (and
    # reports in them only with --include-tests, as here).
    with tempfile.TemporaryDirectory() as work:
        Path(work, ".semgrepignore").write_text("")
        c_time, c_out = time_best(
            [str(connlint), "--format", "json", *folders], args.rounds, work, {0, 1}
        )
        s_time, s_out = time_best(
            [
                str(semgrep), "scan", "--config", str(RULES), "--json", "--metrics=off",
                "--disable-version-check", "--no-git-ignore", "--jobs", str(args.jobs),
                "--max-target-bytes", "0", "--timeout", "0", "--quiet", *folders,
            ],
            args.rounds, work, {0, 1},
        )
        c_fix, s_fix = fixtures(connlint, semgrep, work)

    c_json, s_json = json.loads(c_out), json.loads(s_out)
    c_found = [
        (f["rule"], crate_relative(f["path"], crates), f["line"]) for f in c_json["findings"]
    ]
    s_found = [
        (r["check_id"].rsplit(".", 1)[-1], crate_relative(r["path"], crates), r["start"]["line"])
        for r in s_json["results"]
    ]
    s_scanned = len(s_json.get("paths", {}).get("scanned", []))

    # connlint's verdicts, by path and line (the triage keys do not hold lines,
    # so match through the corpus report's own run: same rule, file, line).
    labels = tomllib.loads((CORPUS / "triage.toml").read_text()).get("finding", [])
    verdict_by_file_rule = defaultdict(list)
    for entry in labels:
        path, rule, _ = entry["key"].split(" ", 2)
        verdict_by_file_rule[(rule, path)].append(entry["verdict"])
    c_tp = sum(
        1 for rule, path, _ in c_found if "tp" in verdict_by_file_rule.get((rule, path), [])
    )

    rules = sorted({r for r, _, _ in c_found} | {r for r, _, _ in s_found})
    c_rules, s_rules = Counter(r for r, _, _ in c_found), Counter(r for r, _, _ in s_found)
    both = set(c_found) & set(s_found)
    both_rules = Counter(r for r, _, _ in both)

    lines = [
        "# connlint vs semgrep on the corpus",
        "",
        f"{len(crates)} crates; connlint scanned {c_json['files_scanned']} files, "
        f"semgrep {s_scanned}; best of {args.rounds} rounds, {args.jobs} jobs.",
        "",
        "| tool | wall time | findings |",
        "|---|---:|---:|",
        f"| connlint | {c_time:.2f} s | {len(c_found)} |",
        f"| semgrep {SEMGREP_VERSION} | {s_time:.2f} s | {len(s_found)} |",
        "",
        f"semgrep / connlint time: {s_time / c_time:.1f}x",
        "",
        "| rule | connlint | semgrep | same file and line |",
        "|---|---:|---:|---:|",
    ]
    for rule in rules:
        lines.append(f"| {rule} | {c_rules[rule]} | {s_rules[rule]} | {both_rules[rule]} |")
    lines += [
        "",
        "On the rule fixtures (`//~ rule` markers say what must be found):",
        "",
        "| tool | markers found | hits without a marker |",
        "|---|---:|---:|",
        f"| connlint | {c_fix[0]} of {c_fix[1]} | {c_fix[2]} |",
        f"| semgrep | {s_fix[0]} of {s_fix[1]} | {s_fix[2]} |",
    ]
    lines += [
        "",
        f"connlint findings in files whose same-rule labels include a true positive: {c_tp}",
        "",
        "## semgrep findings",
        "",
    ]
    for rule, path, line in sorted(s_found):
        mark = " (connlint too)" if (rule, path, line) in both else ""
        lines.append(f"- {rule} `{path}:{line}`{mark}")
    text = "\n".join(lines) + "\n"
    out = ROOT / "target" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    (out / "semgrep.md").write_text(text)
    print(text.split("## semgrep findings")[0])
    print(f"report: {out / 'semgrep.md'}")


if __name__ == "__main__":
    main()
