#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark of the privilege-escalation graph: for inventories of N accounts of 500 users and
# roles each (written straight into the inventory tables, shaped like a real estate: developers
# and analysts assuming team roles, deploy roles passing application roles to ECS and Lambda,
# cross-account roles, service users, administrators, grants), time scripts/build-paths.sh (the
# edges: edges/s) and the closure (inv_reach and inv_admin_path), with SQLite's own floor
# beside them: the same number of rows written by a plain INSERT ... SELECT, and a recursive CTE
# over the same edges without the evaluator.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench-paths

usage() {
  cat << EOF
Usage: scripts/bench-paths.sh [OPTIONS] [ACCOUNTS...]
Build inventories of ACCOUNTS accounts of 500 users and roles each (default: 1 10 50), build
their escalation graph with scripts/build-paths.sh and time it: one line per size with the
nodes, candidates, decisions and edges, the seconds of the edges (and edges/s), of the closure
(inv_reach_hop) and of the paths to admin (inv_admin_path, counted), and SQLite's floor beside
them (the same rows written by a plain INSERT ... SELECT). Not part of make test.

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version

Environment: SQLITE3, IAM_EXT, TMPDIR (about 6 MB per account), BENCH_PATHS_KEEP (a folder to keep
each inventory in, with its edges).

Exit status:
  0  measured
  1  a step failed
  2  usage: an unknown option, or a size that is not a number from 1 to 200
  4  missing: sqlite3 or the extension
EOF
}
sizes=()
while [ $# -gt 0 ]; do
  case $1 in
    -?*) common_option "$1" || bad_option "$1" ;;
    *)
      if ! [[ $1 =~ ^[1-9][0-9]{0,2}$ ]] || [ "$1" -gt 200 ]; then
        usage_error "a size is a number of accounts from 1 to 200, not '$(shown "$1")'"
      fi
      sizes+=("$1")
      ;;
  esac
  shift
done
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10 50)
need_sqlite3
need_ext
work=
temp_dir work

# gen N: the SQL that begins to fill an inventory of N accounts (4000000NNNNN): the accounts and
# their managed policies, in a transaction that gen_rest ends
gen() {
  cat << EOF
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE acct AS
WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $1)
SELECT i, printf('4000000%05d', i) AS id, printf('4000000%05d', CASE WHEN i = $1 THEN 1 ELSE i + 1 END) AS next,
       printf('4000000%05d', CASE WHEN i = 1 THEN $1 ELSE i - 1 END) AS prev FROM c;
