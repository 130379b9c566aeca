#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages the build and tests need, if any are missing.
# As root it runs apt-get; otherwise it names what to install and fails.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init ensure-deps

usage() {
  cat << EOF
Usage: scripts/ensure-deps.sh [OPTIONS] [PACKAGE...]
Install the Debian packages the build and the tests need (and PACKAGE...), if any is missing:
with apt-get as root, else name them and fail. Nothing is done when all are installed.

Packages: libsqlite3-dev sqlite3 libcjson-dev check libsubunit-dev pkg-config gcc make gzip

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Exit status:
  0  every package is installed
  1  apt-get failed
  2  usage: an unknown option
  4  packages are missing and this is not root (the message names them)
EOF
}

extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; extra+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) extra+=("$1") ;;
  esac
  shift
done

pkgs=(libsqlite3-dev sqlite3 libcjson-dev check libsubunit-dev pkg-config gcc make gzip "${extra[@]}")
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  die 4 "missing packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}"
fi
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq || die 1 "apt-get update failed"
run apt-get install -y -qq --no-install-recommends "${missing[@]}" || die 1 "apt-get install ${missing[*]} failed"
