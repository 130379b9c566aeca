#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Import and report time for inventories of 1, 10 and 100 accounts shaped like the shared GAAD
# sample (../shared/fixtures/gaad/cloudsplaining-example.json): account N is a copy of the sample
# with both of its account ids replaced by 3000000000NN (so each copy is one account of 122 users
# and roles, 84 managed policies, 39 inline policies).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench-report

usage() {
  cat << EOF
Usage: scripts/bench-report.sh [OPTIONS] [ACCOUNTS...]
Time scripts/import-gaad.sh and scripts/report.sh on inventories of ACCOUNTS accounts (default
1 10 100) shaped like the shared GAAD sample. Prints one row per size (accounts, users and
roles, import seconds, report seconds, the slowest report), then key=value lines.

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Environment: SHARED_GAAD (default ../shared/fixtures/gaad/cloudsplaining-example.json),
CATALOG_DB (the catalog for the import and the access-level reports; default as the scripts
choose it), SQLITE3, IAM_EXT, TMPDIR (the inventories are built there: about 3.5 MB per account).

Exit status:
  0  measured
  1  an import or a report failed
  2  usage: an unknown option, or a size that is not a number from 1 to 999
  4  missing: the shared sample, sqlite3 or the extension
EOF
}
sizes=()
while [ $# -gt 0 ]; do
  case $1 in
    -?*) common_option "$1" || bad_option "$1" ;;
    *)
      [[ $1 =~ ^[1-9][0-9]{0,2}$ ]] || usage_error "a size is a number of accounts from 1 to 999, not '$1'"
      sizes+=("$1")
      ;;
  esac
  shift
done
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10 100)
sample=${SHARED_GAAD:-$ROOT/../shared/fixtures/gaad/cloudsplaining-example.json}
[ -f "$sample" ] || die 4 "the shared GAAD sample $(shown "$sample") is not there (set SHARED_GAAD)"
need_sqlite3
need_ext
work=
temp_dir work
quiet=()
[ "$VERBOSE" = 1 ] || quiet=(-q)

max=0
for n in "${sizes[@]}"; do [ "$n" -le "$max" ] || max=$n; done
say "writing $max account(s) shaped like $(shown "$sample")"
for ((i = 1; i <= max; i++)); do
  id=$(printf '3000000000%02d' "$i")
  [ "$i" -lt 100 ] || id=$(printf '300000000%03d' "$i")
  sed -e "s/200611803367/$id/g" -e "s/012345678901/$id/g" -- "$sample" > "$work/account-$i.json"
done

printf '%-9s %-11s %-9s %-9s %s\n' accounts principals import_s report_s slowest_report
results=()
for n in "${sizes[@]}"; do
  files=()
  for ((i = 1; i <= n; i++)); do files+=("$work/account-$i.json"); done
  db=$work/inventory-$n.db
  t0=${EPOCHREALTIME/./}
  run "$ROOT/scripts/import-gaad.sh" "${quiet[@]}" "$db" "${files[@]}" > /dev/null || die 1 "the import of $n account(s) failed"
  import_s=$(seconds_since "$t0")
  t0=${EPOCHREALTIME/./}
  "$ROOT/scripts/report.sh" "$db" "$work/report-$n" > /dev/null 2> "$work/report-$n.log" \
    || { cat "$work/report-$n.log" >&2; die 1 "the report of $n account(s) failed"; }
  report_s=$(seconds_since "$t0")
  principals=$("$SQLITE3" -batch -readonly "$db" "SELECT count(*) FROM inv_principal")
  slowest=$(sed -n 's/^report: \[ *[0-9.]*s\] \([0-9][0-9]-[a-z-]*\): .* \[\([0-9.]*\) s\]$/\2 \1/p' "$work/report-$n.log" |
    sort -rn | head -n 1 | awk '{ print $2 " " $1 "s" }')
  printf '%-9s %-11s %-9s %-9s %s\n' "$n" "$principals" "$import_s" "$report_s" "$slowest"
  results+=("accounts_${n}_import_s=$import_s" "accounts_${n}_report_s=$report_s")
  rm -rf -- "$db" "$work/report-$n"
done
printf '%s\n' "${results[@]}"
