#!/usr/bin/env bash
# Run every example query in sql/queries/catalog/ (in file-name order) against the default catalog,
# with the iam extension loaded, and print each result as a table under a title taken from
# the query's leading comment (up to its first question mark).
# Usage: scripts/demo.sh            (make demo builds dist/iam.so and catalog.db first)
# Environment: SQLITE3 (default sqlite3), IAM_EXT (default ./dist/iam),
#              CATALOG_DB (default catalog.db), QUERY_DIR (default sql/queries/catalog)
# Relative paths are taken from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

SQLITE3=${SQLITE3:-sqlite3}
IAM_EXT=${IAM_EXT:-./dist/iam}
CATALOG_DB=${CATALOG_DB:-catalog.db}
QUERY_DIR=${QUERY_DIR:-sql/queries/catalog}

[ -f "$CATALOG_DB" ] || { echo "demo: $CATALOG_DB not found; run make catalog" >&2; exit 1; }
shopt -s nullglob
queries=("$QUERY_DIR"/*.sql)
[ "${#queries[@]}" -gt 0 ] || { echo "demo: no queries in $QUERY_DIR" >&2; exit 1; }

echo "sqlite-iam demo: $("$SQLITE3" -batch -cmd ".load $IAM_EXT" :memory: 'SELECT iam_version()' 2>/dev/null || echo 'iam extension') on $CATALOG_DB"
echo "catalog: $("$SQLITE3" -batch "$CATALOG_DB" "SELECT group_concat(value, ' ') FROM catalog_source
  WHERE key IN ('npm_package', 'npm_version', 'catalog')"), $("$SQLITE3" -batch "$CATALOG_DB" \
  "SELECT count(*) || ' policies, ' || (SELECT count(*) FROM policy_version) || ' versions' FROM policy")"
for q in "${queries[@]}"; do
  # The title: the leading comment block up to its first '?' (or first sentence).
  title=$(awk '/^--/ { sub(/^-- */, ""); t = t (t == "" ? "" : " ") $0; next } { exit }
               END { if (match(t, /[?]/)) t = substr(t, 1, RSTART)
                     else if (match(t, /[.] /)) t = substr(t, 1, RSTART)
                     print t }' "$q")
  echo
  echo "== $(basename "$q"): $title"
  echo "+ $SQLITE3 -batch -bail -table -cmd '.load $IAM_EXT' $CATALOG_DB < $q"
  "$SQLITE3" -batch -bail -table -cmd ".load $IAM_EXT" "$CATALOG_DB" < "$q"
done
