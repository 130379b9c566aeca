#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Evaluation throughput and peak memory: builds tests/bench/bench.c into build/bench and runs it on
# the random-1 conformance cases; then iam_actions over the full catalog when it is built.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench

usage() {
  cat << EOF2
Usage: scripts/bench.sh [OPTIONS]
Evaluation throughput and peak memory (make bench builds the extension first): the random-1
conformance cases replicated to BENCH_ROWS shuffled rows, timed as (a) a policy column and (b) a
constant policy, with the floor SQLite itself sets; then iam_actions over catalog-full.db when
it exists. Prints a table, then key=value lines (rows=, a_evals_per_sec=, max_rss_kb=, ...).
See the header of tests/bench/bench.c for what is timed.

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Environment: IAM_EXT (default ./dist/iam), BENCH_ROWS (1000000), BENCH_SEED (1),
BENCH_POLICY (tests/bench/ecs_full_access.json, the constant policy of (b)), CC, CFLAGS,
CATALOG_FULL_DB (catalog-full.db), SQLITE3.

Exit status:
  0  measured
  1  the benchmark failed
  2  usage: an unknown option or an argument
  4  missing: the extension (make)
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
BENCH_ROWS=${BENCH_ROWS:-1000000}
BENCH_SEED=${BENCH_SEED:-1}
BENCH_POLICY=${BENCH_POLICY:-tests/bench/ecs_full_access.json}
CC=${CC:-cc}
CFLAGS=${CFLAGS:-"-std=c11 -O2 -g"}
WARN=(-Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
  -Wwrite-strings -Wcast-qual -Wundef -Wswitch-enum -Wvla)
CORPUS=(tests/conformance/random-1.part1.jsonl.gz tests/conformance/random-1.part2.jsonl.gz)
BIN=build/bench
SRC=tests/bench/bench.c

need_sqlite3
need_ext

if [ ! -x "$BIN" ] || [ "$SRC" -nt "$BIN" ]; then
  mkdir -p build
  read -r -a cflags <<<"$CFLAGS"
  read -r -a sqlite_flags <<<"$(pkg-config --cflags --libs sqlite3)"
  trace "$CC ${cflags[*]} ${WARN[*]} -o $BIN $SRC ${sqlite_flags[*]}"
  "$CC" "${cflags[@]}" "${WARN[@]}" -o "$BIN" "$SRC" "${sqlite_flags[@]}"
fi

# The whole-request rows (c) and (d) read the generated authorization corpus.
AUTHZ_CORPUS=tests/conformance/authorization/random-1.jsonl.gz
authz_file=""
temp_file authz_file "${TMPDIR:-/tmp}/bench-authz"
gzip -dc -- "$AUTHZ_CORPUS" >"$authz_file"

trace "gzip -dc ${CORPUS[*]} | $BIN --ext $IAM_EXT --rows $BENCH_ROWS --seed $BENCH_SEED --policy $BENCH_POLICY --authz <$AUTHZ_CORPUS>"
gzip -dc "${CORPUS[@]}" |
  "$BIN" --ext "$IAM_EXT" --rows "$BENCH_ROWS" --seed "$BENCH_SEED" --policy "$BENCH_POLICY" \
    --authz "$authz_file"

# Table-valued functions over the full catalog: one parse per
# document, one row per action pattern. Needs catalog-full.db (make catalog-full).
CATALOG_FULL_DB=${CATALOG_FULL_DB:-catalog-full.db}
SQLITE3=${SQLITE3:-sqlite3}
if [ -f "$CATALOG_FULL_DB" ]; then
  q="SELECT count(*) FROM policy_version v, iam_actions(v.document)"
  echo
  trace "$SQLITE3 $CATALOG_FULL_DB -cmd '.load $IAM_EXT' '$q'"
  start=$(date +%s.%N)
  rows=$("$SQLITE3" -batch -cmd ".load $(dot_quote "$IAM_EXT")" "$CATALOG_FULL_DB" "$q")
  end=$(date +%s.%N)
  docs=$("$SQLITE3" -batch "$CATALOG_FULL_DB" "SELECT count(*) FROM policy_version")
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  echo "iam_actions over the full catalog: $docs documents, $rows rows, $secs s (one process, cold cache)"
  echo "tvf_documents=$docs"
  echo "tvf_rows=$rows"
  echo "tvf_seconds=$secs"
else
  echo
  echo "(skipped the table-valued-function figure: $CATALOG_FULL_DB not built; make catalog-full)"
fi
