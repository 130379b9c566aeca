#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Time the organization imports and reports at the size of a real organization: ACCOUNTS member
# accounts shaped like the shared GAAD sample (../shared/fixtures/gaad/cloudsplaining-example.json,
# 122 users and roles each, as scripts/bench-report.sh makes them), in an organization shaped
# like the fixture one (tests/org/fixtures/org: a Workloads OU with one nested OU per ten
# accounts, FullAWSAccess everywhere, the fixture's SCPs and RCPs), one bucket per account whose
# policy grants the next account, and the default questions of inv_question (4) asked by every
# principal (org_who_can: one whole-request explanation per principal and question).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench-org

usage() {
  cat << EOF
Usage: scripts/bench-org.sh [OPTIONS] [ACCOUNTS]
Build an organization of ACCOUNTS accounts (default 100) shaped like the shared GAAD sample and
time import-gaad.sh, import-org.sh, import-resource-policies.sh and the organization reports
(70-org-accounts, 72-org-who-can, 75-outside-access). Prints one line per step with its seconds,
then key=value lines.

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Environment: SHARED_GAAD (default ../shared/fixtures/gaad/cloudsplaining-example.json),
CATALOG_DB (default catalog.db of this repository), SQLITE3, IAM_EXT, TMPDIR (about 3.5 MB per
account).

Exit status:
  0  measured
  1  a step failed
  2  usage: an unknown option, or a size that is not a number from 1 to 999
  4  missing: the shared sample, the catalog, sqlite3 or the extension
EOF
}
n=
while [ $# -gt 0 ]; do
  case $1 in
    -?*) common_option "$1" || bad_option "$1" ;;
    *)
      [ -z "$n" ] || usage_error "one size only"
      [[ $1 =~ ^[1-9][0-9]{0,2}$ ]] || usage_error "a size is a number of accounts from 1 to 999, not '$1'"
      n=$1
      ;;
  esac
  shift
done
n=${n:-100}
sample=${SHARED_GAAD:-$ROOT/../shared/fixtures/gaad/cloudsplaining-example.json}
[ -f "$sample" ] || die 4 "the shared GAAD sample $(shown "$sample") is not there (set SHARED_GAAD)"
catalog=${CATALOG_DB:-$ROOT/catalog.db}
problem=$(catalog_problem "$catalog" actions)
[ -z "$problem" ] || die 4 "the catalog $(shown "$catalog") cannot be used: $problem"
need_sqlite3
need_ext
work=
temp_dir work
quiet=()
[ "$VERBOSE" = 1 ] || quiet=(-q)

say "writing $n account(s) shaped like $(shown "$sample"), their organization and buckets"
ids=()
for ((i = 1; i <= n; i++)); do
  id=$(printf '3000000000%02d' "$i")
  [ "$i" -lt 100 ] || id=$(printf '300000000%03d' "$i")
  ids+=("$id")
  sed -e "s/200611803367/$id/g" -e "s/012345678901/$id/g" -- "$sample" > "$work/account-$i.json"
done
# The organization: the fixture's files, its accounts replaced by these (one OU under Workloads
# per ten accounts), every policy attached where the fixture attaches it plus FullAWSAccess and
# RCPFullAWSAccess on every new OU and account.
org=$work/org
fx=$ROOT/tests/org/fixtures/org
cp -r -- "$fx" "$org"
ids_json=$(printf '"%s",' "${ids[@]}")
ids_json="[${ids_json%,}]"
"$SQLITE3" -batch :memory: << EOF > /dev/null || die 1 "cannot write the organization"
CREATE TABLE a (i INTEGER PRIMARY KEY, id TEXT);
INSERT INTO a SELECT key + 1, value FROM json_each('$ids_json');
CREATE TABLE ou AS SELECT DISTINCT (i - 1) / 10 AS k, printf('ou-a1b2-bench%03d', (i - 1) / 10) AS id FROM a;
SELECT writefile('$org/list-organizational-units-for-parent/ou-a1b2-work0001.json',
  json_object('OrganizationalUnits', (SELECT json_group_array(json(o)) FROM (
    SELECT value AS o FROM json_each(CAST(readfile('$org/list-organizational-units-for-parent/ou-a1b2-work0001.json') AS TEXT), '\$.OrganizationalUnits')
    UNION ALL SELECT json_object('Id', id, 'Arn', 'arn:aws:organizations::100000000001:ou/o-a1b2c3d4e5/' || id, 'Name', 'bench-' || k) FROM ou))));
