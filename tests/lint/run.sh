#!/usr/bin/env bash
# Tests of linting and new access on a catalog database: every stored version lints without an
# error and is valid to iam_policy_error; the codedpeloy typo of AmazonECS_FullAccess v13 is an
# UNKNOWN_PREFIX; every version compared with itself by iam_new_access gives no row, and v13 ->
# v14 adds codedeploy:ContinueDeployment; the reports (sql/queries/catalog/70-*, 71-*, sql/lint/*.sql)
# run; scripts/lint.sh on files, on a GAAD export, with bad arguments, missing files and a catalog
# without its lint tables. Prints "N passed, N failed" last; exits 1 on any failure.
#
# Usage: tests/lint/run.sh [CATALOG_DB]   (default catalog.db; make lint-full passes catalog-full.db)
# Environment: SQLITE3, IAM_EXT (default dist/iam).
set -euo pipefail
cd "$(dirname "$0")/../.."
SQLITE3=${SQLITE3:-sqlite3}
IAM_EXT=${IAM_EXT:-./dist/iam}
export SQLITE3 IAM_EXT
db=${1:-catalog.db}
fx=tests/lint/fixtures
if [ "${db:-}" = --help ] || [ "${db:-}" = -h ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
[ -f "$db" ] || { echo "tests/lint: $db missing (make catalog)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lint-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

# check NAME SQL EXPECTED: the query's output on the catalog (list mode) must equal EXPECTED.
check() {
  local got
  got=$("$SQLITE3" -batch -readonly -cmd ".load $IAM_EXT" "$db" "$2" 2>&1 || true)
  if [ "$got" = "$3" ]; then
    pass=$((pass + 1)); echo "ok   $1"
  else
    fail=$((fail + 1)); printf 'FAIL %s\n  expected: %s\n  got:      %s\n' "$1" "$3" "$got"
  fi
}
# run NAME STATUS CMD...: the command must exit with STATUS (output in $work/out)
run() {
  local name=$1 want=$2 rc=0
  shift 2
  "$@" > "$work/out" 2> "$work/err" || rc=$?
  if [ "$rc" = "$want" ]; then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); echo "FAIL $name: exit $rc, not $want"; head -5 "$work/out" "$work/err"
  fi
}
# has NAME TEXT: the last run's output (stdout and stderr) must contain TEXT
has() {
  if grep -qF -- "$2" "$work/out" "$work/err"; then
    pass=$((pass + 1)); echo "ok   $1"
  else
    fail=$((fail + 1)); echo "FAIL $1: no '$2' in:"; head -10 "$work/out" "$work/err"
  fi
}

versions=$("$SQLITE3" -batch "$db" "SELECT count(*) FROM policy_version")
echo "tests/lint: $db ($versions versions)"

# expect_lines NAME EXPECTED GOT
expect_lines() {
  if [ "$2" = "$3" ]; then
    pass=$((pass + 1)); echo "ok   $1"
  else
    fail=$((fail + 1)); printf 'FAIL %s\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"
  fi
}

# --- the catalog ----------------------------------------------------------------------------
check "every version is valid to iam_policy_error" \
  "SELECT count(*) FROM policy_version WHERE iam_policy_error(document) IS NULL" "$versions"
check "every version lints without an error, with the catalog's tables" \
  "SELECT count(*), count(DISTINCT v.rowid) > 0 FROM policy_version AS v, iam_lint(v.document) AS l
   WHERE l.severity = 'error' OR l.code = 'DATA_CHECKS_SKIPPED'" "0|0"
check "AmazonECS_FullAccess v13: codedpeloy:ContinueDeployment is an UNKNOWN_PREFIX" \
  "SELECT l.severity, l.path, l.value FROM policy AS p JOIN policy_version AS v USING (policy_id),
          iam_lint(v.document) AS l
   WHERE p.name = 'AmazonECS_FullAccess' AND v.version_id = 'v13' AND l.code = 'UNKNOWN_PREFIX'" \
  "warning|Statement[0].Action[42]|codedpeloy:ContinueDeployment"
check "the typo is gone in v14, where codedeploy:ContinueDeployment is new access" \
  "SELECT a.action, a.access_level, a.kind, a.conditional
   FROM policy AS p, policy_version AS o, policy_version AS n, iam_new_access(o.document, n.document) AS a
   WHERE p.name = 'AmazonECS_FullAccess' AND o.policy_id = p.policy_id AND n.policy_id = p.policy_id
     AND o.version_id = 'v13' AND n.version_id = 'v14'" \
  "codedeploy:ContinueDeployment|Write|action|0"
check "every version compared with itself: no new access" \
  "SELECT count(*) FROM policy_version AS v, iam_new_access(v.document, v.document)" "0"
# The comparison's work is bounded: patterns that make every pair costly, 2,000 of them compared
# with themselves, are decided; 8,000 are an error naming the limit (never a partial list).
wide() {
  printf "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i < %s - 1),
    p(t) AS (SELECT '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":['
      || group_concat(CASE WHEN i %% 2 = 0 THEN '\"arn:aws:s*a*a*b' || i || ':::*\"'
                           ELSE '\"arn:aws:s3:::*a*a*a*a*a*b' || i || '\"' END) || ']}}' FROM n)
    SELECT count(*) FROM iam_new_access((SELECT t FROM p), (SELECT t FROM p))" "$1"
}
check "iam_new_access: 2,000 costly patterns against themselves: no new access" "$(wide 2000)" "0"
check "iam_new_access: 8,000 of them: an error naming the work limit" "$(wide 8000)" \
  "Error: stepping, iam_new_access(): comparing the two policies' resource patterns needs more work than the limit of 2000000000 units: compare smaller policies"
# (the scalar reads the catalog on every call: on a big catalog, every 20th pair)
every=1
[ "$versions" -le 1000 ] || every=20
check "iam_grants_new_access agrees with iam_new_access on consecutive versions" \
  "WITH pairs AS (SELECT rowid AS r, lag(document) OVER (PARTITION BY policy_id ORDER BY version_num) AS o,
                         document AS n FROM policy_version)
   SELECT count(*) FROM pairs WHERE o IS NOT NULL AND r % $every = 0
     AND iam_grants_new_access(o, n) <> (SELECT count(*) > 0 FROM iam_new_access(o, n))" "0"
