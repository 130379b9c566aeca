#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run every example query of a folder (default sql/queries/catalog/, in file-name order) against
# a catalog, with the iam extension loaded, and print each result as a table under a title taken
# from the query's leading comment (up to its first question mark, or its first sentence).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init demo

usage() {
  cat << EOF
Usage: scripts/demo.sh [OPTIONS]
Run every sql/queries/catalog/*.sql against catalog.db with the extension loaded, and print
each result as a table under its title (make demo builds dist/iam.so and catalog.db first).

Options:
  --catalog FILE  the catalog to query (default: \$CATALOG_DB, else catalog.db)
  --queries DIR   the queries to run (default: \$QUERY_DIR, else sql/queries/catalog)
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Environment: SQLITE3, IAM_EXT (the extension, as for .load; default dist/iam), CATALOG_DB,
QUERY_DIR. Relative paths are taken from the repository root.

Exit status:
  0  every query ran
  1  a query failed
  2  usage: an unknown option or an argument
  4  missing: sqlite3, the extension or the catalog (make catalog)
EOF
}
catalog=${CATALOG_DB:-catalog.db}
queries=${QUERY_DIR:-sql/queries/catalog}
while [ $# -gt 0 ]; do
  case $1 in
    --catalog | --queries)
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      if [ "$1" = --catalog ]; then catalog=$2; else queries=$2; fi
      shift
      ;;
    --catalog=*) catalog=${1#*=} ;;
    --queries=*) queries=${1#*=} ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) usage_error "takes no arguments (see --catalog and --queries)" ;;
  esac
  shift
done
cd "$ROOT"
need_sqlite3
need_ext
problem=$(catalog_problem "$catalog")
[ -z "$problem" ] || die 4 "the catalog $(shown "$catalog") cannot be used: $problem"
[ -d "$queries" ] || die 4 "no folder $(shown "$queries")"
shopt -s nullglob
files=("$queries"/*.sql)
[ "${#files[@]}" -gt 0 ] || die 4 "no queries (*.sql) in $(shown "$queries")"
load=".load $(dot_quote "$IAM_EXT")"

echo "sqlite-iam demo: $("$SQLITE3" -batch -cmd "$load" :memory: 'SELECT iam_version()') on $(shown "$catalog")"
echo "catalog: $("$SQLITE3" -batch -readonly "$(db_arg "$catalog")" "SELECT group_concat(value, ' ') FROM catalog_source
  WHERE key IN ('npm_package', 'npm_version', 'catalog')"), $("$SQLITE3" -batch -readonly "$(db_arg "$catalog")" \
  "SELECT count(*) || ' policies, ' || (SELECT count(*) FROM policy_version) || ' versions' FROM policy")"
for q in "${files[@]}"; do
  # The title: the leading comment block (without SPDX lines) up to its first '?' (or sentence).
  title=$(awk '/^-- SPDX-License-Identifier:/ { next }
               /^--/ { sub(/^-- */, ""); t = t (t == "" ? "" : " ") $0; next } { exit }
               END { if (match(t, /[?]/)) t = substr(t, 1, RSTART)
                     else if (match(t, /[.] /)) t = substr(t, 1, RSTART)
                     print t }' "$q")
  echo
  echo "== $(basename "$q"): $title"
  trace "$SQLITE3 -batch -bail -table -readonly -cmd '$load' $catalog < $q"
  start=${EPOCHREALTIME/./}
  "$SQLITE3" -batch -bail -table -readonly -cmd "$load" "$(db_arg "$catalog")" < "$q" \
    || die 1 "$(basename "$q") failed"
  say_slow "$start" "$(basename "$q")"
done
