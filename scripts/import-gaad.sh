#!/usr/bin/env bash
# Import `aws iam get-account-authorization-details` (GAAD) exports into an inventory database
# (schema sql/inventory.sql).
#
# Usage: scripts/import-gaad.sh DB FILE...
#   DB      the inventory database; created if missing. It may also be a copy of a catalog
#           database: the inventory tables are all named inv_* (and privesc_rule*).
#   FILE    one or more GAAD files: several pages of one account, or several accounts, in any
#           mix. Each file must hold one account (found from its ARNs). All pages of an account
#           go in the same run: an account in the input replaces everything the database held
#           for it.
#
# All or nothing. The files are first read into a scratch staging database and checked (JSON,
# shapes, dates, URL encoding, references between entities, duplicates), then every policy
# document is parsed with the iam extension, and only then is the inventory changed, in one
# transaction. Any problem prints one line per problem naming the file and the entity, e.g.
#   import-gaad: bad.json: RoleDetailList[1] role 'app': RolePolicyList[0] 'x': PolicyDocument: not a JSON object after URL-decoding
# and leaves DB exactly as it was (a DB that did not exist is not created).
#
# Input rules (README "Account inventory"):
#   - A policy document is a JSON object, or a string holding it URL-encoded (as the IAM API
#     returns it). Strings are percent-decoded exactly once (RFC 3986): every %XY becomes the byte
#     0xXY; '+' is an ordinary character and stays '+' (it is not a space: that is the HTML form
#     encoding, which IAM does not use); a '%' not followed by two hex digits is an error.
#   - Dates '2015-02-06T19:58:34Z' and '2023-03-09 10:41:34+00:00' (any offset, fractions) are
#     stored as 'YYYY-MM-DDTHH:MM:SSZ' in UTC.
#   - Where GAAD has a list, a single object (or string) is taken as a list of one; null or a
#     missing list is an empty list.
#   - AWS-managed policies that are attached or used as boundaries but not in the file are taken
#     from the catalog (their default version); policies that neither holds stay unresolved:
#     listed as warnings and in the view inv_unresolved_policy.
#
# Environment:
#   SQLITE3      sqlite3 shell (default: sqlite3)
#   IAM_EXT      the extension, as for .load (default: dist/iam of this repository)
#   CATALOG_DB   catalog database for AWS-managed policies (default: catalog-full.db of this
#                repository if it exists, else catalog.db; 'none' for no catalog)
#   IAM_CHECK=skip  do not parse the documents with the extension (warns)
#   IMPORT_KEEP_WORK=1  keep the scratch directory (staging database, generated SQL) for debugging
set -euo pipefail