check "the report of added access runs, newest first" \
  "SELECT count(*) > 0, sum(\"new actions\" + wider + unlisted = 0) FROM ($(sed 's/;$//' sql/queries/catalog/71-added-access.sql))" \
  "1|0"
check "the lint summary runs and has no error row" \
  "SELECT count(*) > 0, sum(severity = 'error') FROM ($(sed 's/;$//' sql/queries/catalog/70-lint-summary.sql))" "1|0"
cp "$db" "$work/catalog.db"
run "sql/lint/catalog.sql makes lint_policy_finding" 0 \
  "$SQLITE3" -batch -bail -cmd ".load $IAM_EXT" "$work/catalog.db" ".read sql/lint/catalog.sql"
got=$("$SQLITE3" -batch -cmd ".load $IAM_EXT" "$work/catalog.db" "SELECT count(DISTINCT policy_id || version_id) > 0,
  count(*) = (SELECT count(*) FROM policy_version AS v, iam_lint(v.document)), sum(severity = 'error')
  FROM lint_policy_finding" 2>&1 || true)
if [ "$got" = "1|1|0" ]; then pass=$((pass + 1)); echo "ok   lint_policy_finding holds every finding"
else fail=$((fail + 1)); echo "FAIL lint_policy_finding: $got"; fi

# --- an inventory ---------------------------------------------------------------------------
if CATALOG_DB="$db" scripts/import-gaad.sh "$work/inv.db" tests/inventory/fixtures/demo-account.json \
     > "$work/out" 2>&1; then
  run "sql/lint/inventory.sql makes inv_lint_finding" 0 \
    "$SQLITE3" -batch -bail -cmd ".load $IAM_EXT" -cmd "ATTACH 'file:$db?mode=ro' AS catalog" \
    "$work/inv.db" ".read sql/lint/inventory.sql"
  got=$("$SQLITE3" -batch "$work/inv.db" "SELECT count(DISTINCT source), sum(severity = 'error'),
    sum(code = 'DATA_CHECKS_SKIPPED'), count(*) > 0 FROM inv_lint_finding" 2>&1 || true)
  if [ "$got" = "3|0|0|1" ]; then pass=$((pass + 1)); echo "ok   inv_lint_finding: inline, managed and trust policies"
  else fail=$((fail + 1)); echo "FAIL inv_lint_finding: $got"; fi
else
  fail=$((fail + 1)); echo "FAIL import of the demo account"; cat "$work/out"
fi

# --- scripts/lint.sh ------------------------------------------------------------------------
run "lint.sh --help" 0 scripts/lint.sh --help
has "lint.sh --help says how to call it" "Usage: scripts/lint.sh"
run "lint.sh without a file is a usage error" 2 scripts/lint.sh
run "lint.sh with an unknown option" 2 scripts/lint.sh --colour "$fx/bad.json"
run "lint.sh with a bad --fail-on" 2 scripts/lint.sh --fail-on never "$fx/bad.json"
run "lint.sh with a bad --format" 2 scripts/lint.sh --format xml "$fx/bad.json"
run "lint.sh with a bad --type" 2 scripts/lint.sh --type role "$fx/bad.json"
run "lint.sh with a missing catalog: exit 4" 4 scripts/lint.sh --catalog "$work/none.db" "$fx/bad.json"
has "lint.sh names the missing catalog" "the catalog $work/none.db cannot be used: it does not exist"
cp "$db" "$work/nolint.db"
"$SQLITE3" -batch "$work/nolint.db" "DROP TABLE lint_sensitive_access; DROP TABLE lint_paired_condition_key"
run "lint.sh with a catalog without some lint tables: exit 4" 4 scripts/lint.sh --catalog "$work/nolint.db" "$fx/bad.json"
has "lint.sh names the missing lint tables" "lacks tables the linter reads: lint_sensitive_access, lint_paired_condition_key"
run "lint.sh --catalog none: the data checks skipped, said once per document" 0 \
  scripts/lint.sh --catalog none --fail-on none "$fx/bad.json" "$fx/trust.json"
expect_lines "lint.sh --catalog none: one DATA_CHECKS_SKIPPED per document" 2 "$(grep -c 'suggestion DATA_CHECKS_SKIPPED' "$work/out")"
run "lint.sh names the catalog it reads" 0 scripts/lint.sh --catalog "$db" --fail-on none "$fx/bad.json"
if grep -q "reading the catalog $db" "$work/err"; then pass=$((pass + 1)); echo "ok   ... the catalog named on standard error"
else fail=$((fail + 1)); echo "FAIL the catalog named on standard error:"; cat "$work/err"; fi
run "lint.sh -q" 0 scripts/lint.sh -q --catalog "$db" --fail-on none "$fx/bad.json"
expect_lines "lint.sh -q: nothing on standard error" 0 "$(wc -c < "$work/err")"
run "lint.sh with a missing file: exit 1" 1 scripts/lint.sh "$work/missing.json"
has "lint.sh names the missing file" "missing.json: cannot read the file: it does not exist"
missing=()
for i in $(seq 25); do missing+=("$work/missing-$i.json"); done
run "lint.sh with 25 missing files" 1 scripts/lint.sh "${missing[@]}"
expect_lines "lint.sh: the first 20 problems, then how many more" "20 1" \
  "$(grep -c 'cannot read the file' "$work/err") $(grep -c '\.\.\. and 5 more' "$work/err")"
run "lint.sh -v with 25 missing files" 1 scripts/lint.sh -v "${missing[@]}"
expect_lines "lint.sh -v: every problem" 25 "$(grep -c 'cannot read the file' "$work/err")"
run "lint.sh on a bad file: exit 1" 1 scripts/lint.sh --catalog "$db" "$fx/bad.json" "$fx/broken.json"
has "every problem, with its place (1)" "$fx/bad.json:0:Statement[0].Action[1]: warning UNKNOWN_ACTION: ecs:RunTsk"
has "every problem, with its place (2)" "$fx/bad.json:1:Statement[1].Effect: error MALFORMED:"
has "every problem, with its place (3)" "$fx/bad.json:1:Statement[1].Action[1]: error MALFORMED:"
has "every problem, with its place (4)" "$fx/bad.json:1:Statement[1]: error MALFORMED: The statement has neither Resource nor NotResource"
has "every problem, with its place (5)" "$fx/bad.json:2:Statement[2].Condition.StringEqualz: error UNKNOWN_OPERATOR:"
has "every problem, with its place (6)" "$fx/broken.json:-:-: error MALFORMED_JSON: The JSON is malformed at byte 38 (line 2, column 23)."
run "lint.sh --fail-on none: exit 0" 0 scripts/lint.sh --fail-on none "$fx/bad.json"
run "lint.sh on a good trust policy: exit 0" 0 scripts/lint.sh --type trust "$fx/trust.json"
run "lint.sh on it as an identity policy: an error" 1 scripts/lint.sh "$fx/trust.json"
has "Principal in an identity policy" "error MALFORMED: Principal is not allowed in an identity policy"
run "lint.sh --format json" 1 scripts/lint.sh --catalog "$db" --format json "$fx/bad.json"
got=$("$SQLITE3" :memory: "SELECT json_valid(readfile('$work/out')), json_array_length(readfile('$work/out')) > 4,
  readfile('$work/out') ->> '\$[0].code'" 2>&1)
if [ "$got" = "1|1|UNKNOWN_ACTION" ]; then pass=$((pass + 1)); echo "ok   lint.sh --format json is a JSON array of findings"
else fail=$((fail + 1)); echo "FAIL lint.sh --format json: $got"; fi
run "lint.sh --format csv" 1 scripts/lint.sh --catalog "$db" --format csv "$fx/bad.json"
has "lint.sh --format csv has a header" "file,policy,severity,code,policy_index,statement_index,path,message,value"
run "lint.sh on a GAAD export" 0 scripts/lint.sh --catalog "$db" tests/inventory/fixtures/demo-account.json
has "a GAAD export: inline policies by owner" "demo-account.json:user ci-deployer inline deploy-web:"
has "a GAAD export: trust policies as trust" "trust policy:0:Statement[0].Principal: warning TRUST_POLICY_SERVICE_PRINCIPAL_WITHOUT_SOURCE_CONDITION"
run "lint.sh --fail-on security_warning on it" 1 scripts/lint.sh --catalog "$db" --fail-on security_warning tests/inventory/fixtures/demo-account.json
run "lint.sh --format summary" 0 scripts/lint.sh --catalog "$db" --format summary tests/inventory/fixtures/demo-account.json
has "lint.sh --format summary counts by code" "PRIVILEGE_ESCALATION"
run "lint.sh on a broken GAAD export: exit 1" 1 scripts/lint.sh tests/inventory/fixtures/bad-date.json
has "the importer's problem is shown" "CreateDate '2023-02-30T00:00:00Z' is not a date"
run "lint.sh on the default catalog's documents: no error" 0 scripts/lint.sh --catalog "$db" catalog/seed-documents/*.json
default=$PWD/catalog.db
[ ! -f catalog-full.db ] || default=$PWD/catalog-full.db
run "lint.sh without --catalog" 0 scripts/lint.sh --type trust "$fx/trust.json"
if grep -qxE "lint: \[ *[0-9.]+s\] reading the catalog ${default//./\\.}" "$work/err"; then
  pass=$((pass + 1)); echo "ok   ... reads catalog-full.db if it exists, else catalog.db, and says which"
else fail=$((fail + 1)); echo "FAIL without --catalog, the catalog read is not $default:"; cat "$work/err"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
