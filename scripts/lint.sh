#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lint IAM policy files, as a compiler reports problems: every finding of iam_lint() (ext/LINT.md
# lists the codes) on one line. The steps:
#   1. the catalog: the one named, or catalog-full.db, else catalog.db, of this repository; it
#      must hold the action tables and the lint tables (else exit 4), unless --catalog none;
#   2. the files: each readable (else exit 1, nothing linted), read into a scratch database, one
#      row per document; a GAAD export is imported (scripts/import-gaad.sh, without its policy
#      check) and its policies replace the file's row;
#   3. iam_lint() on every row, with the catalog attached; the findings printed in the format
#      asked for, and the exit status from the worst of them.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init lint

usage() {
  cat << EOF
Usage: scripts/lint.sh [OPTIONS] FILE...
Lint IAM policy files with iam_lint() (ext/LINT.md lists the codes) and print every finding,
by default one line each, as a compiler does:
  FILE[:POLICY]:STATEMENT:PATH: SEVERITY CODE: MESSAGE
STATEMENT is the statement's index ('-' when the finding is about the whole document, and
DOC.STATEMENT for a file holding an array of documents), PATH the JSON path of the place ('-'
for the whole text). A newline, CR or tab in a line is written \\n, \\r, \\t.

  FILE   a policy document (JSON: one document or an array of documents), or an export of
         \`aws iam get-account-authorization-details\` (GAAD): then every customer policy in it,
         inline and managed (each version), and every role's trust policy (as type trust),
         each named after the file. AWS managed policies in an export are not linted (lint
         the catalog for those).

Options:
  --type TYPE         the policy type of the document files: identity (default), boundary,
                      session, resource, trust, scp, rcp, endpoint
  --fail-on SEVERITY  exit 1 when a finding is this severe or more: error (default),
                      security_warning, warning, suggestion, or none
  --format FORMAT     text (default), json (one array of objects), csv (with a header), or
                      summary (findings counted by severity and code)
  --catalog DB        read the action catalog and the lint tables (sql/lint/tables.sql) from
                      DB; by default catalog-full.db of this repository if it exists, else its
                      catalog.db. 'none' for none: the checks that need them are skipped, and
                      one DATA_CHECKS_SKIPPED finding per document says so (./none for a file
                      of that name)
  -q, --quiet         no progress lines (the catalog read, the files, the findings counted)
  -v, --verbose       print the commands run and every problem (not only the first $ERROR_LIMIT)
  -h, --help          this help
  --version           the version
  --                  end of options (for a FILE whose name starts with '-')

Output: the findings on standard output; progress lines (among them the catalog read) and
errors on standard error.

Environment: SQLITE3 (the sqlite3 shell), IAM_EXT (the extension, as for .load; default
dist/iam of this repository), TMPDIR.

Exit status:
  0  no finding reaches --fail-on
  1  a finding reaches --fail-on; or a FILE cannot be read, or an export is one that
     scripts/import-gaad.sh rejects (the message says which: then nothing is linted)
  2  usage: an unknown option, a bad value, no FILE
  4  missing: sqlite3, the extension, or the catalog (or its action or lint tables)
  129, 130, 143  stopped by a signal
EOF
}

type=identity fail_on=error format=text catalog=
files=()
# set_option NAME VALUE: an option that takes a value.
set_option() {
  [ -n "$2" ] || usage_error "$1 needs a value"
  case $1 in
    --type) type=$2 ;;
    --fail-on) fail_on=$2 ;;
    --format) format=$2 ;;
    --catalog) catalog=$2 ;;
  esac
}
while [ $# -gt 0 ]; do
  case $1 in
    --type | --fail-on | --format | --catalog)
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      set_option "$1" "$2"
      shift
      ;;
    --type=* | --fail-on=* | --format=* | --catalog=*) set_option "${1%%=*}" "${1#*=}" ;;
    --) shift; files+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) files+=("$1") ;;
  esac
  shift
done
[ "${#files[@]}" -gt 0 ] || usage_error "no FILE given"
case $type in
  identity | boundary | session | resource | trust | scp | rcp | endpoint) ;;
  *) usage_error "--type must be identity, boundary, session, resource, trust, scp, rcp or endpoint, not '$(shown "$type")'" ;;
esac
case $fail_on in
  error) fail_rank=0 ;; security_warning) fail_rank=1 ;; warning) fail_rank=2 ;;
  suggestion) fail_rank=3 ;; none) fail_rank=-1 ;;
  *) usage_error "--fail-on must be error, security_warning, warning, suggestion or none, not '$(shown "$fail_on")'" ;;
esac
case $format in
  text | json | csv | summary) ;;
  *) usage_error "--format must be text, json, csv or summary, not '$(shown "$format")'" ;;
esac

need_sqlite3
need_ext
load=
dot_quote -v load "$IAM_EXT"

# 1. The catalog.
if [ -z "$catalog" ]; then
  if [ -f "$ROOT/catalog-full.db" ]; then catalog=$ROOT/catalog-full.db; else catalog=$ROOT/catalog.db; fi
fi
attach=
if [ "$catalog" = none ]; then
  say "no catalog (--catalog none): the checks that need it are skipped (DATA_CHECKS_SKIPPED)"
else
  problem=$(catalog_problem "$catalog" actions)
  [ -z "$problem" ] || die 4 "the catalog $(shown "$catalog") cannot be used: $problem; or lint without it: --catalog none"
  attach="ATTACH $(sql_quote "$(uri_ro "$catalog")") AS catalog;"
  # What iam_lint itself finds missing in it: a document with no statement lints clean when
  # the catalog has every table a check reads.
  trace "$SQLITE3 -batch :memory: -cmd '.load $(shown "$IAM_EXT")' '$attach SELECT value FROM iam_lint(...)'"
  missing=$("$SQLITE3" -batch :memory: -cmd ".load $load" "$attach
    SELECT value FROM iam_lint('{\"Version\":\"2012-10-17\",\"Statement\":[]}') WHERE code = 'DATA_CHECKS_SKIPPED'" 2>&1) \
    || die 4 "the catalog $(shown "$catalog") cannot be read: $missing"
  [ -z "$missing" ] || die 4 "the catalog $(shown "$catalog") lacks tables the linter reads: $missing (sqlite3 $(shown "$catalog") < sql/lint/tables.sql adds the lint tables, make catalog rebuilds catalog.db; or lint without it: --catalog none)"
  say "reading the catalog $(shown "$catalog")"
fi

# 2. The files.
work=
temp_dir work
: > "$work/problems"
for f in "${files[@]}"; do
  if [ ! -e "$f" ]; then echo "$(shown "$f"): cannot read the file: it does not exist"
  elif [ -d "$f" ]; then echo "$(shown "$f"): cannot read the file: it is a directory"
  elif [ ! -r "$f" ]; then echo "$(shown "$f"): cannot read the file: permission denied"
  elif [ ! -f "$f" ]; then echo "$(shown "$f"): cannot read the file: not a regular file (a pipe? save it to a file first)"
  fi
done >> "$work/problems"
if [ -s "$work/problems" ]; then
  show_errors "$work/problems"
  die 1 "$(plural "$(wc -l < "$work/problems")" file) cannot be read; nothing was linted"
fi
# The documents to lint, one row each: the file's place (from 1), the file, the policy name or
# NULL, the policy type, the text.
place=0
{
  echo "CREATE TABLE doc (ord INTEGER PRIMARY KEY, place INTEGER NOT NULL, file TEXT NOT NULL, policy TEXT, type TEXT NOT NULL, text TEXT);"
  echo "BEGIN;"
  for f in "${files[@]}"; do
    sql_quote_v q "$f"
    echo "INSERT INTO doc (place, file, type, text) VALUES ($((++place)), $q, '$type', CAST(readfile($q) AS TEXT));"
  done
  echo "COMMIT;"
} > "$work/docs.sql"
docs=$work/docs.db
read_docs=
dot_quote -v read_docs "$work/docs.sql"
run_bg "$SQLITE3" -batch -bail "$(db_arg "$docs")" ".read $read_docs" > /dev/null
say "$(plural "${#files[@]}" file) read"

# GAAD exports: imported (without the policy check: the linter reports what is wrong), then
# their documents replace the file's row.
"$SQLITE3" -batch "$(db_arg "$docs")" "SELECT ord FROM doc WHERE json_valid(text) AND json_type(text) = 'object'
  AND (json_type(text, '$.UserDetailList') IS NOT NULL OR json_type(text, '$.RoleDetailList') IS NOT NULL
       OR json_type(text, '$.GroupDetailList') IS NOT NULL OR json_type(text, '$.Policies') IS NOT NULL)" > "$work/gaad"
import_opts=(-q)
[ "$VERBOSE" = 0 ] || import_opts+=(-v)
while read -r ord; do
  f=${files[ord - 1]}
  inv=$work/inventory-$ord.db
  rc=0
  CATALOG_DB=none IAM_CHECK=skip SQLITE3=$SQLITE3 IAM_EXT=$IAM_EXT \
    run_bg "$ROOT/scripts/import-gaad.sh" "${import_opts[@]}" -- "$inv" "$f" > "$work/import.out" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    cat -- "$work/import.out" >&2
    [ "$rc" != 4 ] || die 4 "$(shown "$f"): scripts/import-gaad.sh misses a prerequisite (above)"
    die 1 "$(shown "$f"): the export could not be read (scripts/import-gaad.sh says why, above); nothing was linted"
  fi
  [ "$VERBOSE" = 0 ] || cat -- "$work/import.out" >&2
  sql_quote_v q "$inv"
  run_bg "$SQLITE3" -batch -bail "$(db_arg "$docs")" "ATTACH $q AS inv;
    BEGIN;
    INSERT INTO doc (place, file, policy, type, text)
    SELECT d.place, d.file, x.policy, x.type, x.text FROM doc AS d, (
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
    SELECT changes();
    DELETE FROM doc WHERE ord = $ord;
    COMMIT;" \
    > "$work/count"
  say "$(shown "$f"): an export: $(plural "$(cat "$work/count")" policy) to lint"
done < "$work/gaad"

# 3. The findings, in file order and then in each document's order.
run_bg "$SQLITE3" -batch -bail -cmd ".load $load" "$(db_arg "$docs")" "$attach
  CREATE TABLE finding AS
  SELECT d.place, d.ord, l.rowid AS n, d.file, d.policy, l.code, l.severity,
         CASE l.severity WHEN 'error' THEN 0 WHEN 'security_warning' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END AS rank,
         l.policy_index, l.statement_index, l.path, l.message, l.value
  FROM doc AS d, iam_lint(d.text, d.type) AS l
  ORDER BY d.place, d.ord, l.rowid;"

# q [OPTION...] SQL: a query on the work database.
q() {
  local opts=()
  while [ $# -gt 1 ]; do opts+=("$1"); shift; done
  "$SQLITE3" -batch "${opts[@]}" "$(db_arg "$docs")" "$1"
}
case $format in
  text)
    q -list "SELECT replace(replace(replace(
               file || coalesce(':' || policy, '') || ':'
               || coalesce(CASE WHEN policy_index > 0 OR (SELECT max(policy_index) FROM finding AS g
                                                         WHERE g.ord = f.ord) > 0
                                THEN policy_index || '.' END, '') || coalesce(statement_index, '-')
               || ':' || CASE path WHEN '' THEN '-' ELSE path END || ': ' || severity || ' ' || code
               || ': ' || message,
               char(10), '\n'), char(13), '\r'), char(9), '\t')
             FROM finding AS f ORDER BY place, ord, n" ;;
  json)
    q -list "SELECT json_group_array(json_object('file', file, 'policy', policy, 'severity', severity,
               'code', code, 'policy_index', policy_index, 'statement_index', statement_index,
               'path', path, 'message', message, 'value', value))
             FROM (SELECT * FROM finding ORDER BY place, ord, n)" ;;
  csv)
    q -csv -header "SELECT file, policy, severity, code, policy_index, statement_index, path, message, value
                    FROM finding ORDER BY place, ord, n" ;;
  summary)
    q -column -header "SELECT severity, code, count(*) AS findings, count(DISTINCT ord) AS documents
                       FROM finding GROUP BY severity, code ORDER BY min(rank), findings DESC, code" ;;
esac

IFS='|' read -r worst ndocs nfindings by_severity < <(q -list "SELECT coalesce(min(rank), 9), (SELECT count(*) FROM doc),
  count(*), (SELECT group_concat(n || ' ' || severity || CASE WHEN n > 1 THEN 's' ELSE '' END, ', ')
             FROM (SELECT severity, count(*) AS n FROM finding GROUP BY severity ORDER BY min(rank)))
  FROM finding")
counts="$(plural "$ndocs" document): $(plural "$nfindings" finding)${by_severity:+ ($by_severity)}"
if [ "$fail_rank" -ge 0 ] && [ "$worst" -le "$fail_rank" ]; then
  say "$counts; one reaches --fail-on $fail_on: exit 1"
  exit 1
fi
say "$counts"
exit 0