SQLITE3=${SQLITE3:-sqlite3}
IAM_CHECK=${IAM_CHECK:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
IAM_EXT=${IAM_EXT:-$root/dist/iam}
if [ $# -lt 2 ]; then
  echo "usage: $0 DB FILE..." >&2
  exit 2
fi
db=$1
shift

say() { printf 'import-gaad: %s\n' "$*"; }
sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

if [ -z "${CATALOG_DB+x}" ]; then
  if [ -f "$root/catalog-full.db" ]; then CATALOG_DB=$root/catalog-full.db
  elif [ -f "$root/catalog.db" ]; then CATALOG_DB=$root/catalog.db
  else CATALOG_DB=none; fi
fi
if [ "$CATALOG_DB" != none ] && [ ! -f "$CATALOG_DB" ]; then
  echo "import-gaad: catalog $CATALOG_DB not found (make catalog, or CATALOG_DB=none)" >&2
  exit 1
fi
ext_file=$IAM_EXT
[[ $ext_file == *.so ]] || ext_file=$ext_file.so
if [ "$IAM_CHECK" != skip ] && [ ! -f "$ext_file" ]; then
  echo "import-gaad: $ext_file not found; build it first (make), or set IAM_CHECK=skip" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/import-gaad.XXXXXX")
db_existed=1
[ -e "$db" ] || db_existed=0
fail() {
  if [ "$db_existed" = 0 ]; then rm -f "$db" "$db-journal"; fi
  echo "import-gaad: FAILED: $*; $db left unchanged" >&2
  exit 1
}
trap '[ -n "${IMPORT_KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
trap 'echo "import-gaad: interrupted" >&2; exit 130' INT
trap 'echo "import-gaad: terminated" >&2; exit 143' TERM

# An existing database must be an inventory of this schema version, or have no inventory yet.
if [ "$db_existed" = 1 ]; then
  version=$("$SQLITE3" -batch -readonly "$db" \
    "SELECT value FROM inv_meta WHERE key = 'schema_version'" 2>/dev/null || true)
  if [ -n "$version" ] && [ "$version" != 1 ]; then
    echo "import-gaad: $db has inventory schema version $version; this script knows version 1" >&2
    exit 1
  fi
fi

# 1. Staging: read and check the files in a scratch database.
{
  echo ".bail on"
  if [ "$CATALOG_DB" = none ]; then
    echo "ATTACH ':memory:' AS catalog;"
    echo "CREATE TABLE catalog.policy (policy_id, arn, name, path, default_version_id, created_date, last_updated_date);"
    echo "CREATE TABLE catalog.policy_version (policy_id, version_id, document);"
  else
    echo "ATTACH $(sql_quote "file:$CATALOG_DB?mode=ro") AS catalog;"
  fi
  echo "CREATE TABLE s_file (file_no INTEGER PRIMARY KEY, file TEXT NOT NULL, txt TEXT);"
  n=0
  for f in "$@"; do
    n=$((n + 1))
    echo "INSERT INTO s_file VALUES ($n, $(sql_quote "$f"), CAST(readfile($(sql_quote "$f")) AS TEXT));"
  done
  echo ".read $root/sql/inventory-stage.sql"
  echo ".once $work/decode.sql"
  echo "SELECT 'UPDATE s_doc SET text = CAST(X''' || hex || ''' AS TEXT) WHERE at = ' || quote(at) || ';'"
  echo "FROM s_doc_hex WHERE NOT bad;"
  echo ".read $work/decode.sql"
  echo ".read $root/sql/inventory-check.sql"
  echo "SELECT msg FROM s_error GROUP BY msg ORDER BY min(rowid);"
  echo "INSERT INTO s_assert SELECT count(*) FROM s_error;"
} > "$work/stage.sql"
say "staging $# file(s); catalog: $CATALOG_DB"
echo "+ $SQLITE3 -batch $work/stage.db < $work/stage.sql" >&2
if ! "$SQLITE3" -batch -list "$work/stage.db" < "$work/stage.sql" > "$work/stage.out" 2>&1; then
  sed 's/^/import-gaad: /' "$work/stage.out" >&2
  fail "the input has $(grep -Evc '^(Parse error|Runtime error|Error)' "$work/stage.out" || true) problem(s)"
fi

# 2. Every policy document through the extension, in one query: iam_policy_error() gives the
#    error iam_decision would raise for an identity policy, and checks a trust policy by the
#    rules of a role trust policy (a resource policy: Principal in every statement, Resource
#    optional); each error is named by the entity it belongs to.
if [ "$IAM_CHECK" = skip ]; then
  echo "import-gaad: WARNING: IAM_CHECK=skip: documents were not parsed with the iam extension" >&2
else
  say "checking $("$SQLITE3" -batch "$work/stage.db" "SELECT count(*) FROM s_doc WHERE text IS NOT NULL") documents with $IAM_EXT"
  echo "+ $SQLITE3 -batch -readonly -cmd '.load $IAM_EXT' $work/stage.db 'SELECT ... iam_policy_error(text) ...'" >&2
  if ! "$SQLITE3" -batch -readonly -list -cmd ".load $IAM_EXT" "$work/stage.db" \
       "SELECT at || ': ' || CASE kind WHEN 'trust' THEN 'as a role trust policy: ' ELSE 'iam_decision(): ' END || error
        FROM (SELECT rowid, at, kind, CASE kind WHEN 'trust' THEN iam_policy_error(text, 'trust')
                                                ELSE iam_policy_error(text) END AS error
              FROM s_doc WHERE text IS NOT NULL)
        WHERE error IS NOT NULL ORDER BY rowid" > "$work/check-docs.err" 2>&1; then
    sed 's/^/import-gaad: /' "$work/check-docs.err" >&2
    fail "the documents could not be checked"
  fi
  if [ -s "$work/check-docs.err" ]; then
    sed 's/^/import-gaad: /' "$work/check-docs.err" >&2
    fail "$(wc -l < "$work/check-docs.err") document(s) rejected by the iam extension"
  fi
fi

# 3. The import: one transaction on the inventory.
catalog_param=NULL
[ "$CATALOG_DB" = none ] || catalog_param=$(sql_quote "$CATALOG_DB")
{
  echo ".bail on"
  echo "PRAGMA foreign_keys = ON;"
  echo ".read $root/sql/inventory.sql"
  echo "ATTACH $(sql_quote "$work/stage.db") AS stage;"
  echo ".parameter init"
  echo ".parameter set :catalog $catalog_param"
  echo "BEGIN IMMEDIATE;"
  echo ".read $root/sql/inventory-load.sql"
  echo "COMMIT;"
} > "$work/load.sql"
echo "+ $SQLITE3 -batch $db < $work/load.sql" >&2
if ! "$SQLITE3" -batch -list "$db" < "$work/load.sql" > "$work/load.out" 2>&1; then
  sed 's/^/import-gaad: /' "$work/load.out" >&2
  fail "the import did not commit"
fi

"$SQLITE3" -batch -list -separator ' ' "$db" -cmd "ATTACH $(sql_quote "$work/stage.db") AS stage" \
  "SELECT 'import-gaad: account ' || a.account_id || ' (' || replace(replace(replace(a.source_files, '[', ''), ']', ''), '\"', '') || '): '
          || (SELECT count(*) FROM inv_user AS x WHERE x.account_id = a.account_id) || ' users, '
          || (SELECT count(*) FROM inv_group AS x WHERE x.account_id = a.account_id) || ' groups, '
          || (SELECT count(*) FROM inv_role AS x WHERE x.account_id = a.account_id) || ' roles, '
          || (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND source = 'file') || ' managed policies'
          || (SELECT coalesce(' + ' || nullif(count(*), 0) || ' from the catalog', '') FROM inv_managed_policy AS x
              WHERE x.account_id = a.account_id AND source = 'catalog') || ', '
          || (SELECT count(*) FROM inv_inline_policy AS x WHERE x.account_id = a.account_id) || ' inline policies, '
          || (SELECT count(*) FROM inv_instance_profile AS x WHERE x.account_id = a.account_id) || ' instance profiles'
   FROM inv_account AS a WHERE a.account_id IN (SELECT account_id FROM stage.s_file_account) ORDER BY 1;
   SELECT 'import-gaad: WARNING: ' || at || ': ' || arn || ' is in neither the export nor the catalog'
          || CASE WHEN uses > 1 THEN ' (' || uses || ' uses)' ELSE '' END
   FROM stage.s_unresolved ORDER BY account_id, arn;"
