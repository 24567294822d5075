#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages optimist needs to build, test and benchmark.
# With --fuzz, also what `make fuzz` needs: clang and its libFuzzer and sanitizer runtimes.
# Does nothing (and needs no network) when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsoci-dev libboost-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev libpq-dev libssl-dev postgresql
  libcli11-dev nlohmann-json3-dev gnuplot-nox
)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
