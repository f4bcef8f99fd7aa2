#!/usr/bin/env python3
"""Accuracy report on the public benchmark repositories in ../shared/corpora.

leaky-repo's .leaky-meta/secrets.csv gives, per file, how many lines hold a
real risk and how many hold informative data (no line numbers). For each
file this prints the lines sprawl reports against those counts; a file's
risk lines count as found up to its expected number, and lines beyond
risk + informative, or in unlisted files, count as false positives.
As a per-line cross-check, some leaky-repo files mark lines in comments
("# Risk" above a line, "# Informative" after it): the report lists which
of those marked lines sprawl reports. test_keys is scanned as git history
and its findings listed.

usage: bench/accuracy.py [SPRAWL_BINARY] > docs/accuracy.md
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPRAWL = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                         else os.path.join(ROOT, "build", "sprawl"))
SHARED = os.environ.get("SPRAWL_SHARED_DIR",
                        os.path.join(ROOT, "..", "shared"))


def clone(bundle, dest):
    subprocess.run(["git", "clone", "-q", bundle, dest], check=True)


def scan(args):
    r = subprocess.run([SPRAWL, "scan", "--format", "json", "-q",
                        "--no-progress", *args], capture_output=True,
                       text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"sprawl failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def expected_counts(repo):
    out = {}
    with open(os.path.join(repo, ".leaky-meta", "secrets.csv")) as f:
        rows = [l for l in f if l.strip() and not l.startswith("#")]
    for row in csv.reader(io.StringIO("".join(rows))):
        out[row[0]] = (int(row[1]), int(row[2]))
    return out


# A comment line that marks the next line, or a trailing comment that marks
# its own line, as in leaky-repo's "# Risk", "<!-- Informative -->".
MARK_ABOVE = re.compile(
    r"^\s*(?:#|//|<!--)\s*(?:Security\s+)?(Risk|Informative)\b", re.I)
MARK_AFTER = re.compile(
    r"^\s*[^\s#/<].*?(?:#|//)\s*(Risk|Sensitive|Informative)\b", re.I)


def marked_lines(path):
    """{line number: "risk" or "informative"} from the file's comments."""
    marks = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
    except OSError:
        return marks
    for i, text in enumerate(lines):
        above = MARK_ABOVE.match(text)
        if above:
            j = i + 1
            while j < len(lines) and (not lines[j].strip()
                                      or MARK_ABOVE.match(lines[j])):
                j += 1
            if j < len(lines):
                marks[j + 1] = above.group(1).lower()
            continue
        after = MARK_AFTER.match(text)
        if after:
            word = after.group(1).lower()
            marks[i + 1] = "informative" if word == "informative" else "risk"
    return marks


def leaky_report(tmp):
    repo = os.path.join(tmp, "leaky-repo")
    clone(os.path.join(SHARED, "corpora", "leaky-repo.bundle"), repo)
    expected = expected_counts(repo)
    findings = scan(["--no-git", "--exclude", ".leaky-meta", repo])
    lines = {}
    for f in findings:
        path = os.path.relpath(f["location"]["path"], repo)
        lines.setdefault(path, {}).setdefault(f["location"]["line"],
                                              set()).add(f["rule_id"])
    out = ["## leaky-repo", "",
           "| file | risk lines | informative lines | lines reported | "
           "risk found | false positives | rules | lines |",
           "|---|---|---|---|---|---|---|---|"]
    total_risk = found_risk = false_pos = 0
    for path in sorted(set(expected) | set(lines)):
        risk, info = expected.get(path, (0, 0))
        got = lines.get(path, {})
        n = len(got)
        found = min(n, risk)
        fp = max(0, n - risk - info) if path in expected else n
        total_risk += risk
        found_risk += found
        false_pos += fp
        rules = ", ".join(sorted({r for rs in got.values() for r in rs}))
        mark = "" if found == risk and fp == 0 else " ⚠"
        numbers = ", ".join(str(l) for l in sorted(got))
        out.append(f"| `{path}`{mark} | {risk} | {info} | {n} | {found} | "
                   f"{fp} | {rules} | {numbers} |")
    out += ["", f"**Risk lines found: {found_risk} of {total_risk}; "
            f"false-positive lines: {false_pos}.**", ""]
    out += marked_report(repo, expected, lines)
    return out


def marked_report(repo, expected, lines):
    """Per-line check against the lines the files mark themselves."""
    out = ["### Per-line check on the lines the files mark in comments", "",
           "| file | marked risk lines | reported | not reported | "
           "marked informative lines reported |", "|---|---|---|---|---|"]
    n_risk = n_found = 0
    for path in sorted(expected):
        marks = marked_lines(os.path.join(repo, path))
        if not marks:
            continue
        got = lines.get(path, {})
        risk = sorted(l for l, k in marks.items() if k == "risk")
        found = [l for l in risk if l in got]
        missed = [l for l in risk if l not in got]
        info = sorted(l for l, k in marks.items()
                      if k == "informative" and l in got)
        n_risk += len(risk)
        n_found += len(found)
        out.append(f"| `{path}` | {len(risk)} | {len(found)} | "
                   f"{', '.join(map(str, missed))} | "
                   f"{', '.join(map(str, info))} |")
    out += ["", f"**Marked risk lines reported: {n_found} of {n_risk}.**", ""]
    return out


def test_keys_report(tmp):
    repo = os.path.join(tmp, "test_keys")
    clone(os.path.join(SHARED, "corpora", "test_keys.bundle"), repo)
    findings = scan([repo])
    out = ["## test_keys (git history)", "",
           "| rule | path | line | commit | summary |", "|---|---|---|---|---|"]
    for f in findings:
        loc = f["location"]
        commit = loc.get("commit") or {}
        out.append(f"| {f['rule_id']} | `{loc['path']}` | {loc['line']} | "
                   f"{commit.get('id', '')[:10]} | {commit.get('summary', '')} |")
    out += ["", f"**{len(findings)} findings.**", ""]
    return out


def main():
    version = subprocess.run([SPRAWL, "--version"], capture_output=True,
                             text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                             "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        body = leaky_report(tmp) + test_keys_report(tmp)
    print("# Accuracy on public benchmark repositories\n")
    print(f"Generated by `bench/accuracy.py build/sprawl > docs/accuracy.md` "
          f"({version}, commit {commit}). leaky-repo is scanned as files at "
          "its HEAD (its metadata counts lines of those files); test_keys as "
          "git history.\n")
    print("\n".join(body))


if __name__ == "__main__":
    main()
