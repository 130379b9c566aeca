#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a catalog database from a folder of converted policy files (one <Name>.json each,
# scripts/convert-managed-policies.js), the change log and the source pin in catalog/, and the
# IAM action data of catalog/iam-data/ (sql/catalog/actions.sql, sql/catalog/load-actions.sql).
#
# All or nothing: the database is built in a temporary file beside OUT_DB (schema, then the
# whole load in one transaction), checked, and only then renamed over OUT_DB, keeping OUT_DB's
# file mode. A failed or interrupted build leaves OUT_DB exactly as it was; a temporary file left
# by a killed build (kill -9) is removed by the next build. The same input gives the same bytes.
# Every stored document is checked by the iam extension (iam_policy_error(document): what
# iam_decision would raise); the build fails naming each policy version and its error. The lint
# lists (sql/lint/tables.sql) are part of every catalog.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init build-catalog

usage() {
  cat << EOF
Usage: scripts/build-catalog.sh [OPTIONS] OUT_DB POLICIES_DIR [CATALOG_NAME]
Build the catalog OUT_DB from the policy files of POLICIES_DIR, the change log and pin of
catalog/ and the action data of catalog/iam-data/, all or nothing.
  make catalog       = scripts/build-catalog.sh catalog.db catalog/policies default
  make catalog-full  = scripts/build-catalog.sh catalog-full.db build/catalog-full/policies full

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run and every problem (not only the first $ERROR_LIMIT)
  -h, --help      this help
  --version       the version
  --              end of options (for a name that starts with '-')

Environment: SQLITE3, IAM_EXT (the extension, as for .load; default dist/iam), TMPDIR,
IAM_CHECK=skip (do not parse the documents with the extension: warns), IAM_DATA_DIR (the action
data; default catalog/iam-data), CATALOG_EXTRA_SQL (an SQL file run inside the load
transaction after the data is loaded and before the checks: for tests). Relative paths are
taken from the current folder.

Exit status:
  0  OUT_DB is built
  1  the input is invalid or a step failed; OUT_DB is unchanged
  2  usage: an unknown option, a missing or extra argument
  4  missing: sqlite3, the extension, POLICIES_DIR or the action data
  129, 130, 143  stopped by a signal; OUT_DB is unchanged
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
if [ "${#args[@]}" -lt 2 ] || [ "${#args[@]}" -gt 3 ]; then usage_error "needs OUT_DB and POLICIES_DIR, and optionally CATALOG_NAME"; fi
IAM_CHECK=${IAM_CHECK:-1}

# Paths from the caller's folder, shown relative to the repository root when inside it.
from_caller() {
  local p
  case $1 in /*) p=$1 ;; *) p=$PWD/$1 ;; esac
  p=${p#"$ROOT"/}
  printf '%s\n' "${p%/}"
}
out=$(from_caller "${args[0]}")
policies_dir=$(from_caller "${args[1]}")
catalog_name=${args[2]:-default}
IAM_EXT=$(from_caller "$IAM_EXT")
[[ $IAM_EXT == */* ]] || IAM_EXT=./$IAM_EXT
extra=
if [ -n "${CATALOG_EXTRA_SQL:-}" ]; then extra=$(from_caller "$CATALOG_EXTRA_SQL"); fi
iam_data_dir=$(from_caller "${IAM_DATA_DIR:-$ROOT/catalog/iam-data}")
cd "$ROOT"
need_sqlite3
[ -d "$policies_dir" ] || die 4 "no folder $(shown "$policies_dir")"
[ -d "$iam_data_dir" ] || die 4 "no folder $(shown "$iam_data_dir")"
if [ "$IAM_CHECK" = skip ]; then
  warn "IAM_CHECK=skip: the documents are not parsed with the iam extension"
else
  need_ext
fi
if [ -e "$out" ] && [ ! -f "$out" ]; then die 1 "$(shown "$out") is not a file"; fi
mkdir -p -- "$(dirname -- "$out")"

tmp=
temp_file tmp "$out"
work=
temp_dir work
lib_on_stop() { echo "$PROG: $(shown "$out") left unchanged" >&2; }
fail() {
  echo "$PROG: FAILED: $*; $(shown "$out") left unchanged" >&2
  exit 1
}

