#!/usr/bin/env bash
# End-to-end filesystem scan: `sprawl scan DIR` against `rg` searching one
# literal over the same tree, alternated in one invocation so that both see
# the same machine load and page cache. Prints mean ± stddev and the ratio,
# and saves raw.csv and summary.md under bench/results/<date>-<host>/.
#
# A third timing uses only the 58 rules of the providers part 1 started with
# (github, slack, aws, private keys, generic, jwt), to show what the grown
# rule set costs.
#
# usage: bench/macro/fs_vs_rg.sh [DIR] [RUNS]   (default: /usr/include, 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/usr/include}
runs=${2:-10}
sprawl=${SPRAWL:-build/sprawl}
command -v rg >/dev/null || { echo "needs ripgrep (apt-get install ripgrep)" >&2; exit 2; }
out="bench/results/$(date +%Y-%m-%d)-$(hostname -s)"
mkdir -p "$out"
raw="$out/fs_vs_rg.csv"
echo "tool,run,seconds" > "$raw"

bytes=$(du -sb --apparent-size "$dir" | cut -f1)
files=$(find "$dir" -type f | wc -l)
# Warm the page cache and the compiled-rule cache once.
"$sprawl" scan "$dir" --format json -o /dev/null -q --max-file-size 64M || true
rg -c --no-ignore --hidden -uuu "sk_live_" "$dir" >/dev/null || true

subset=$(mktemp -d)
trap 'rm -rf "$subset"' EXIT
for f in github slack aws private-keys generic jwt; do cp "rules/$f.toml" "$subset/"; done
"$sprawl" scan "$dir" --no-builtin-rules --rules "$subset" --format json \
  -o /dev/null -q --max-file-size 64M || true

now() { date +%s%N; }
for i in $(seq "$runs"); do
  t0=$(now)
  "$sprawl" scan "$dir" --format json -o /tmp/sprawl-bench.json -q \
    --max-file-size 64M || true
  t1=$(now)
  rg -c -uuu "sk_live_" "$dir" >/dev/null || true
  t2=$(now)
  "$sprawl" scan "$dir" --no-builtin-rules --rules "$subset" --format json \
    -o /dev/null -q --max-file-size 64M || true
  t3=$(now)
  echo "sprawl,$i,$(( (t1 - t0) / 1000 ))e-6" >> "$raw"
  echo "rg,$i,$(( (t2 - t1) / 1000 ))e-6" >> "$raw"
  echo "sprawl-58-rules,$i,$(( (t3 - t2) / 1000 ))e-6" >> "$raw"
done
findings=$(python3 -c 'import json;print(len(json.load(open("/tmp/sprawl-bench.json"))))')

python3 - "$raw" "$bytes" "$files" "$findings" "$dir" "$out/summary.md" <<'PY'
import csv, statistics, sys, subprocess
raw, nbytes, files, findings, d, summary = sys.argv[1:]
rows = list(csv.DictReader(open(raw)))
tools = ("sprawl", "sprawl-58-rules", "rg")
t = {k: [float(r["seconds"]) for r in rows if r["tool"] == k] for k in tools}
mb = int(nbytes) / 1e6
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
lines = [f"# filesystem scan vs ripgrep ({d})", "",
         f"commit {commit}; {files} files, {mb:.1f} MB; {len(t['sprawl'])} alternated runs; 2 cores",
         f"command: bench/macro/fs_vs_rg.sh {d}", "",
         "| tool | mean s | stddev s | MB/s | findings |", "|---|---|---|---|---|"]
for k in tools:
    m, s = statistics.mean(t[k]), statistics.pstdev(t[k])
    lines.append(f"| {k} | {m:.3f} | {s:.3f} | {mb / m:.0f} | {findings if k == 'sprawl' else ('n/a (one literal)' if k == 'rg' else '')} |")
ratio = statistics.mean(t["sprawl"]) / statistics.mean(t["rg"])
grown = statistics.mean(t["sprawl"]) / statistics.mean(t["sprawl-58-rules"])
lines += ["", f"ratio sprawl/rg: {ratio:.2f}",
          f"ratio all rules / 58 rules: {grown:.2f}"]
open(summary, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