CREATE TEMP TABLE k AS WITH RECURSIVE c (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 300) SELECT k FROM c;
CREATE TEMP TABLE svc AS SELECT column1 AS n, column2 AS name FROM (VALUES (0, 'ecs-tasks'), (1, 'lambda'), (2, 'ec2'), (3, 'codebuild'), (4, 'glue'));
INSERT INTO inv_account (account_id, source_files) SELECT id, '["bench"]' FROM acct;
INSERT INTO inv_managed_policy (account_id, arn, name, default_version_id, source)
SELECT id, 'arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess', 'v1', 'file' FROM acct
UNION ALL SELECT id, 'arn:aws:iam::' || id || ':policy/AnalystBoundary', 'AnalystBoundary', 'v1', 'file' FROM acct;
INSERT INTO inv_policy_version (account_id, policy_arn, version_id, is_default, document)
SELECT id, 'arn:aws:iam::aws:policy/AdministratorAccess', 'v1', 1, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' FROM acct
UNION ALL SELECT id, 'arn:aws:iam::' || id || ':policy/AnalystBoundary', 'v1', 1,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","athena:*"],"Resource":"*"}]}' FROM acct;
EOF
}
# gen_rest: the roles, users and their policies of every account of acct, then COMMIT
gen_rest() {
  cat << 'EOF'
-- roles: admin-1..5 (1-3 need MFA), app-1..100 (a service each), deploy-1..50 (their developer),
-- team-1..100 (the account), xacct-1..45 (the previous account)
INSERT INTO inv_role (account_id, name, role_id, arn, trust_policy)
SELECT a.id, 'admin-' || k.k, printf('AROA%05dADM%03d', a.i, k.k), 'arn:aws:iam::' || a.id || ':role/admin-' || k.k,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::' || a.id || ':root"},"Action":"sts:AssumeRole"'
  || CASE WHEN k.k <= 3 THEN ',"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}' ELSE '' END || '}]}'
FROM acct AS a, k WHERE k.k <= 5;
INSERT INTO inv_role (account_id, name, role_id, arn, trust_policy)
SELECT a.id, 'app-' || k.k, printf('AROA%05dAPP%03d', a.i, k.k), 'arn:aws:iam::' || a.id || ':role/app-' || k.k,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"' || s.name || '.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
FROM acct AS a, k JOIN svc AS s ON s.n = k.k % 5 WHERE k.k <= 100;
INSERT INTO inv_role (account_id, name, role_id, arn, trust_policy)
SELECT a.id, 'deploy-' || k.k, printf('AROA%05dDEP%03d', a.i, k.k), 'arn:aws:iam::' || a.id || ':role/deploy-' || k.k,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::' || a.id || ':user/dev-' || k.k || '"},"Action":"sts:AssumeRole"}]}'
FROM acct AS a, k WHERE k.k <= 50;
INSERT INTO inv_role (account_id, name, role_id, arn, trust_policy)
SELECT a.id, 'team-' || k.k, printf('AROA%05dTEA%03d', a.i, k.k), 'arn:aws:iam::' || a.id || ':role/team-' || k.k,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::' || a.id || ':root"},"Action":"sts:AssumeRole"}]}'
FROM acct AS a, k WHERE k.k <= 100;
INSERT INTO inv_role (account_id, name, role_id, arn, trust_policy)
SELECT a.id, 'xacct-' || k.k, printf('AROA%05dXAC%03d', a.i, k.k), 'arn:aws:iam::' || a.id || ':role/xacct-' || k.k,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::' || a.prev || ':root"},"Action":"sts:AssumeRole"}]}'
FROM acct AS a, k WHERE k.k <= 45;
-- users: dev-1..50, analyst-1..100 (51-100 behind a boundary), svc-1..40 (every 10th an admin), ops-1..10
INSERT INTO inv_user (account_id, name, user_id, arn, boundary_arn)
SELECT a.id, u.name, printf('AIDA%05d%s', a.i, upper(u.name)), 'arn:aws:iam::' || a.id || ':user/' || u.name,
       CASE WHEN u.name GLOB 'analyst-*' AND u.n > 50 THEN 'arn:aws:iam::' || a.id || ':policy/AnalystBoundary' END
FROM acct AS a, (SELECT k AS n, 'dev-' || k AS name FROM k WHERE k <= 50
                 UNION ALL SELECT k, 'analyst-' || k FROM k WHERE k <= 100
                 UNION ALL SELECT k, 'svc-' || k FROM k WHERE k <= 40
                 UNION ALL SELECT k, 'ops-' || k FROM k WHERE k <= 10) AS u;
-- policies
INSERT INTO inv_inline_policy (account_id, owner_kind, owner_name, policy_name, document)
SELECT r.account_id, 'role', r.name, 'main', CASE
  WHEN r.name GLOB 'admin-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
  WHEN r.name GLOB 'app-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","sqs:SendMessage"],"Resource":"*"}'
    || CASE WHEN CAST(substr(r.name, 5) AS INTEGER) % 10 = 0
            THEN ',{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::' || r.account_id || ':role/admin-5"}' ELSE '' END || ']}'
  WHEN r.name GLOB 'deploy-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::'
    || r.account_id || ':role/app-*"},{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:RunTask","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}'
  WHEN r.name GLOB 'team-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","dynamodb:*"],"Resource":"*"}'
    || CASE WHEN CAST(substr(r.name, 6) AS INTEGER) % 7 = 0
            THEN ',{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::' || a.next || ':role/xacct-*"}' ELSE '' END || ']}'
  ELSE '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::' || r.account_id || ':user/svc-*"}]}'
  END
FROM inv_role AS r JOIN acct AS a ON a.id = r.account_id;
INSERT INTO inv_inline_policy (account_id, owner_kind, owner_name, policy_name, document)
SELECT u.account_id, 'user', u.name, 'main', CASE
  WHEN u.name GLOB 'dev-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":["arn:aws:iam::'
    || u.account_id || ':role/' || replace(u.name, 'dev-', 'deploy-') || '","arn:aws:iam::' || u.account_id || ':role/team-'
    || (CAST(substr(u.name, 5) AS INTEGER) % 10) || '*"]}]}'
  WHEN u.name GLOB 'analyst-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Effect":"Allow","Action":"sts:AssumeRole","Resource":["arn:aws:iam::'
    || u.account_id || ':role/team-' || (CAST(substr(u.name, 9) AS INTEGER) % 10) || '*","arn:aws:iam::' || u.account_id || ':role/admin-*"]}]}'
  WHEN u.name GLOB 'svc-*' THEN '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}'
  ELSE '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"arn:aws:iam::' || u.account_id
    || ':role/app-*"},{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::' || u.account_id || ':user/' || u.name || '"}]}'
  END
FROM inv_user AS u;
INSERT INTO inv_attachment (account_id, principal_kind, principal_name, policy_arn, policy_name)
SELECT account_id, 'user', name, 'arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess'
FROM inv_user WHERE name GLOB 'svc-*0';
COMMIT;
EOF
}

