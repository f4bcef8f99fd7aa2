#!/usr/bin/env bash
# Full-history scan benchmark (issue 3): generates a repository of at least
# 100,000 blobs with git fast-import, then times `sprawl scan` against
# `git cat-file --batch-all-objects --batch --unordered` (git merely
# decompressing every object) in the same run; prints the ratio and peak RSS.
# Usage: bench/macro/git_history.sh [SPRAWL_BINARY] [WORK_DIR] [COMMITS]
set -euo pipefail

sprawl=${1:-build/sprawl}
work=${2:-/tmp/sprawl-bench-git}
commits=${3:-10500}
files_per_commit=10
paths=5000
repeats=${REPEATS:-3}

command -v /usr/bin/time >/dev/null || {
  echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
sprawl=$(realpath "$sprawl")
repo="$work/repo"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

# A synthetic history: every commit rewrites files_per_commit of `paths`
# files with a new version close to the previous one (so the pack holds
# deltas, like real repositories). One commit in 1000 plants a FAKE AWS key.
generate() {
  python3 - "$commits" "$files_per_commit" "$paths" <<'EOF'
import random, sys
commits, per_commit, paths = map(int, sys.argv[1:4])
rng = random.Random(7)
words = ("alpha beta gamma delta config service handler request retry "
         "timeout buffer stream parse render client server").split()
out = sys.stdout.buffer
def data(payload):
    out.write(b"data %d\n" % len(payload)); out.write(payload); out.write(b"\n")
body = {}
for c in range(commits):
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <bench@bench.invalid> %d +0000\n"
              % (1600000000 + c * 60))
    # No "from": fast-import continues the branch it last wrote.
    data(b"commit %d" % c)
    for _ in range(per_commit):
        p = rng.randrange(paths)
        lines = body.get(p) or [" ".join(rng.choice(words) for _ in range(8))
                                for _ in range(30)]
        lines[rng.randrange(len(lines))] = "v%d %s" % (
            c, " ".join(rng.choice(words) for _ in range(8)))
        if c % 1000 == 500 and _ == 0:
            key = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                          for _ in range(16))
            lines[0] = "aws_access_key_id = AKIA" + key
        body[p] = lines
        payload = ("\n".join(lines) + "\n").encode()
        out.write(b"M 100644 inline src/d%03d/file%05d.txt\n" % (p % 100, p))
        data(payload)
    out.write(b"\n")
EOF
}

if [ ! -d "$repo/.git" ]; then
  echo "generating $commits commits x $files_per_commit files in $repo" >&2
  rm -rf "$repo"
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  generate | git -C "$repo" fast-import --quiet
  git -C "$repo" reset -q --hard main
  git -C "$repo" repack -adq --window=10 --depth=50
fi
blobs=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype)' \
  | grep -c '^blob$')
objects=$(git -C "$repo" count-objects -v | awk '/^in-pack/ {print $2}')
pack_bytes=$(git -C "$repo" count-objects -v | awk '/^size-pack/ {print $2*1024}')
echo "repo=$repo blobs=$blobs objects=$objects pack_bytes=$pack_bytes" >&2

# Best of $repeats wall time (warm page cache), and the peak RSS of that run.
measure() {
  local best="" rss="" t out
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$work/time.txt")
    t=${out% *}
    if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then
      best=$t; rss=${out#* }
    fi
  done
  echo "$best $rss"
}

git_result=$(measure git -C "$repo" cat-file --batch-all-objects --batch \
  --unordered)
sprawl_result=$(measure "$sprawl" scan "$repo" --format json -o /dev/null)
# The scan exits 1 when it finds the planted keys; check it really ran.
"$sprawl" scan "$repo" --format json -o "$work/findings.json" || true
findings=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
print(len(d["findings"]) if isinstance(d, dict) and "findings" in d else len(d))' \
  "$work/findings.json" 2>/dev/null || echo "?")

git_s=${git_result% *}; git_kb=${git_result#* }
sprawl_s=${sprawl_result% *}; sprawl_kb=${sprawl_result#* }
ratio=$(awk "BEGIN {printf \"%.2f\", $sprawl_s / $git_s}")
cat <<EOF
machine: $(nproc) cores, $(uname -r)
repository: $blobs blobs, $objects objects, $((pack_bytes / 1048576)) MiB packed
git cat-file --batch-all-objects --batch --unordered: ${git_s} s, peak RSS $((git_kb / 1024)) MiB
sprawl scan --format json: ${sprawl_s} s, peak RSS $((sprawl_kb / 1024)) MiB, findings $findings
ratio sprawl/git: $ratio (best of $repeats)
EOF
