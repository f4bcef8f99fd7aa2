#!/usr/bin/env bash
# The main job: installs what is missing, builds sprawl (Release) into
# build/, builds the demonstration corpus and scans it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSPRAWL_BUILD_TESTS=OFF \
  -DSPRAWL_BUILD_BENCH=OFF >/dev/null
cmake --build build --target sprawl -j"$(nproc)"
store=build/demo-store.db
rm -f "$store" "$store-wal" "$store-shm"
rm -rf build/demo-repo
bash corpus/make_demo_repo.sh build/demo-repo >/dev/null
echo "== git history of the demonstration repository (build/demo-repo)"
build/sprawl scan build/demo-repo --no-progress --store "$store" || true
echo
echo "== corpus/"
set +e
# The answer keys and generator scripts beside the samples hold the same
# fake secrets; leave them out so each one is reported where it was planted.
build/sprawl scan corpus/ --no-progress --store "$store" \
  --exclude EXPECTED.md --exclude expected_exports.json --exclude '*.py' \
  --exclude make_demo_repo.sh
status=$?
set -e
echo "sprawl scan corpus/ exited with $status (1 = findings reported)"
echo
echo "== inventory of non-human identities ($store)"
build/sprawl inventory --store "$store"
