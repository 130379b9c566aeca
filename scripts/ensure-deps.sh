#!/usr/bin/env bash
# Install the Debian packages the build and tests need, if any are missing.
# As root it runs apt-get; otherwise it names what to install and fails.
# Usage: scripts/ensure-deps.sh [extra-package ...]
set -euo pipefail

pkgs=(libsqlite3-dev sqlite3 libcjson-dev check libsubunit-dev pkg-config gcc make gzip "$@")
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-deps: missing packages: ${missing[*]}" >&2
  echo "ensure-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "ensure-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
