#!/usr/bin/env bash
# Lint IAM policy files, as a compiler reports problems: every finding of iam_lint()
# (ext/LINT.md lists the codes) on one line,
#   FILE[:POLICY]:STATEMENT:PATH: SEVERITY CODE: MESSAGE
# STATEMENT is the statement's index ('-' when the finding is about the whole document, and
# DOC.STATEMENT for a file holding an array of documents), PATH the JSON path of the place
# ('-' for the whole text).
#
# Usage: scripts/lint.sh [OPTION...] FILE...
#   FILE   a policy document (JSON: one document or an array of documents), or an export of
#          `aws iam get-account-authorization-details` (GAAD): then every customer policy in it,
#          inline and managed (each version), and every role's trust policy (as type trust).
#          AWS managed policies in an export are not linted (lint the catalog for those).
# Options:
#   --type TYPE          the policy type of the document files: identity (default), boundary,
#                        session, resource, trust, scp, rcp, endpoint
#   --fail-on SEVERITY   exit 1 when a finding is this severe or more: error (default),
#                        security_warning, warning, suggestion, or none
#   --format FORMAT      text (default), json (one array of objects), csv (with a header), or
#                        summary (findings counted by severity and code)
#   --catalog DB         read the action catalog and the lint tables from DB (default: the
#                        repository's catalog-full.db if it exists, else catalog.db; 'none' for
#                        none: the checks that need them are skipped, and one finding says so)
#   -h, --help           this text
# Environment: SQLITE3 (default sqlite3), IAM_EXT (default dist/iam of this repository).
#
# Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 for a usage error, a file
# that cannot be read, or an export the importer rejects.
set -euo pipefail

SQLITE3=${SQLITE3:-sqlite3}
root=$(cd "$(dirname "$0")/.." && pwd)
IAM_EXT=${IAM_EXT:-$root/dist/iam}

usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; }
die() {
  echo "lint: $*" >&2
  exit 2
}
sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

type=identity fail_on=error format=text catalog=
files=()
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --type) [ $# -ge 2 ] || die "--type needs a value (see --help)"; type=$2; shift 2 ;;
    --type=*) type=${1#*=}; shift ;;
    --fail-on) [ $# -ge 2 ] || die "--fail-on needs a value (see --help)"; fail_on=$2; shift 2 ;;
    --fail-on=*) fail_on=${1#*=}; shift ;;
    --format) [ $# -ge 2 ] || die "--format needs a value (see --help)"; format=$2; shift 2 ;;
    --format=*) format=${1#*=}; shift ;;
    --catalog) [ $# -ge 2 ] || die "--catalog needs a value (see --help)"; catalog=$2; shift 2 ;;
    --catalog=*) catalog=${1#*=}; shift ;;
    --) shift; files+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) files+=("$1"); shift ;;
  esac
done
[ "${#files[@]}" -gt 0 ] || die "no FILE given (see --help)"
case $type in
  identity | boundary | session | resource | trust | scp | rcp | endpoint) ;;
  *) die "--type must be identity, boundary, session, resource, trust, scp, rcp or endpoint, not '$type'" ;;
esac
case $fail_on in
  error) fail_rank=0 ;; security_warning) fail_rank=1 ;; warning) fail_rank=2 ;;
  suggestion) fail_rank=3 ;; none) fail_rank=-1 ;;
  *) die "--fail-on must be error, security_warning, warning, suggestion or none, not '$fail_on'" ;;
esac
case $format in
  text | json | csv | summary) ;;
  *) die "--format must be text, json, csv or summary, not '$format'" ;;
esac
if [ -z "$catalog" ]; then
  if [ -f "$root/catalog-full.db" ]; then catalog=$root/catalog-full.db
  elif [ -f "$root/catalog.db" ]; then catalog=$root/catalog.db
  else catalog=none; fi
fi
[ "$catalog" = none ] || [ -f "$catalog" ] || die "catalog $catalog not found (make catalog, or --catalog none)"
ext_file=$IAM_EXT
[[ $ext_file == *.so ]] || ext_file=$ext_file.so
[ -f "$ext_file" ] || die "$ext_file not found; build it first (make)"
for f in "${files[@]}"; do
  if [ ! -f "$f" ] || [ ! -r "$f" ]; then die "$f: cannot read the file"; fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lint.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The documents to lint, one row each: (file, policy name or NULL, policy type, text).
{
  echo ".bail on"
  echo "CREATE TABLE doc (ord INTEGER PRIMARY KEY, file TEXT NOT NULL, policy TEXT, type TEXT NOT NULL, text TEXT);"
  n=0
  for f in "${files[@]}"; do
    n=$((n + 1))
    echo "INSERT INTO doc (file, type, text) VALUES ($(sql_quote "$f"), $(sql_quote "$type"), CAST(readfile($(sql_quote "$f")) AS TEXT));"
  done
} > "$work/docs.sql"
"$SQLITE3" -batch "$work/docs.db" < "$work/docs.sql"