SELECT writefile('$org/list-organizational-units-for-parent/' || id || '.json', '{"OrganizationalUnits": []}') FROM ou;
SELECT writefile('$org/list-accounts-for-parent/' || ou.id || '.json',
  json_object('Accounts', (SELECT json_group_array(json_object('Id', a.id,
    'Arn', 'arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/' || a.id, 'Name', 'bench-' || a.i,
    'Email', 'bench-' || a.i || '@acme.example', 'Status', 'ACTIVE', 'JoinedMethod', 'CREATED',
    'JoinedTimestamp', '2024-01-01T00:00:00+00:00')) FROM a WHERE (a.i - 1) / 10 = ou.k)))
FROM ou;
SELECT writefile('$org/list-targets-for-policy/' || p || '.json',
  json_set(CAST(readfile('$org/list-targets-for-policy/' || p || '.json') AS TEXT), '\$.Targets',
    json((SELECT json_group_array(json(t)) FROM (
      SELECT value AS t FROM json_each(CAST(readfile('$org/list-targets-for-policy/' || p || '.json') AS TEXT), '\$.Targets')
      UNION ALL SELECT json_object('TargetId', id, 'Arn', 'x', 'Name', 'bench', 'Type', 'ORGANIZATIONAL_UNIT') FROM ou
      UNION ALL SELECT json_object('TargetId', id, 'Arn', 'x', 'Name', 'bench', 'Type', 'ACCOUNT') FROM a)))))
FROM (SELECT 'p-FullAWSAccess' AS p UNION ALL SELECT 'p-RCPFullAWSAccess');
EOF
# one bucket per account, its policy naming the next account
"$SQLITE3" -batch :memory: "SELECT writefile('$work/buckets.json', json_group_array(json_object(
    'arn', 'arn:aws:s3:::bench-bucket-' || key, 'account', value,
    'policy', json_object('Version', '2012-10-17', 'Statement', json_array(json_object('Effect', 'Allow',
      'Principal', json_object('AWS', 'arn:aws:iam::' || coalesce(json_extract('$ids_json', '\$[' || (key + 1) || ']'), '999999999999') || ':root'),
      'Action', json_array('s3:GetObject', 's3:ListBucket'),
      'Resource', json_array('arn:aws:s3:::bench-bucket-' || key, 'arn:aws:s3:::bench-bucket-' || key || '/*')))))))
  FROM json_each('$ids_json')" > /dev/null || die 1 "cannot write the buckets"

db=$work/org.db
step() { # NAME CMD...: run and time
  local name=$1 t0 took
  shift
  t0=${EPOCHREALTIME/./}
  "$@" > "$work/step.out" 2> "$work/step.err" || { cat "$work/step.err" >&2; die 1 "$name failed"; }
  seconds_since -v took "$t0"
  printf '%-28s %s s\n' "$name" "$took"
  results+=("${name//[^a-z0-9]/_}_s=$took")
}
results=()
files=()
for ((i = 1; i <= n; i++)); do files+=("$work/account-$i.json"); done
step "import-gaad" "$ROOT/scripts/import-gaad.sh" "${quiet[@]}" --catalog "$catalog" "$db" "${files[@]}"
step "import-org" "$ROOT/scripts/import-org.sh" "${quiet[@]}" "$db" "$org"
step "import-resource-policies" "$ROOT/scripts/import-resource-policies.sh" "${quiet[@]}" "$db" "$work/buckets.json"
mkdir -p "$work/queries"
cp -- "$ROOT"/sql/queries/inventory/7[0-9]-*.sql "$work/queries/"
step "reports 70, 72, 75" env QUERY_DIR="$work/queries" "$ROOT/scripts/report.sh" --catalog "$catalog" "$db" "$work/report"
principals=$("$SQLITE3" -batch -readonly "$db" "SELECT count(*) FROM inv_principal")
pairs=$("$SQLITE3" -batch -readonly "$db" "SELECT count(*) * (SELECT count(*) FROM inv_question) FROM inv_principal")
rows=$(sed -n 's/^report: \[ *[0-9.]*s\] \(7[0-9]-[a-z-]*\): \([0-9]*\) rows\{0,1\} \[\([0-9.]*\) s\]$/\1=\3s/p' "$work/step.err" | tr '\n' ' ')
printf '%s accounts, %s users and roles, %s whole requests explained by org_who_can; per report: %s\n' \
  "$n" "$principals" "$pairs" "$rows"
printf '%s\n' "accounts=$n" "principals=$principals" "who_can_requests=$pairs" "${results[@]}"
