#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the privilege-escalation graph of an inventory: every edge of the rules of esc_rule /
# esc_rule_step, each step decided with the evaluator (sql/org/build-paths.sql), into inv_node
# and inv_edge, and their closure into inv_reach_hop, all or nothing; then, unless --no-paths,
# count the principals that can become admin (the view inv_admin_path, a recursive CTE).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init build-paths

usage() {
  cat << EOF
Usage: scripts/build-paths.sh [OPTIONS] DB
Build the privilege-escalation graph of the inventory DB (scripts/import-gaad.sh, import-org.sh,
import-resource-policies.sh): the edges of the rules in esc_rule and esc_rule_step, every step
decided as a whole request (identity policies, boundary, SCPs, trust or resource policy, RCPs),
into the tables inv_node and inv_edge (one transaction: the old graph stays until the new one
is complete). The reports escalation-paths and blast-radius (scripts/report.sh) read it; an
import or an edit of the rules makes it stale, and the reports then say so.

Prints one line: nodes, administrators, candidate edges, those cut by a first cheap decision,
the decisions of the rest, edges (with the seconds and
edges/s), the pairs of the closure (inv_reach_hop, with its seconds), and the principals that can
become admin (inv_admin_path, with the seconds it takes to walk their paths).

Options:
  --region REGION  the region of the requests (esc_setting 'region'; default: as set, us-east-1)
  --no-paths       do not count the paths to admin after the build
  -q, --quiet      no progress lines
  -v, --verbose    print the commands run
  -h, --help       this help
  --version        the version
  --               end of options (for a DB whose name starts with '-')

Environment: SQLITE3, IAM_EXT (the extension, as for .load; default dist/iam), TMPDIR.

Exit status:
  0  built
  1  DB is not an inventory, or a step failed; DB is unchanged
  2  usage: an unknown option, a missing or extra argument
  4  missing: sqlite3 or the extension
  129, 130, 143  stopped by a signal; DB is unchanged
EOF
}
region=
paths=1
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --region)
      [ $# -ge 2 ] || usage_error "--region needs a value"
      region=$2
      shift
      ;;
    --region=*) region=${1#*=} ;;
    --no-paths) paths=0 ;;
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" = 1 ] || usage_error "needs DB (one inventory database)"
if [ -n "$region" ] && ! [[ $region =~ ^[a-z]+(-[a-z]+)+-[0-9]+$ ]]; then
  usage_error "--region is a region name such as eu-west-1, not '$(shown "$region")'"
fi
db=${args[0]}
need_sqlite3
need_ext
[ -f "$db" ] || die 1 "$(shown "$db") does not exist (scripts/import-gaad.sh makes an inventory)"
inventory_check "$db"
n=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
  "SELECT count(*) FROM sqlite_schema WHERE name IN ('inv_meta', 'inv_account', 'inv_effective_policy')" 2>&1) \
  || die 1 "$(shown "$db") cannot be read: $n"
[ "$n" = 3 ] || die 1 "$(shown "$db") is not an inventory (scripts/import-gaad.sh makes one)"

work=
temp_dir work
ext=
dot_quote -v ext "$IAM_EXT"
{
  echo ".bail on"
  echo ".load $ext"
  echo "PRAGMA foreign_keys = ON;"
  echo ".read $(dot_quote "$ROOT/sql/inventory/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/paths-schema.sql")"
  echo "PRAGMA cache_size = -262144;"
  echo "PRAGMA temp_store = MEMORY;"
  echo "BEGIN IMMEDIATE;"
  if [ -n "$region" ]; then
    echo "INSERT INTO esc_setting (key, value) VALUES ('region', $(sql_quote "$region"))"
    echo "  ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value;"
  fi
  echo ".print \"@@ build\""
  echo ".read $(dot_quote "$ROOT/sql/org/build-paths.sql")"
  echo "SELECT '@@ built ' || group_concat(key || '=' || value, ' ') FROM esc_build;"
} > "$work/build.sql"
say "$(shown "$db"): building the edges and their closure (one transaction)"
ptook=
t0=${EPOCHREALTIME/./}
if ! run_tx "$db" "$work/build.sql" "$work/build.out"; then
  sed 's/^/  /' "$work/build.out.err" >&2
  die 1 "the build failed; $(shown "$db") is unchanged"
fi
built=$(sed -n 's/^@@ built //p' "$work/build.out")
declare -A b=()
for kv in $built; do b[${kv%%=*}]=${kv#*=}; done
# the closure's milliseconds, from the marks the SQL printed around it
c0=$(sed -n 's/^@@ closure-start //p' "$work/build.out")
c1=$(sed -n 's/^@@ closure-end //p' "$work/build.out")
cms=$((c1 - c0))
ems=$(((${EPOCHREALTIME/./} - t0) / 1000 - cms))
rate=$((${b[edges]:-0} * 1000 / (ems > 0 ? ems : 1)))
edges_s=$((ems / 1000)).$((ems % 1000 / 100))
closure_s=$((cms / 1000)).$((cms % 1000 / 100))
say "built: ${b[edges]} edges from ${b[candidates]} candidates (${b[decisions]} decisions) [$edges_s s]; closure: ${b[reach_pairs]} pairs [$closure_s s]"
line="nodes=${b[nodes]} admins=${b[admins]} candidates=${b[candidates]} cut=${b[cut]} decisions=${b[decisions]} edges=${b[edges]} edges_s=$edges_s edges_per_s=$rate reach_pairs=${b[reach_pairs]} closure_s=$closure_s"
if [ "$paths" = 1 ]; then
  t1=${EPOCHREALTIME/./}
  res=$("$SQLITE3" -batch -readonly -bail "$(db_arg "$db")" -cmd ".load $ext" "SELECT count(*) FROM inv_admin_path" 2>&1) \
    || die 1 "the paths failed: $res"
  seconds_since -v ptook "$t1"
  say "paths: $res principals can become admin [$ptook s]"
  line="$line admin_paths=$res paths_s=$ptook"
fi
echo "$line"
