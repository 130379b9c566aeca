#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of the privilege-escalation graph: scripts/build-paths.sh, sql/org/build-paths.sql and the
# views of sql/org/paths-schema.sql on the fixture accounts of tests/paths/fixtures/ (in the
# fixture organization of tests/org/fixtures/org): the exact edges, paths and non-paths (chains of
# 2, 3 and 4 hops, a cross-account hop, a cycle, paths that an SCP, a boundary, a trust-policy
# condition and an RCP block, and how each flips when the data changes), the requests behind an
# edge explained, the editable rules, the reports 80-escalation-paths and 85-blast-radius, the
# script as a tool (all or nothing); and figures checked by hand on the shared GAAD sample.
# Prints "N passed, N failed" last; exits 1 on any failure.
# Environment: SQLITE3, IAM_EXT (default dist/iam), SHARED_GAAD (the shared sample); needs
# catalog.db (make catalog).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
fx=tests/paths/fixtures
SHARED_GAAD=${SHARED_GAAD:-../shared/fixtures/gaad/cloudsplaining-example.json}
[ -f catalog.db ] || { fail "catalog.db exists (make catalog)"; finish; }
[ "$HAVE_EXT" = 1 ] || { fail "the extension loads ($IAM_EXT)"; finish; }

# run NAME EXPECTED_STATUS CMD...: CMD's status must be EXPECTED_STATUS (output in $WORK/out, err)
run() {
  local name=$1 want=$2 rc=0
  shift 2
  "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else fail "$name" "exit $rc, expected $want" "$(tail -n 5 "$WORK/err")"; fi
}
check() { expect_sql "$@"; }
# build DB [ARGS...]: scripts/build-paths.sh, quiet; its summary line in $WORK/out
build() { run "build-paths ${*:2}" 0 scripts/build-paths.sh -q "$@"; }
# the paths, one line each: hops|path
paths_sql="SELECT hops || '|' || path FROM inv_admin_path ORDER BY hops, src;"
# blocked NAME DB SRC DST RULE EXPECTED: the request of the candidate edge (never stored) that is
# not allowed, explained: the step, its action and decision and the deciding statement
blocked() {
  check "$1" "$2" "BEGIN;
INSERT INTO inv_edge (src, dst, rule, via, effect) VALUES ('$3', '$4', '$5', '', 'act');
SELECT edge_step, action, decision, coalesce(policy_type, '-'), coalesce(sid, '-'), step_reason
FROM inv_edge_explain WHERE src = '$3' AND dst = '$4' AND decisive AND decision <> 'Allow' ORDER BY edge_step LIMIT 1;
ROLLBACK;" "$6"
}
D=arn:aws:iam::100000000004
P=arn:aws:iam::100000000003
S=arn:aws:iam::100000000002

###############################################################################
echo "# the fixture accounts in the fixture organization"
db=$WORK/paths.db
run "import-gaad: dev, prod, security and the partner" 0 env CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$db" $fx/gaad-*.json
run "import-org: the fixture organization" 0 scripts/import-org.sh -q "$db" tests/org/fixtures/org
check "the default rules are there, once" "$db" \
  "SELECT count(*), sum(family = 'pass-role'), (SELECT count(*) FROM esc_rule_step), (SELECT group_concat(value) FROM esc_setting) FROM esc_rule" \
  "21|7|33|8,us-east-1"
check "before a build the reports' setup says the graph is not built" "$db" \
  "SELECT EXISTS (SELECT 1 FROM esc_build WHERE key = 'built')" 0
build "$db" --region eu-west-1
expect "build-paths: the summary line (the figures up to the times)" \
  "nodes=28 admins=7 candidates=98 cut=18 decisions=91 edges=18" "$(sed 's/ edges_s=.*//' "$WORK/out")"
