#!/usr/bin/env bash
# The linter's figures on a catalog: every stored version of every AWS managed policy through
# iam_policy_error, iam_lint (with the catalog's action and lint tables, and without them), and
# iam_new_access against the version before it, each beside SQLite's floor (reading the same
# documents with a built-in function). One query per row, each on a fresh connection (the
# catalog is read once per query); the median of BENCH_RUNS runs. The target is linting all
# 6,194 versions of catalog-full.db in under 10 s.
#
# Usage: scripts/bench-lint.sh [DB]    (default: catalog-full.db; make bench-lint builds it)
# Environment: SQLITE3 (default sqlite3), IAM_EXT (default ./dist/iam), BENCH_RUNS (default 3).
# Prints a table: statement, rows, seconds (median), documents per second, the result.
set -euo pipefail
cd "$(dirname "$0")/.."

SQLITE3=${SQLITE3:-sqlite3}
IAM_EXT=${IAM_EXT:-./dist/iam}
RUNS=${BENCH_RUNS:-3}
db=${1:-catalog-full.db}
if [ "$db" = --help ] || [ "$db" = -h ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
[ $# -le 1 ] || { echo "bench-lint: one DB at most (see --help)" >&2; exit 2; }
[ -f "$db" ] || { echo "bench-lint: $db not found; run make catalog-full (or name a catalog)" >&2; exit 2; }
case $RUNS in '' | *[!0-9]* | 0) echo "bench-lint: BENCH_RUNS must be a positive number" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-lint.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The documents alone, in a database without the catalog's tables.
"$SQLITE3" -batch "$work/docs.db" "ATTACH 'file:$db?mode=ro' AS c;
  CREATE TABLE policy_version AS SELECT policy_id, version_id, version_num, document FROM c.policy_version;"
n=$("$SQLITE3" -batch "$db" "SELECT count(*) FROM policy_version")

now_ns() { date +%s%N; }
# row LABEL DB SQL: run SQL RUNS times on DB, print the median time.
row() {
  local label=$1 on=$2 sql=$3 times=() result t0 i
  for ((i = 0; i < RUNS; i++)); do
    t0=$(now_ns)
    result=$("$SQLITE3" -batch -readonly -cmd ".load $IAM_EXT" "$on" "$sql")
    times+=($(( ($(now_ns) - t0) / 1000000 )))
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  printf '%-46s %6d %8d.%03d %10d   %s\n' "$label" "$n" $((med / 1000)) $((med % 1000)) \
    $(( med > 0 ? n * 1000 / med : 0 )) "$result"
}

echo "bench-lint: $db, $n versions, $("$SQLITE3" -batch "$db" "SELECT count(*) FROM action") actions; median of $RUNS runs"
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
