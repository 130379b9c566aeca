#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The linter's figures on a catalog: every stored version of every AWS managed policy through
# iam_policy_error, iam_lint (with the catalog's action and lint tables, and without them), and
# iam_new_access against the version before it, each beside SQLite's floor (reading the same
# documents with a built-in function). One query per row, each on a fresh connection (the
# catalog is read once per query); the median of BENCH_RUNS runs. The target is linting all
# 6,194 versions of catalog-full.db in under 10 s.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench-lint

usage() {
  cat << EOF
Usage: scripts/bench-lint.sh [OPTIONS] [DB]
Time the linter on every stored version of the catalog DB (default: catalog-full.db of this
repository; make bench-lint builds it): iam_policy_error, iam_lint without and with the
catalog's tables, iam_new_access against the version before, beside SQLite's floor (the same
documents read by json()). Each query on a fresh connection; the median of BENCH_RUNS runs.

  DB   a catalog with its action and lint tables (scripts/build-catalog.sh makes one)

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version
  --              end of options (for a DB whose name starts with '-')

Output on standard output: a line naming DB, then a table: statement, rows, seconds (median),
documents per second, the query's result.

Environment: SQLITE3 (the sqlite3 shell), IAM_EXT (the extension, as for .load; default
dist/iam of this repository), BENCH_RUNS (default 3), TMPDIR.

Exit status:
  0  measured
  1  a query failed
  2  usage: an unknown option, more than one DB, a BENCH_RUNS that is not a positive number
  4  missing: sqlite3, the extension, or the catalog (or its action or lint tables)
  129, 130, 143  stopped by a signal
EOF
}

args=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" -le 1 ] || usage_error "one DB at most"
db=${args[0]:-$ROOT/catalog-full.db}
RUNS=${BENCH_RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage_error "BENCH_RUNS must be a positive number, not '$(shown "$RUNS")'"

need_sqlite3
need_ext
load=
dot_quote -v load "$IAM_EXT"
problem=$(catalog_problem "$db" actions)
[ -z "$problem" ] || die 4 "the catalog $(shown "$db") cannot be used: $problem; make catalog-full builds catalog-full.db"
missing=$("$SQLITE3" -batch -readonly -cmd ".load $load" "$(db_arg "$db")" \
  "SELECT value FROM iam_lint('{\"Version\":\"2012-10-17\",\"Statement\":[]}') WHERE code = 'DATA_CHECKS_SKIPPED'" 2>&1) \
  || die 4 "the catalog $(shown "$db") cannot be read: $missing"
[ -z "$missing" ] || die 4 "the catalog $(shown "$db") lacks tables the linter reads: $missing (sqlite3 $(shown "$db") < sql/lint/tables.sql adds the lint tables)"

work=
temp_dir work
# The documents alone, in a database without the catalog's tables.
say "copying the documents of $(shown "$db") into a database without the catalog's tables"
run_bg "$SQLITE3" -batch -bail "$(db_arg "$work/docs.db")" "ATTACH $(sql_quote "$(uri_ro "$db")") AS c;
  CREATE TABLE policy_version AS SELECT policy_id, version_id, version_num, document FROM c.policy_version;"
n=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" "SELECT count(*) FROM policy_version")
actions=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" "SELECT count(*) FROM action")

# row LABEL DB SQL: run SQL RUNS times on DB, print the median time.
row() {
  local label=$1 on=$2 sql=$3 times=() result t0 i med
  say "timing: ${label#"${label%%[! ]*}"}"
  for ((i = 0; i < RUNS; i++)); do
    t0=${EPOCHREALTIME/./}
    run_bg "$SQLITE3" -batch -bail -readonly -cmd ".load $load" "$(db_arg "$on")" "$sql" > "$work/result" \
      || die 1 "the query of '$label' failed"
    times+=($(((${EPOCHREALTIME/./} - t0) / 1000)))
  done
  read -r result < "$work/result" || true
  med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  printf '%-46s %6d %8d.%03d %10d   %s\n' "$label" "$n" $((med / 1000)) $((med % 1000)) \
    $((med > 0 ? n * 1000 / med : 0)) "$result"
}

echo "bench-lint: $(shown "$db"), $n versions, $actions actions; median of $(plural "$RUNS" run)"
printf '%-46s %6s %12s %10s   %s\n' "statement" "rows" "seconds" "docs/s" "result"
row "floor: sum(length(json(document)))" "$db" \
  "SELECT sum(length(json(document))) > 0 FROM policy_version"
row "iam_policy_error (valid documents)" "$db" \
  "SELECT count(*) FROM policy_version WHERE iam_policy_error(document) IS NULL"
row "iam_lint, no catalog tables (findings)" "$work/docs.db" \
  "SELECT count(*) FROM policy_version AS v, iam_lint(v.document)"
row "iam_lint, with the catalog (findings)" "$db" \
  "SELECT count(*) FROM policy_version AS v, iam_lint(v.document)"
row "  of which errors" "$db" \
  "SELECT count(*) FROM policy_version AS v, iam_lint(v.document) AS l WHERE l.severity = 'error'"
row "iam_new_access vs the version before (rows)" "$db" \
  "WITH p AS (SELECT lag(document) OVER (PARTITION BY policy_id ORDER BY version_num) AS o,
                     document AS d FROM policy_version)
   SELECT count(*) FROM p, iam_new_access(p.o, p.d) WHERE p.o IS NOT NULL"