expect_grep "build-paths: the closure figures" " reach_pairs=26 closure_s=[0-9.]* admin_paths=17 paths_s=[0-9.]*$" "$WORK/out"
check "administrators: decided by the evaluator ('*:*' or 'iam:*' on '*'), a group among them" "$db" \
  "SELECT group_concat(label || ' ' || admin_by, ', ') FROM (SELECT * FROM inv_node WHERE admin ORDER BY label)" \
  "100000000002:role/audit-admin *:*, 100000000003:role/partner-admin *:*, 100000000003:role/prod-admin *:*, 100000000004:group/admins *:*, 100000000004:role/dev-admin *:*, 100000000004:role/mfa-admin *:*, 100000000004:user/dev-root-user *:*"

echo "# exactly these edges"
check "the 18 edges" "$db" "SELECT s.label || ' =' || e.rule || '=> ' || d.label || ' ' || e.effect
FROM inv_edge AS e JOIN inv_node AS s ON s.arn = e.src JOIN inv_node AS d ON d.arn = e.dst ORDER BY 1;" \
"100000000002:role/cycle-a =AssumeRole=> 100000000002:role/cycle-b act
100000000002:role/cycle-b =AssumeRole=> 100000000002:role/audit-admin act
100000000002:role/cycle-b =AssumeRole=> 100000000002:role/cycle-a act
100000000002:user/sec-jo =AssumeRole=> 100000000002:role/cycle-a act
100000000003:role/codebuild-prod =AssumeRole=> 100000000003:role/prod-admin act
100000000003:role/deploy =PassRoleToCodeBuild=> 100000000003:role/codebuild-prod act
100000000004:role/build-task =AssumeRole=> 100000000004:role/dev-admin act
100000000004:role/ci-runner =AssumeRole=> 100000000003:role/deploy act
100000000004:role/lambda-deployer =AttachRolePolicy=> 100000000004:role/lambda-deployer grant
100000000004:role/ops-helper =PassRoleToLambda=> 100000000004:role/lambda-deployer act
100000000004:user/dev-carol =PassRoleToECSTask=> 100000000004:role/build-task act
100000000004:user/dev-dan =AssumeRole=> 100000000004:role/ops-helper act
100000000004:user/dev-erin =AssumeRole=> 100000000004:role/ci-runner act
100000000004:user/dev-kim =AddUserToGroup=> 100000000004:group/admins act
100000000004:user/dev-lee =CreatePolicyVersion=> 100000000004:user/dev-lee grant
100000000004:user/dev-max =SetDefaultPolicyVersion=> 100000000004:user/dev-max grant
100000000004:user/dev-nora =UpdateAssumeRolePolicy=> 100000000004:role/mfa-admin act
100000000004:user/dev-olga =UpdateLoginProfile=> 100000000004:user/dev-root-user act"
check "every request behind every edge is allowed when decided again, and the evidence says the same" "$db" \
  "SELECT count(*), sum(iam_decision(r.request, r.action, r.resource, r.ctx) = 'Allow'),
          sum((SELECT s.value ->> '$.decision' FROM inv_edge AS e, json_each(e.evidence, '$.steps') AS s
               WHERE e.src = r.src AND e.dst = r.dst AND e.rule = r.rule AND e.via = r.via
                 AND s.value ->> '$.step' = r.step) = 'Allow')
   FROM inv_edge_request AS r" "28|28|28"
