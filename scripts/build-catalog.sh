#!/usr/bin/env bash
# Build a catalog database from a directory of converted policy files (one <Name>.json each,
# see scripts/convert-managed-policies.js), the change log and the source pin in catalog/, and
# the IAM action data of catalog/iam-data/ (services, actions, resource types, condition keys:
# sql/actions.sql, catalog/load-actions.sql).
#
# Usage: scripts/build-catalog.sh OUT_DB POLICIES_DIR [CATALOG_NAME]
#   make catalog       = scripts/build-catalog.sh catalog.db catalog/policies default
#   make catalog-full  = scripts/build-catalog.sh catalog-full.db build/catalog-full/policies full
#
# All or nothing: the database is built in a temporary file beside OUT_DB (schema, then the
# whole load in one transaction), checked, and only then renamed over OUT_DB. A failed or
# interrupted build leaves OUT_DB exactly as it was. The same input gives the same bytes.
#
# Every stored document is checked by the iam extension (iam_policy_error(document): what
# iam_decision would raise); the build fails naming each policy version and its error. The
# lint lists (sql/lint/tables.sql) are part of every catalog.
#
# Environment:
#   SQLITE3            sqlite3 shell (default: sqlite3)
#   IAM_EXT            the extension, as for .load (default: ./dist/iam)
#   IAM_CHECK=skip     skip the extension check (when dist/iam.so cannot be built yet); warns
#   CATALOG_EXTRA_SQL  an SQL file run inside the load transaction after the data is loaded and
#                      before the checks (for tests: inject bad rows or slow the build down)
#   IAM_DATA_DIR       the IAM action data (default: catalog/iam-data)
# Relative paths (arguments, IAM_EXT, CATALOG_EXTRA_SQL, IAM_DATA_DIR) are taken from the
# current directory.
set -euo pipefail

SQLITE3=${SQLITE3:-sqlite3}
IAM_CHECK=${IAM_CHECK:-1}
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 OUT_DB POLICIES_DIR [CATALOG_NAME]" >&2
  exit 2
fi
# Paths from the caller's directory, shown relative to the repository root when inside it.
root=$(cd "$(dirname "$0")/.." && pwd)
from_caller() { case $1 in /*) p=$1 ;; *) p=$PWD/$1 ;; esac; p=${p#"$root"/}; printf '%s\n' "${p%/}"; }
out=$(from_caller "$1")
policies_dir=$(from_caller "$2")
catalog_name=${3:-default}
IAM_EXT=$(from_caller "${IAM_EXT:-$root/dist/iam}")
[[ $IAM_EXT == */* ]] || IAM_EXT=./$IAM_EXT
if [ -n "${CATALOG_EXTRA_SQL:-}" ]; then CATALOG_EXTRA_SQL=$(from_caller "$CATALOG_EXTRA_SQL"); fi
iam_data_dir=$(from_caller "${IAM_DATA_DIR:-$root/catalog/iam-data}")
cd "$root"
[ -d "$policies_dir" ] || { echo "build-catalog: no directory $policies_dir" >&2; exit 1; }
[ -d "$iam_data_dir" ] || { echo "build-catalog: no directory $iam_data_dir" >&2; exit 1; }

start=$(date +%s%N)
say() { printf 'build-catalog: [%5.1fs] %s\n' "$(( ($(date +%s%N) - start) / 1000000 ))e-3" "$*"; }
sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

ext_file=$IAM_EXT
[[ $ext_file == *.so ]] || ext_file=$ext_file.so
if [ "$IAM_CHECK" != skip ] && [ ! -f "$ext_file" ]; then
  echo "build-catalog: $ext_file not found; build it first (make all), or set IAM_CHECK=skip" >&2
  exit 1
fi

tmp=$(mktemp "$out.XXXXXX.tmp")
chmod "$(printf '%o' $(( 0666 & ~8#$(umask) )))" "$tmp"  # mktemp makes it 0600
work=$(mktemp -d "${TMPDIR:-/tmp}/build-catalog.XXXXXX")
cleanup() { rm -f "$tmp"; rm -rf "$work"; }
trap cleanup EXIT
trap 'echo "build-catalog: interrupted; $out left unchanged" >&2; exit 130' INT
trap 'echo "build-catalog: terminated; $out left unchanged" >&2; exit 143' TERM

