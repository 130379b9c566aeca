#!/usr/bin/env bash
# Evaluation throughput and peak memory (issue 2 §5): builds tests/bench/bench.c
# into build/bench and runs it on the random-1 conformance cases.
#
# Usage: scripts/bench.sh            (make bench builds the extension first)
#   IAM_EXT=./dist/iam     the extension to load
#   BENCH_ROWS=1000000     rows of the replicated tables (e.g. BENCH_ROWS=100000 for a quick run)
#   BENCH_SEED=1           shuffle seed
#   BENCH_POLICY=tests/bench/ecs_full_access.json   the constant policy of (b)
#   CC=cc CFLAGS="-std=c11 -O2 -g"                   how the driver is compiled
#
# Prints a table, then a key=value block (rows=, a_evals_per_sec=, b_evals_per_sec=,
# max_rss_kb=, ...). See the header of tests/bench/bench.c for what is timed.
set -euo pipefail
cd "$(dirname "$0")/.."

IAM_EXT=${IAM_EXT:-./dist/iam}
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

if [ ! -e "$IAM_EXT" ] && [ ! -e "$IAM_EXT.so" ]; then
  echo "bench: extension not found: $IAM_EXT (.so); run make first" >&2
  exit 1
fi

if [ ! -x "$BIN" ] || [ "$SRC" -nt "$BIN" ]; then
  mkdir -p build
  read -r -a cflags <<<"$CFLAGS"
  read -r -a sqlite_flags <<<"$(pkg-config --cflags --libs sqlite3)"
  echo "+ $CC ${cflags[*]} ${WARN[*]} -o $BIN $SRC ${sqlite_flags[*]}"
  "$CC" "${cflags[@]}" "${WARN[@]}" -o "$BIN" "$SRC" "${sqlite_flags[@]}"
fi

# The whole-request rows (c) and (d) read the generated authorization corpus.
AUTHZ_CORPUS=tests/conformance/authorization/random-1.jsonl.gz
authz_file=$(mktemp "${TMPDIR:-/tmp}/bench-authz.XXXXXX")
trap 'rm -f -- "$authz_file"' EXIT
gzip -dc -- "$AUTHZ_CORPUS" >"$authz_file"

echo "+ gzip -dc ${CORPUS[*]} | $BIN --ext $IAM_EXT --rows $BENCH_ROWS --seed $BENCH_SEED --policy $BENCH_POLICY --authz <$AUTHZ_CORPUS>"
gzip -dc "${CORPUS[@]}" |
  "$BIN" --ext "$IAM_EXT" --rows "$BENCH_ROWS" --seed "$BENCH_SEED" --policy "$BENCH_POLICY" \
    --authz "$authz_file"

# Table-valued functions over the full catalog (issue 4 §7): one parse per
# document, one row per action pattern. Needs catalog-full.db (make catalog-full).
CATALOG_FULL_DB=${CATALOG_FULL_DB:-catalog-full.db}
SQLITE3=${SQLITE3:-sqlite3}
if [ -f "$CATALOG_FULL_DB" ]; then
  q="SELECT count(*) FROM policy_version v, iam_actions(v.document)"
  echo
  echo "+ $SQLITE3 $CATALOG_FULL_DB -cmd '.load $IAM_EXT' '$q'"
  start=$(date +%s.%N)
  rows=$("$SQLITE3" -batch -cmd ".load $IAM_EXT" "$CATALOG_FULL_DB" "$q")
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
