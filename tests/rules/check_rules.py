#!/usr/bin/env python3
"""Static self-check of the rule files in rules/*.toml (Python 3.11+, stdlib).

Checks the schema (ids, required fields, vocabularies), lints each regex for
constructs RE2 or Hyperscan reject, and runs every example and negative
example through an approximation of the matcher: Python `re` stands in for
RE2, then the entropy gate and a copy of the placeholder filter. It does not
model how the matcher settles two rules reporting one span; the real pipeline
check, `build/sprawl rules check rules/`, does. This script needs no build.

Usage: check_rules.py [RULES_DIR_OR_FILE ...]   (default: <repo>/rules)
Exit status: 0 clean, 1 problems found.
"""
import math
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

REQUIRED = ("id", "name", "provider", "kind", "regex", "severity", "confidence",
            "description", "remediation", "references", "examples",
            "negative_examples")
OPTIONAL = ("keywords", "min_entropy")
KINDS = {"api-key", "access-token", "oauth-client-secret", "bot-token",
         "webhook-url", "cloud-access-key", "service-account-key",
         "private-key", "database-credential", "password", "jwt",
         "generic-secret"}
SEVERITIES = {"low", "medium", "high", "critical"}
CONFIDENCES = {"low", "medium", "high"}
GROUP_NAMES = {"secret", "id", "host", "user", "email"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_REPEAT = 1000  # RE2 rejects a counted repetition above this
# Above this upper bound RE2 leaves its DFA and matching gets 10-1000x
# slower (measured); write {m,} and let the scanner's window bound it.
MAX_COUNTED = 300


def entropy(text):
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


# Mirror of the matcher's false-positive filter (src/matcher/filters.cpp),
# with the stricter run length the rule guidelines ask examples to respect.
PLACEHOLDER_WORDS = ("example", "placeholder", "changeme", "change_me",
                     "dummy", "redacted", "your_", "your-", "yourkey",
                     "replace_me", "replaceme", "xxxxxx")
TEMPLATE_MARKERS = ("${", "{{", "%(", "****", "...", "\u2026")
MIN_TRIVIAL_RUN = 6


def looks_like_template(secret):
    if any(marker in secret for marker in TEMPLATE_MARKERS):
        return True
    if secret.startswith("<") and secret.endswith(">"):
        return True
    return (len(secret) > 1 and secret[0] == "$"
            and (secret[1].isupper() or secret[1] == "_"))


def has_trivial_run(secret):
    """6 equal, ascending or descending alphanumerics in a row."""
    same = up = down = 1
    for prev, cur in zip(secret, secret[1:]):
        both = prev.isalnum() and cur.isalnum()
        same = same + 1 if both and cur == prev else 1
        up = up + 1 if both and ord(cur) == ord(prev) + 1 else 1
        down = down + 1 if both and ord(cur) == ord(prev) - 1 else 1
        if max(same, up, down) >= MIN_TRIVIAL_RUN:
            return True
    return False


def looks_like_placeholder(secret, kind=""):
    if kind == "private-key":
        low = secret.lower()
        return (looks_like_template(secret) or "example" in low
                or "xxxxxxxx" in low)
    low = secret.lower()
    return (looks_like_template(secret)
            or any(word in low for word in PLACEHOLDER_WORDS)
            or has_trivial_run(secret))


def lint_regex(regex):
    """Problems RE2 or Hyperscan would raise, found by a small scanner."""
    problems = []
    for bad, why in ((r"(?=", "lookahead"), (r"(?!", "lookahead"),
                     (r"(?<=", "lookbehind"), (r"(?<!", "lookbehind"),
                     (r"(?>", "atomic group"), (r"\p{", "unicode class"),
                     (r"\P{", "unicode class"), (r"\k<", "backreference")):
        if bad in regex:
            problems.append(f"{why} ({bad}) is not RE2")
    i, in_class = 0, False
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            nxt = regex[i + 1:i + 2]
            if nxt.isdigit() and nxt != "0" and not in_class:
                problems.append(f"backreference \\{nxt} is not RE2")
            if nxt in ("Z", "G"):
                problems.append(f"\\{nxt} is not RE2")
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            i += 1
            continue
        if c == "[":
            in_class = True
            i += 1
            if regex[i:i + 1] == "^":
                i += 1
            if regex[i:i + 1] == "]":
                i += 1
            continue
        if c in "*+" and i > 0:
            problems.append(f"'{c}' at {i}: write {{m,n}} or {{m,}} instead")
        if c in "*+?}" and regex[i + 1:i + 2] == "+":
            problems.append(f"possessive quantifier at {i} is not RE2")
        if c == "{":
            m = re.match(r"\{(\d+)(?:,(\d*))?\}", regex[i:])
            if m:
                for n in (m.group(1), m.group(2)):
                    if n and int(n) > MAX_REPEAT:
                        problems.append(f"repeat {m.group(0)} exceeds RE2's "
                                        f"limit of {MAX_REPEAT}")
                if m.group(2) and int(m.group(2)) > MAX_COUNTED:
                    problems.append(f"repeat {m.group(0)} at {i}: bounds above "
                                    f"{MAX_COUNTED} make RE2 slow; use "
                                    f"{{{m.group(1)},}}")
        i += 1
    problems.extend(nested_repeat_problems(regex))
    problems.extend(anchor_problems(regex))
    names = re.findall(r"\(\?P<(\w+)>", regex)
    for name in names:
        if name not in GROUP_NAMES:
            problems.append(f"unknown named group '{name}'")
    for name, count in Counter(names).items():
        if count > 1:
            problems.append(f"named group '{name}' appears {count} times")
    if "secret" not in names:
        problems.append("no named group 'secret'")
    return problems


LEADING_GROUPS = re.compile(r"(?:\((?:\?[a-z]*:)?|\(\?[a-z]+\))*")


def anchor_problems(regex):
    """Hyperscan accepts ^ only at the start of a pattern and $ only at its
    end (for example (?:^|[^a-z]) first, (?:[^a-z]|$) last)."""
    problems, i, in_class = [], 0, False
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1
            if regex[i:i + 1] == "^":
                i += 1
            if regex[i:i + 1] == "]":
                i += 1
            continue
        elif c == "^" and not LEADING_GROUPS.fullmatch(regex[:i]):
            problems.append(f"'^' at {i} is not at the pattern start, "
                            "which Hyperscan rejects")
        elif c == "$" and regex[i + 1:].strip(")"):
            problems.append(f"'$' at {i} is not at the pattern end, "
                            "which Hyperscan rejects")
        i += 1
    return problems


def nested_repeat_problems(regex):
    """RE2 also rejects counted repeats whose nested maxima multiply past
    1000, e.g. (?:[a-z]{1,200}\\.){0,9}."""
    frames = [0]          # per open group: largest repeat product inside
    last = None           # product carried by the previous atom, if any
    i = 0
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i, last = i + 2, 1
            continue
        if c == "[":
            j = i + 1
            if regex[j:j + 1] == "^":
                j += 1
            if regex[j:j + 1] == "]":
                j += 1
            while j < len(regex) and regex[j] != "]":
                j += 2 if regex[j] == "\\" else 1
            i, last = j + 1, 1
            continue
        if c == "(":
            frames.append(0)
            i, last = i + 1, None
            continue
        if c == ")":
            inner = frames.pop() if len(frames) > 1 else 0
            i, last = i + 1, max(inner, 1)
            frames[-1] = max(frames[-1], inner)
            continue
        m = re.match(r"\{(\d+)(?:,(\d*))?\}", regex[i:]) if c == "{" else None
        if m and last is not None:
            hi = int(m.group(2)) if m.group(2) else int(m.group(1))
            product = max(hi, 1) * last
            if product > MAX_REPEAT and last > 1:
                return [f"nested repeats multiply to {product} at {i}, "
                        f"above RE2's limit of {MAX_REPEAT}"]
            frames[-1] = max(frames[-1], product)
            i += len(m.group(0))
            continue
        last = None if c == "|" else (last if c in "*+?" else 1)
        i += 1
    return []


def check_rule(rule, where, seen_ids):
    errors = []
    err = lambda msg: errors.append(f"{where}: {msg}")
    rid = rule.get("id", "?")
    for field in REQUIRED:
        if field not in rule or rule[field] in ("", [], None):
            err(f"missing or empty field '{field}'")
    for field in rule:
        if field not in REQUIRED and field not in OPTIONAL:
            err(f"unknown field '{field}'")
    if not isinstance(rid, str) or not SLUG.fullmatch(rid):
        err(f"id '{rid}' is not a lowercase slug")
    if rid in seen_ids:
        err(f"id '{rid}' also defined in {seen_ids[rid]}")
    seen_ids.setdefault(rid, where)
    provider = rule.get("provider", "")
    if not isinstance(provider, str) or not SLUG.fullmatch(provider):
        err(f"provider '{provider}' is not a lowercase slug")
    elif isinstance(rid, str) and not rid.startswith(provider + "-"):
        err(f"id '{rid}' does not start with its provider '{provider}-'")
    if rule.get("kind") not in KINDS:
        err(f"kind '{rule.get('kind')}' not in the vocabulary")
    if rule.get("severity") not in SEVERITIES:
        err(f"severity '{rule.get('severity')}' not in the vocabulary")
    if rule.get("confidence") not in CONFIDENCES:
        err(f"confidence '{rule.get('confidence')}' not in the vocabulary")
    keywords = rule.get("keywords", [])
    if not isinstance(keywords, list) or any(
            not isinstance(k, str) or not k or k != k.lower()
            for k in keywords):
        err("keywords must be non-empty lowercase strings")
        keywords = []
    min_entropy = rule.get("min_entropy", 0.0)
    if not isinstance(min_entropy, (int, float)) or min_entropy < 0:
        err("min_entropy must be a non-negative number")
        min_entropy = 0.0
    refs = rule.get("references", [])
    if not isinstance(refs, list) or any(
            not str(r).startswith("https://") for r in refs):
        err("references must be https URLs")
    regex = rule.get("regex", "")
    if not isinstance(regex, str):
        return errors + [f"{where}: regex is not a string"]
    for problem in lint_regex(regex):
        err(problem)
    try:
        compiled = re.compile(regex, re.ASCII)
    except re.error as exc:
        print(f"{where}: note: Python cannot compile the regex ({exc}); "
              "examples not run", file=sys.stderr)
        return errors
    if "secret" not in compiled.groupindex:
        return errors
    for example in rule.get("examples", []):
        m = compiled.search(example)
        if not m or not m.group("secret"):
            err(f"example not matched: {example[:80]!r}")
            continue
        secret = m.group("secret")
        if entropy(secret) < min_entropy:
            err(f"example secret entropy {entropy(secret):.2f} < "
                f"{min_entropy}: {secret[:40]!r}")
        if looks_like_placeholder(secret, rule.get("kind")):
            err(f"example secret looks like a placeholder: {secret[:40]!r}")
        if keywords and not any(k in example.lower() for k in keywords):
            err(f"example contains none of the keywords: {example[:60]!r}")
    for example in rule.get("negative_examples", []):
        for m in compiled.finditer(example):
            secret = m.group("secret") or ""
            if (entropy(secret) >= min_entropy
                    and not looks_like_placeholder(secret, rule.get("kind"))):
                err(f"negative example reported: {example[:80]!r} "
                    f"-> {secret[:40]!r}")
                break
    return errors


def rule_files(args):
    root = Path(__file__).resolve().parents[2] / "rules"
    for arg in args or [root]:
        path = Path(arg)
        yield from sorted(path.glob("*.toml")) if path.is_dir() else [path]


def main(argv):
    errors, seen_ids, counts = [], {}, {}
    for path in rule_files(argv[1:]):
        try:
            with open(path, "rb") as f:
                doc = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            errors.append(f"{path}: {exc}")
            continue
        rules = doc.get("rules")
        if not isinstance(rules, list) or not rules:
            errors.append(f"{path}: no [[rules]]")
            continue
        counts[path.name] = len(rules)
        for rule in rules:
            where = f"{path.name}:{rule.get('id', '?')}"
            errors.extend(check_rule(rule, where, seen_ids))
    for line in errors:
        print(line)
    total = sum(counts.values())
    print(f"{total} rules in {len(counts)} files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
