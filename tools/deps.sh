#!/usr/bin/env bash
# Installs the Debian packages fixvar needs, only those that are missing.
# Non-interactive; a no-op (well under a second) when everything is present.
set -euo pipefail
packages=(cmake make g++ ccache libboost-dev librange-v3-dev libfmt-dev catch2
          libcli11-dev nlohmann-json3-dev liblemon-dev verilator yosys graphviz clang-14 libclang-rt-14-dev
          clang-format-14)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "fixvar: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
