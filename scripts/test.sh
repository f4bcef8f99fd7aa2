#!/usr/bin/env bash
# Installs what is missing, builds sprawl and its tests (Release) into
# build/, and runs the whole suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
# The benchmark corpora and the SARIF schema: ../shared beside the
# checkout, or wherever SPRAWL_SHARED_DIR says.
shared=${SPRAWL_SHARED_DIR:-$(cd .. && pwd)/shared}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSPRAWL_BUILD_TESTS=ON \
  -DSPRAWL_BUILD_BENCH=ON -DSPRAWL_SHARED_DIR="$shared" >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