check "the evidence of a pass-role edge: each step, what allowed it (the trust requirement as step 0)" "$db" \
  "SELECT s.value ->> '$.step', s.value ->> '$.caller', s.value ->> '$.action', s.value ->> '$.resource', s.value -> '$.allowed_by'
   FROM inv_edge AS e, json_each(e.evidence, '$.steps') AS s WHERE e.src = '$D:user/dev-carol'" \
"0|ecs-tasks.amazonaws.com|sts:AssumeRole|$D:role/build-task|[\"trust policy of $D:role/build-task\"]
1|$D:user/dev-carol|iam:PassRole|$D:role/build-task|[\"identity policy 'run-build-task' (inline)\",\"the SCPs of account 100000000004\"]
2|$D:user/dev-carol|ecs:RegisterTaskDefinition|*|[\"identity policy 'run-build-task' (inline)\",\"the SCPs of account 100000000004\"]
3|$D:user/dev-carol|ecs:RunTask|arn:aws:ecs:eu-west-1:100000000004:task-definition/*|[\"identity policy 'run-build-task' (inline)\",\"the SCPs of account 100000000004\"]"
check "explain an edge: the iam_explain rows of each request, here the decisive one per step" "$db" \
  "SELECT edge_step, caller, action, decision, step, coalesce(policy_type, '-') FROM inv_edge_explain
   WHERE src = '$D:user/dev-carol' AND dst = '$D:role/build-task' AND rule = 'PassRoleToECSTask' AND decisive ORDER BY edge_step" \
"0|ecs-tasks.amazonaws.com|sts:AssumeRole|Allow|unauthenticated|resource
1|$D:user/dev-carol|iam:PassRole|Allow|identity|identity
2|$D:user/dev-carol|ecs:RegisterTaskDefinition|Allow|identity|identity
3|$D:user/dev-carol|ecs:RunTask|Allow|identity|identity"
check "the cross-account hop: the trust policy in prod names the dev role; the resource account is prod" "$db" \
  "SELECT caller, request ->> '$.resource_account', policy, ctx ->> '$.\"aws:ResourceOrgID\"' FROM inv_edge_request
   WHERE src = '$D:role/ci-runner'" \
  "arn:aws:sts::100000000004:assumed-role/ci-runner/sqlite-iam|100000000003|trust policy of $P:role/deploy|o-a1b2c3d4e5"

echo "# exactly these paths, and no others"
check "the shortest path of every principal that can become admin (2, 3, 4 hops, across accounts, through a cycle)" "$db" "$paths_sql" \
"1|100000000002:role/cycle-b =AssumeRole=> 100000000002:role/audit-admin (admin)
1|100000000003:role/codebuild-prod =AssumeRole=> 100000000003:role/prod-admin (admin)
1|100000000004:role/build-task =AssumeRole=> 100000000004:role/dev-admin (admin)
1|100000000004:role/lambda-deployer =AttachRolePolicy=> (itself: admin)
1|100000000004:user/dev-kim =AddUserToGroup=> 100000000004:group/admins (admin)
1|100000000004:user/dev-lee =CreatePolicyVersion=> (itself: admin)
1|100000000004:user/dev-max =SetDefaultPolicyVersion=> (itself: admin)
1|100000000004:user/dev-nora =UpdateAssumeRolePolicy=> 100000000004:role/mfa-admin (admin)
1|100000000004:user/dev-olga =UpdateLoginProfile=> 100000000004:user/dev-root-user (admin)
2|100000000002:role/cycle-a =AssumeRole=> 100000000002:role/cycle-b =AssumeRole=> 100000000002:role/audit-admin (admin)
2|100000000003:role/deploy =PassRoleToCodeBuild=> 100000000003:role/codebuild-prod =AssumeRole=> 100000000003:role/prod-admin (admin)
2|100000000004:role/ops-helper =PassRoleToLambda=> 100000000004:role/lambda-deployer =AttachRolePolicy=> (itself: admin)
2|100000000004:user/dev-carol =PassRoleToECSTask=> 100000000004:role/build-task =AssumeRole=> 100000000004:role/dev-admin (admin)
3|100000000002:user/sec-jo =AssumeRole=> 100000000002:role/cycle-a =AssumeRole=> 100000000002:role/cycle-b =AssumeRole=> 100000000002:role/audit-admin (admin)
3|100000000004:role/ci-runner =AssumeRole=> 100000000003:role/deploy =PassRoleToCodeBuild=> 100000000003:role/codebuild-prod =AssumeRole=> 100000000003:role/prod-admin (admin)
3|100000000004:user/dev-dan =AssumeRole=> 100000000004:role/ops-helper =PassRoleToLambda=> 100000000004:role/lambda-deployer =AttachRolePolicy=> (itself: admin)
4|100000000004:user/dev-erin =AssumeRole=> 100000000004:role/ci-runner =AssumeRole=> 100000000003:role/deploy =PassRoleToCodeBuild=> 100000000003:role/codebuild-prod =AssumeRole=> 100000000003:role/prod-admin (admin)"
check "the non-paths: the principals that are not admin and cannot become one" "$db" \
  "SELECT group_concat(label, ', ') FROM (SELECT label FROM inv_node AS n WHERE kind IN ('user', 'role') AND NOT admin
   AND NOT EXISTS (SELECT 1 FROM inv_admin_path AS p WHERE p.src = n.arn) ORDER BY label)" \
  "100000000004:user/dev-frank, 100000000004:user/dev-gina, 100000000004:user/dev-hank, 222233334444:user/partner-pat"
check "the path as JSON: one hop object per hop, the closing grant last" "$db" \
  "SELECT json_array_length(path_json), group_concat(h.value ->> '$.rule', ' '), admin FROM inv_admin_path, json_each(path_json) AS h
   WHERE src = '$D:user/dev-dan'" "3|AssumeRole PassRoleToLambda AttachRolePolicy|$D:role/lambda-deployer"
check "the cycle: both roles reach each other in 1 hop, no principal reaches itself, the walk in from sec-jo" "$db" \
  "SELECT (SELECT count(*) FROM inv_reach WHERE src = dst),
          (SELECT group_concat(substr(src, 27) || '>' || substr(dst, 27) || ':' || hops, ' ') FROM
            (SELECT * FROM inv_reach WHERE src LIKE '$S:%' ORDER BY src, hops, dst))" \
  "0|role/cycle-a>role/cycle-b:1 role/cycle-a>role/audit-admin:2 role/cycle-b>role/audit-admin:1 role/cycle-b>role/cycle-a:1 user/sec-jo>role/cycle-a:1 user/sec-jo>role/cycle-b:2 user/sec-jo>role/audit-admin:3"

echo "# why the non-paths: the candidate's request that is not allowed, explained"
blocked "blocked by an SCP: dev-frank may create dev-root-user's keys, the Dev OU's SCP denies it" "$db" \
  "$D:user/dev-frank" "$D:user/dev-root-user" CreateAccessKey \
  "1|iam:CreateAccessKey|ExplicitDeny|scp|NoIAMUsers|explicit Deny in scps[2][1].Statement[0]"
blocked "blocked by a boundary: dev-gina may pass any role, her boundary does not allow iam:PassRole" "$db" \
  "$D:user/dev-gina" "$D:role/lambda-deployer" PassRoleToLambda \
  "1|iam:PassRole|ImplicitDeny|-|-|the permissions boundary does not allow it"
blocked "blocked by a trust-policy condition: mfa-admin's trust asks for MFA" "$db" \
  "$D:user/dev-hank" "$D:role/mfa-admin" AssumeRole \
  "1|sts:AssumeRole|ImplicitDeny|-|-|the role's trust policy must allow, also within its account: it does not name the caller or its account"
check "  (the trust statement names the account; its condition lacks aws:MultiFactorAuthPresent)" "$db" "BEGIN;
INSERT INTO inv_edge (src, dst, rule, via, effect) VALUES ('$D:user/dev-hank', '$D:role/mfa-admin', 'AssumeRole', '', 'act');
SELECT principal_match, conditions_matched, missing_keys FROM inv_edge_explain WHERE src = '$D:user/dev-hank' AND policy_type = 'resource';
ROLLBACK;" 'account|0|["aws:MultiFactorAuthPresent"]'
blocked "blocked by an RCP: the partner is named by partner-admin's trust, prod's RCP keeps outsiders out" "$db" \
  "arn:aws:iam::222233334444:user/partner-pat" "$P:role/partner-admin" AssumeRole \
  "1|sts:AssumeRole|ExplicitDeny|rcp|EnforceOrgIdentities|explicit Deny in rcps[1][1].Statement[0]"

echo "# the flips: change the data, the graph is stale; rebuild, the path appears"
flip=$WORK/flip.db
cp "$db" "$flip"
q "$flip" "PRAGMA foreign_keys = ON; DELETE FROM org_attachment WHERE policy_id = 'p-devnoiamusr';"
check "an organization change makes the graph stale" "$flip" "SELECT count(*) FROM esc_build" 0
run "report.sh on a stale graph" 0 scripts/report.sh -q "$flip" "$WORK/stale-report"
expect "  80-escalation-paths says so in its one row" \
  "\"\",\"\",\"\",,\"\",\"\",\"the escalation graph is not built, or an import or a rule edit made it stale: run scripts/build-paths.sh DB\",\"\",[]" \
  "$(sed -n 2,9p "$WORK/stale-report/80-escalation-paths.csv" | tr -d '\r')"
build "$flip"
check "without the SCP DevNoIAMUsers: dev-frank takes over dev-root-user" "$flip" \
  "SELECT hops || '|' || path FROM inv_admin_path WHERE src = '$D:user/dev-frank'" \
  "1|100000000004:user/dev-frank =CreateAccessKey=> 100000000004:user/dev-root-user (admin)"
check "the region in force is kept (eu-west-1, as set)" "$flip" "SELECT value FROM esc_build WHERE key = 'region'" eu-west-1
q "$flip" "UPDATE inv_user SET boundary_arn = NULL WHERE name = 'dev-gina';
UPDATE inv_role SET trust_policy = json_remove(trust_policy, '$.Statement[0].Condition') WHERE name = 'mfa-admin';
DELETE FROM org_attachment WHERE policy_id = 'p-rcporgonly1';"
build "$flip"
check "without her boundary dev-gina passes lambda-deployer to Lambda; without MFA in the trust dev-hank assumes mfa-admin; without the RCP the partner assumes partner-admin" "$flip" \
  "SELECT hops || '|' || path FROM inv_admin_path WHERE src IN ('$D:user/dev-gina', '$D:user/dev-hank', 'arn:aws:iam::222233334444:user/partner-pat') ORDER BY src" \
"2|100000000004:user/dev-gina =PassRoleToLambda=> 100000000004:role/lambda-deployer =AttachRolePolicy=> (itself: admin)
1|100000000004:user/dev-hank =AssumeRole=> 100000000004:role/mfa-admin (admin)
1|222233334444:user/partner-pat =AssumeRole=> 100000000003:role/partner-admin (admin)"
build "$flip" --region us-east-1
check "in us-east-1 the SCP EURegionsOnly stops the ECS calls: no edge from dev-carol, and dev-erin's chain ends before CodeBuild" "$flip" \
  "SELECT (SELECT count(*) FROM inv_edge WHERE src = '$D:user/dev-carol'), (SELECT count(*) FROM inv_admin_path WHERE src IN ('$D:user/dev-carol', '$D:user/dev-erin'))" "0|0"
blocked "  the step that stops it" "$flip" "$D:user/dev-carol" "$D:role/build-task" PassRoleToECSTask \
  "2|ecs:RegisterTaskDefinition|ExplicitDeny|scp|DenyOutsideEU|explicit Deny in scps[1][1].Statement[0]"

echo "# the rules are data: edits are kept, and change the graph"
edit=$WORK/edit.db
cp "$db" "$edit"
q "$edit" "PRAGMA foreign_keys = ON; DELETE FROM esc_rule WHERE name = 'AddUserToGroup'; UPDATE esc_setting SET value = '2' WHERE key = 'max_hops';"
run "an import runs the schema again" 0 scripts/import-org.sh -q "$edit" tests/org/fixtures/org
check "  the deleted rule stays deleted, its step too; the setting stays" "$edit" \
  "SELECT count(*), (SELECT count(*) FROM esc_rule_step WHERE rule = 'AddUserToGroup'), (SELECT value FROM esc_setting WHERE key = 'max_hops') FROM esc_rule" "20|0|2"
build "$edit" --region eu-west-1
check "  without AddUserToGroup dev-kim has no path; with max_hops 2 the chains of 3 and 4 act hops are cut (dan's 2 act hops and a grant stay)" "$edit" \
  "SELECT group_concat(substr(src, 27) || ':' || hops, ' ') FROM (SELECT * FROM inv_admin_path WHERE hops >= 3 OR src LIKE '%dev-kim' ORDER BY src)" \
  "user/dev-dan:3"
q "$edit" "INSERT INTO esc_rule (name, family, effect, target, description) VALUES ('TagRoleToAssume', 'assume', 'act', 'role', 'a rule of our own');
INSERT INTO esc_rule_step (rule, step, action, resource, context) VALUES ('TagRoleToAssume', 1, 'iam:TagRole', '\${target}', '{}');"
check "  a rule of our own makes the graph stale" "$edit" "SELECT count(*) FROM esc_build" 0
check "  bad rules are refused: a wildcard action, a bad target, a template that is not JSON" "$edit" \
  "INSERT INTO esc_rule_step VALUES ('TagRoleToAssume', 2, 'iam:*', '*', '{}', NULL);" \
  "Runtime error near line 1: CHECK constraint failed: action GLOB '?*:?*' AND action NOT GLOB '*[*?]*' (19)"

echo "# the reports"
run "report.sh: every report" 0 scripts/report.sh -q "$db" "$WORK/report"
expect "80-escalation-paths: the header and one row per path" \
  "account,kind,principal,hops,\"admin at\",\"last step\",path,\"allowed by\",\"path json\"|18" \
  "$(head -n 1 "$WORK/report/80-escalation-paths.csv" | tr -d '\r')|$(wc -l < "$WORK/report/80-escalation-paths.csv")"
expect "  a row: the hops, the end, each hop's rule and the policies that allow each request" \
  "100000000004,user,dev-carol,2,100000000004:role/dev-admin,admin" \
  "$(grep '^100000000004,user,dev-carol,' "$WORK/report/80-escalation-paths.csv" | cut -d, -f1-6)"
expect "  the allowed-by column: per hop its rule, per request what allowed it" 1 \
  "$(grep -cF "\"1. PassRoleToECSTask: sts:AssumeRole on $D:role/build-task (trust policy of $D:role/build-task); iam:PassRole on $D:role/build-task (identity policy 'run-build-task' (inline), the SCPs of account 100000000004); ecs:RegisterTaskDefinition on * (identity policy 'run-build-task' (inline), the SCPs of account 100000000004); ecs:RunTask on arn:aws:ecs:eu-west-1:100000000004:task-definition/* (identity policy 'run-build-task' (inline), the SCPs of account 100000000004) | 2. AssumeRole: sts:AssumeRole on $D:role/dev-admin (identity policy 'up' (inline), trust policy of $D:role/dev-admin, the SCPs of account 100000000004)\"" "$WORK/report/80-escalation-paths.csv")"
expect "85-blast-radius: the header, one row per user and role" \
  "account,kind,principal,admin,reaches,\"other accounts\",\"admins reached\",\"hops to admin\"|28" \
  "$(head -n 1 "$WORK/report/85-blast-radius.csv" | tr -d '\r')|$(wc -l < "$WORK/report/85-blast-radius.csv")"
expect "  sec-jo reaches three, one an administrator; dev-erin reaches four in another account" \
  "100000000004,user,dev-erin,no,4,1,100000000003:role/prod-admin,4
100000000002,user,sec-jo,no,3,0,100000000002:role/audit-admin,3" \
  "$(grep -E '^[0-9]+,user,(sec-jo|dev-erin),' "$WORK/report/85-blast-radius.csv" | tr -d '\r')"
run "report.sh --format json" 0 scripts/report.sh -q --format json "$db" "$WORK/report-json"
expect "  the path is nested JSON (a chain of boxes to render)" "dev-erin 4 AssumeRole|AssumeRole|PassRoleToCodeBuild|AssumeRole" \
  "$(jq -r '.[] | select(.principal == "dev-erin") | "\(.principal) \(."path json" | length) \([."path json"[].rule] | join("|"))"' "$WORK/report-json/80-escalation-paths.json")"

echo "# scripts/build-paths.sh as a tool"
run "no DB: usage" 2 scripts/build-paths.sh
expect_grep "  says what it needs" "needs DB" "$WORK/err"
run "a bad region: usage" 2 scripts/build-paths.sh --region 'eu-west-1;' "$db"
run "a missing DB" 1 scripts/build-paths.sh "$WORK/none.db"
q "$WORK/plain.db" "CREATE TABLE t (x);"
run "a database that is not an inventory" 1 scripts/build-paths.sh "$WORK/plain.db"
expect_grep "  says so" "is not an inventory" "$WORK/err"
bad=$WORK/bad.db
cp "$db" "$bad"
q "$bad" "INSERT INTO esc_rule (name, family, effect, target, description) VALUES ('Broken', 'assume', 'act', 'role', 'a context the evaluator refuses');
INSERT INTO esc_rule_step (rule, step, action, resource, context) VALUES ('Broken', 1, 'sts:AssumeRole', '\${target}', '{\"aws:SourceIp\": {\"a\": 1}}');"
before=$(sha256sum < "$bad")
run "a build that fails (a rule whose context the evaluator refuses)" 1 scripts/build-paths.sh "$bad"
expect_grep "  names the error" "iam_decision()" "$WORK/err"
expect "  and leaves the database as it was (the old edges)" "$before" "$(sha256sum < "$bad")"

###############################################################################
if [ -f "$SHARED_GAAD" ]; then
  echo "# the shared GAAD sample (figures checked by hand against its policies)"
  s=$WORK/shared.db
  run "import the sample" 0 env CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$s" "$SHARED_GAAD"
  build "$s"
  G=arn:aws:iam::200611803367
  check "14 administrators: obama (AdministratorAccess), privesc-sre-user (iam:* through its group), fn4-exploitableNotAction-user (a NotAction that leaves '*:*')" "$s" \
    "SELECT count(*), sum(kind = 'group'), (SELECT group_concat(name || ' ' || admin_by, ', ') FROM (SELECT * FROM inv_node
      WHERE name IN ('obama', 'privesc-sre-user', 'fn4-exploitableNotAction-user') ORDER BY name)) FROM inv_node WHERE admin" \
    "14|2|fn4-exploitableNotAction-user *:*, obama *:*, privesc-sre-user iam:*"
  check "privesc-AssumeRole-starting-role: 2 hops, each trust policy naming the role before it (no identity policy needed in the account)" "$s" \
    "SELECT hops || '|' || path FROM inv_admin_path WHERE src = '$G:role/privesc-AssumeRole-starting-role'" \
    "2|200611803367:role/privesc-AssumeRole-starting-role =AssumeRole=> 200611803367:role/privesc-AssumeRole-intermediate-role =AssumeRole=> 200611803367:role/privesc-AssumeRole-ending-role (admin)"
  check "privesc4-CreateAccessKey-user (iam:CreateAccessKey on *): keys of every user of its account but itself, the first admin by ARN" "$s" \
    "SELECT (SELECT count(*) FROM inv_edge WHERE src = '$G:user/privesc4-CreateAccessKey-user'), hops || '|' || path
     FROM inv_admin_path WHERE src = '$G:user/privesc4-CreateAccessKey-user'" \
    "40|1|200611803367:user/privesc4-CreateAccessKey-user =CreateAccessKey=> 200611803367:user/fn4-exploitableNotAction-user (admin)"
  check "OverprivilegedEC2 (012345678901; inline iam:CreateAccessKey on *) takes over obama" "$s" \
    "SELECT hops || '|' || path FROM inv_admin_path WHERE src = 'arn:aws:iam::012345678901:role/OverprivilegedEC2'" \
    "1|012345678901:role/OverprivilegedEC2 =CreateAccessKey=> 012345678901:user/obama (admin)"
  check "privesc9-AttachRolePolicy-user: may grant 65 roles (75, less 8 service-linked and 2 Identity Center roles) but acts as none: no path" "$s" \
    "SELECT count(*), sum(effect = 'grant'), (SELECT count(*) FROM inv_admin_path WHERE src = '$G:user/privesc9-AttachRolePolicy-user')
     FROM inv_edge WHERE src = '$G:user/privesc9-AttachRolePolicy-user'" "65|65|0"
  check "37 principals can become admin: 36 in one hop, 1 in two" "$s" \
    "SELECT group_concat(n, ' ') FROM (SELECT hops || ':' || count(*) AS n FROM inv_admin_path GROUP BY hops ORDER BY hops)" "1:36 2:1"
else
  skip "the shared GAAD sample" "$SHARED_GAAD not present"
fi

finish
