#!/usr/bin/env bash
# Installs what is missing, builds sprawl and its tests (Release) into
# build/, and runs the whole suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSPRAWL_BUILD_TESTS=ON \
  -DSPRAWL_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