# GAAD exports: imported (without the policy check: the linter reports what is wrong), then
# their documents replace the file's row.
gaad=$("$SQLITE3" -batch "$work/docs.db" "SELECT ord FROM doc WHERE json_valid(text) AND json_type(text) = 'object'
  AND (json_type(text, '$.UserDetailList') IS NOT NULL OR json_type(text, '$.RoleDetailList') IS NOT NULL
       OR json_type(text, '$.GroupDetailList') IS NOT NULL OR json_type(text, '$.Policies') IS NOT NULL)")
for ord in $gaad; do
  f=$("$SQLITE3" -batch "$work/docs.db" "SELECT file FROM doc WHERE ord = $ord")
  inv=$work/inventory-$ord.db
  if ! CATALOG_DB=none IAM_CHECK=skip SQLITE3=$SQLITE3 "$root/scripts/import-gaad.sh" "$inv" "$f" \
       > "$work/import.out" 2>&1; then
    grep -v '^+ ' "$work/import.out" | sed 's/^/lint: /' >&2
    die "$f: the export could not be read"
  fi
  "$SQLITE3" -batch "$work/docs.db" "ATTACH $(sql_quote "$inv") AS inv;
    BEGIN;
    INSERT INTO doc (file, policy, type, text)
    SELECT d.file, x.policy, x.type, x.text FROM doc AS d, (
      SELECT 1 AS k, owner_kind || ' ' || owner_name || ' inline ' || policy_name AS policy,
             'identity' AS type, document AS text FROM inv.inv_inline_policy
      UNION ALL
      SELECT 2, v.policy_arn || ' ' || v.version_id, 'identity', v.document
      FROM inv.inv_policy_version AS v JOIN inv.inv_managed_policy AS m
        ON m.account_id = v.account_id AND m.arn = v.policy_arn
      WHERE NOT m.aws_managed
      UNION ALL
      SELECT 3, arn || ' trust policy', 'trust', trust_policy FROM inv.inv_role WHERE trust_policy IS NOT NULL
      ORDER BY 1, 2) AS x
    WHERE d.ord = $ord;
    DELETE FROM doc WHERE ord = $ord;
    COMMIT;"
done

# The findings, in file order and then in each document's order.
attach=""
[ "$catalog" = none ] || attach="ATTACH $(sql_quote "file:$catalog?mode=ro") AS catalog;"
"$SQLITE3" -batch "$work/docs.db" -cmd ".load $IAM_EXT" "$attach
  CREATE TABLE finding AS
  SELECT d.ord, l.rowid AS n, d.file, d.policy, l.code, l.severity,
         CASE l.severity WHEN 'error' THEN 0 WHEN 'security_warning' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END AS rank,
         l.policy_index, l.statement_index, l.path, l.message, l.value
  FROM doc AS d, iam_lint(d.text, d.type) AS l
  ORDER BY d.ord, l.rowid;"

# q [OPTION...] SQL: a query on the work database
q() {
  local opts=()
  while [ $# -gt 1 ]; do opts+=("$1"); shift; done
  "$SQLITE3" -batch "${opts[@]}" "$work/docs.db" "$1"
}
case $format in
  text)
    q -list "SELECT file || coalesce(':' || policy, '') || ':'
                    || coalesce(CASE WHEN policy_index > 0 OR (SELECT max(policy_index) FROM finding AS g
                                                              WHERE g.ord = f.ord) > 0
                                     THEN policy_index || '.' END, '') || coalesce(statement_index, '-')
                    || ':' || CASE path WHEN '' THEN '-' ELSE path END || ': ' || severity || ' ' || code
                    || ': ' || message
             FROM finding AS f ORDER BY ord, n" ;;
  json)
    q -list "SELECT json_group_array(json_object('file', file, 'policy', policy, 'severity', severity,
               'code', code, 'policy_index', policy_index, 'statement_index', statement_index,
               'path', path, 'message', message, 'value', value))
             FROM (SELECT * FROM finding ORDER BY ord, n)" ;;
  csv)
    q -csv -header "SELECT file, policy, severity, code, policy_index, statement_index, path, message, value
                    FROM finding ORDER BY ord, n" ;;
  summary)
    q -column -header "SELECT severity, code, count(*) AS findings, count(DISTINCT ord) AS documents
                       FROM finding GROUP BY severity, code ORDER BY min(rank), findings DESC, code" ;;
esac

worst=$(q "SELECT coalesce(min(rank), 9) FROM finding")
if [ "$fail_rank" -ge 0 ] && [ "$worst" -le "$fail_rank" ]; then exit 1; fi
exit 0