say "building $out from $policies_dir ($catalog_name) in $tmp"
# No rollback journal: a temporary file that is not complete is thrown away, never used.
for schema in sql/schema.sql sql/actions.sql sql/lint/tables.sql; do
  echo "+ $SQLITE3 -bail -cmd 'PRAGMA journal_mode = OFF' $tmp < $schema" >&2
  "$SQLITE3" -bail -cmd "PRAGMA journal_mode = OFF" "$tmp" < "$schema" > /dev/null
done

# The load script: one transaction around load.sql, the optional test hook and check.sql.
{
  echo ".bail on"
  echo "PRAGMA foreign_keys = ON;"
  echo "PRAGMA temp_store = MEMORY;"
  echo "PRAGMA journal_mode = MEMORY;"
  echo ".parameter init"
  echo ".parameter set :policies_dir $(sql_quote "$policies_dir")"
  echo ".parameter set :source_file 'catalog/SOURCE'"
  echo ".parameter set :set_file 'catalog/ecs-policies.txt'"
  echo ".parameter set :changelog 'catalog/ecs-changelog.tsv'"
  echo ".parameter set :catalog_name $(sql_quote "$catalog_name")"
  echo ".parameter set :iam_data_dir $(sql_quote "$iam_data_dir")"
  echo "BEGIN;"
  echo ".read catalog/load.sql"
  echo ".read catalog/load-actions.sql"
  if [ -n "${CATALOG_EXTRA_SQL:-}" ]; then echo ".read $CATALOG_EXTRA_SQL"; fi
  echo ".read catalog/check.sql"
  echo ".parameter clear"
  echo "COMMIT;"
  echo "SELECT count(*), (SELECT count(*) FROM policy_version), (SELECT count(*) FROM change_log),"
  echo "       (SELECT count(*) FROM service), (SELECT count(*) FROM action) FROM policy;"
} > "$work/load.sql"
say "loading (one transaction): catalog/load.sql, catalog/load-actions.sql ($iam_data_dir)${CATALOG_EXTRA_SQL:+, $CATALOG_EXTRA_SQL}, catalog/check.sql"
echo "+ $SQLITE3 -batch $tmp < $work/load.sql" >&2
# Input problems are printed on standard output as "catalog: ..." lines before the load stops.
if ! "$SQLITE3" -batch -list -separator ' ' "$tmp" < "$work/load.sql" > "$work/load.out"; then
  cat "$work/load.out" >&2
  echo "build-catalog: FAILED while loading; $out left unchanged" >&2
  exit 1
fi
read -r n_policies n_versions n_changes n_services n_actions < <(tail -n 1 "$work/load.out")
say "loaded $n_policies policies, $n_versions versions, $n_changes change-log entries, $n_actions actions of $n_services services"

if [ "$IAM_CHECK" = skip ]; then
  echo "build-catalog: WARNING: IAM_CHECK=skip: documents were not parsed with the iam extension" >&2
else
  # One query: the error iam_decision would raise for each version, named by policy and version.
  say "checking $n_versions documents with $IAM_EXT: iam_policy_error(document)"
  echo "+ $SQLITE3 -batch -readonly -cmd '.load $IAM_EXT' $tmp 'SELECT ... iam_policy_error(document) ...'" >&2
  if ! "$SQLITE3" -batch -readonly -list -cmd ".load $IAM_EXT" "$tmp" \
       "SELECT p.name || ' ' || v.version_id || ': iam_decision(): ' || v.error
        FROM (SELECT policy_id, version_id, version_num, iam_policy_error(document) AS error
              FROM policy_version) AS v JOIN policy AS p USING (policy_id)
        WHERE v.error IS NOT NULL ORDER BY p.name, v.version_num" \
       > "$work/check-docs.err" 2>&1; then
    sed 's/^/build-catalog: /' "$work/check-docs.err" >&2
    echo "build-catalog: FAILED: the documents could not be checked; $out left unchanged" >&2
    exit 1
  fi
  if [ -s "$work/check-docs.err" ]; then
    sed 's/^/build-catalog: /' "$work/check-docs.err" >&2
    echo "build-catalog: FAILED: $(wc -l < "$work/check-docs.err") document(s) rejected by the iam extension; $out left unchanged" >&2
    exit 1
  fi
  say "all $n_versions documents parse"
fi

integrity=$("$SQLITE3" -batch "$tmp" "PRAGMA integrity_check")
[ "$integrity" = ok ] || { echo "build-catalog: integrity_check: $integrity" >&2; exit 1; }
mv -f "$tmp" "$out"
say "done: $out ($(stat -c %s "$out") bytes)"
