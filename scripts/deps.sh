#!/usr/bin/env bash
# Installs the Debian 12 packages sprawl needs to build (and, with --test,
# to run its test suite), skipping those already present. Run as root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ccache
  libhyperscan-dev libre2-dev libgit2-dev libsimdjson-dev libtbb-dev
  libcli11-dev libfmt-dev libtomlplusplus-dev libexpected-dev
  libsqlite3-dev libcurl4-openssl-dev libssl-dev libarchive-dev
  libexpat1-dev zlib1g-dev catch2 libbenchmark-dev openssl python3
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-jsonschema pre-commit chromium ripgrep time unzip zip)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: these packages are missing and installing them needs root" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