say "building $(shown "$out") from $(shown "$policies_dir") ($catalog_name)"
# No rollback journal: a temporary file that is not complete is thrown away, never used.
for schema in sql/catalog/schema.sql sql/catalog/actions.sql sql/lint/tables.sql; do
  trace "$SQLITE3 -bail -cmd 'PRAGMA journal_mode = OFF' $(shown "$tmp") < $schema"
  "$SQLITE3" -bail -cmd "PRAGMA journal_mode = OFF" "$(db_arg "$tmp")" < "$schema" > /dev/null 2> "$work/schema.err" \
    || fail "$schema: $(cat "$work/schema.err")"
done

# The load script: one transaction around the two loaders, the optional test hook and the checks.
{
  echo ".bail on"
  echo ".output /dev/null"
  echo "PRAGMA foreign_keys = ON;"
  echo "PRAGMA temp_store = MEMORY;"
  echo "PRAGMA journal_mode = MEMORY;"
  echo ".output stdout"
  echo ".parameter init"
  echo ".parameter set :policies_dir $(sql_quote "$policies_dir")"
  echo ".parameter set :source_file 'catalog/SOURCE'"
  echo ".parameter set :set_file 'catalog/ecs-policies.txt'"
  echo ".parameter set :changelog 'catalog/ecs-changelog.tsv'"
  echo ".parameter set :catalog_name $(sql_quote "$catalog_name")"
  echo ".parameter set :iam_data_dir $(sql_quote "$iam_data_dir")"
  echo "BEGIN;"
  echo ".read sql/catalog/load.sql"
  echo ".read sql/catalog/load-actions.sql"
  if [ -n "$extra" ]; then echo ".read $(dot_quote "$extra")"; fi
  echo ".read sql/catalog/check.sql"
  echo ".parameter clear"
  echo "COMMIT;"
  echo "SELECT count(*), (SELECT count(*) FROM policy_version), (SELECT count(*) FROM change_log),"
  echo "       (SELECT count(*) FROM service), (SELECT count(*) FROM action) FROM policy;"
} > "$work/load.sql"
say "loading (one transaction): sql/catalog/load.sql, load-actions.sql ($(shown "$iam_data_dir"))${extra:+, $(shown "$extra")}, check.sql"
trace "$SQLITE3 -batch $(shown "$tmp") < $(shown "$work/load.sql")"
# Input problems are printed on standard output, one line each, before the load stops.
if ! "$SQLITE3" -batch -list -separator ' ' "$(db_arg "$tmp")" < "$work/load.sql" > "$work/load.out" 2> "$work/load.err"; then
  grep -v 'the input is invalid (see the messages above)' "$work/load.err" >> "$work/load.out" || true
  show_errors "$work/load.out"
  fail "the input has $(wc -l < "$work/load.out") problem(s)"
fi
read -r n_policies n_versions n_changes n_services n_actions < <(tail -n 1 "$work/load.out")
say "loaded $n_policies policies, $n_versions versions, $n_changes change-log entries, $n_actions actions of $n_services services"

if [ "$IAM_CHECK" != skip ]; then
  # One query: the error iam_decision would raise for each version, named by policy and version.
  say "checking $n_versions documents with the extension: iam_policy_error(document)"
  trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$tmp") 'SELECT ... iam_policy_error(document) ...'"
  if ! "$SQLITE3" -batch -readonly -list -cmd ".load $(dot_quote "$IAM_EXT")" "$(db_arg "$tmp")" \
    "SELECT p.name || ' ' || v.version_id || ': iam_decision(): ' || v.error
     FROM (SELECT policy_id, version_id, version_num, iam_policy_error(document) AS error
           FROM policy_version) AS v JOIN policy AS p USING (policy_id)
     WHERE v.error IS NOT NULL ORDER BY p.name, v.version_num" > "$work/check-docs.msg" 2>&1; then
    show_errors "$work/check-docs.msg"
    fail "the documents could not be checked"
  fi
  if [ -s "$work/check-docs.msg" ]; then
    show_errors "$work/check-docs.msg"
    fail "$(wc -l < "$work/check-docs.msg") document(s) rejected by the iam extension"
  fi
  say "all $n_versions documents parse"
fi

integrity=$("$SQLITE3" -batch "$(db_arg "$tmp")" "PRAGMA integrity_check")
[ "$integrity" = ok ] || fail "integrity_check: $integrity"
# The new file takes the old one's mode (a read-only catalog stays read-only); mktemp made it 0600.
if [ -f "$out" ]; then
  chmod --reference="$out" -- "$tmp"
else
  chmod "$(printf '%o' $((0666 & ~8#$(umask))))" -- "$tmp"
fi
mv -f -- "$tmp" "$out"
forget_temp "$tmp"
say "done: $(shown "$out") ($(stat -c %s -- "$out") bytes)"