printf '%-9s %6s %6s %10s %8s %10s %8s %8s %8s %8s %9s %9s %8s %7s %8s\n' accounts nodes admins candidates cut decisions edges edges_s edges/s floor_s reach closure_s floor_s paths paths_s
for n in "${sizes[@]}"; do
  db=$work/paths-$n.db
  rm -f -- "$db"
  say "$n account(s): writing the inventory"
  {
    echo ".bail on"
    echo ".read $(dot_quote "$ROOT/sql/inventory/schema.sql")"
    echo ".read $(dot_quote "$ROOT/sql/org/schema.sql")"
    echo ".read $(dot_quote "$ROOT/sql/org/paths-schema.sql")"
    gen "$n"
    gen_rest
  } > "$work/gen.sql"
  "$SQLITE3" -batch "$db" < "$work/gen.sql" > "$work/gen.out" 2>&1 || { cat "$work/gen.out" >&2; die 1 "writing the inventory failed"; }
  say "$n account(s): $("$SQLITE3" -batch "$db" "SELECT count(*) FROM inv_principal") principals; building"
  line=$("$ROOT/scripts/build-paths.sh" -q "$db") || die 1 "build-paths.sh failed on $n account(s)"
  if [ -n "${BENCH_PATHS_KEEP:-}" ]; then cp -- "$db" "$BENCH_PATHS_KEEP/paths-$n.db"; fi

  declare -A v=()
  for kv in $line; do v[${kv%%=*}]=${kv#*=}; done
  # SQLite's floor: the same number of edge rows by a plain INSERT ... SELECT, and the same
  # reach by a recursive CTE over the edges (pairs only, no path, no evaluator)
  floor_edges=
  floor_closure=
  t0=${EPOCHREALTIME/./}
  "$SQLITE3" -batch "$db" "CREATE TEMP TABLE f AS SELECT src, dst, rule, via, effect, evidence FROM inv_edge WHERE 0;
    INSERT INTO f SELECT src, dst, rule, via || 'x', effect, evidence FROM inv_edge;" > /dev/null
  seconds_since -v floor_edges "$t0"
  t0=${EPOCHREALTIME/./}
  "$SQLITE3" -batch "$db" "CREATE TEMP TABLE g AS SELECT * FROM inv_reach_hop WHERE 0;
    INSERT INTO g SELECT src, dst, hops, via FROM inv_reach_hop;" > /dev/null
  seconds_since -v floor_closure "$t0"
  printf '%-9s %6s %6s %10s %8s %10s %8s %8s %8s %8s %9s %9s %8s %7s %8s\n' "$n" "${v[nodes]}" "${v[admins]}" "${v[candidates]}" \
    "${v[cut]}" "${v[decisions]}" "${v[edges]}" "${v[edges_s]}" "${v[edges_per_s]}" "$floor_edges" "${v[reach_pairs]}" "${v[closure_s]}" \
    "$floor_closure" "${v[admin_paths]}" "${v[paths_s]}"
  rm -f -- "$db"
done
