#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of the account inventory: scripts/import-gaad.sh on the fixtures of
# tests/inventory/fixtures/, the views of sql/inventory/schema.sql, the reports of sql/queries/inventory/
# and scripts/report.sh; and, when ../shared is present, the shared GAAD sample with its
# hand-checked figures. Prints "N passed, N failed" last; exits 1 on any failure.
# Environment: SQLITE3, IAM_EXT (default dist/iam), SHARED_GAAD (the shared sample).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
SHARED_GAAD=${SHARED_GAAD:-../shared/fixtures/gaad/cloudsplaining-example.json}
fx=tests/inventory/fixtures

# check NAME DB SQL EXPECTED: the query's output (list mode, '|' separated) must equal EXPECTED.
check() { expect_sql "$@"; }
# The shared setup of the reports that decide requests (20, 40, 55), run before them.
sets=$(cat sql/queries/inventory/principal-sets-setup.sql)
# import DB FILE...: must succeed (output kept in $WORK/out)
import() {
  echo "+ scripts/import-gaad.sh $*"
  if CATALOG_DB=catalog.db scripts/import-gaad.sh "$@" > "$WORK/out" 2>&1; then ok "import $*"; else
    fail "import $*" "$(cat "$WORK/out")"; fi
}
# import_fails NAME EXPECTED_MESSAGE DB FILE...: must fail, name the problem, and leave DB as it was
import_fails() {
  local name=$1 msg=$2 db=$3 before after
  shift 3
  before=$(sha256sum "$db" 2>/dev/null || echo none)
  if CATALOG_DB=catalog.db scripts/import-gaad.sh "$db" "$@" > "$WORK/out" 2>&1; then
    fail "$name" "the import succeeded"; return 0; fi
  after=$(sha256sum "$db" 2>/dev/null || echo none)
  if ! grep -qF -- "$msg" "$WORK/out"; then
    fail "$name" "no message '$msg' in:" "$(cat "$WORK/out")"
  elif [ "$before" != "$after" ]; then
    fail "$name" "the database changed"
  else ok "$name"; fi
}

[ -f catalog.db ] || { fail "catalog.db exists (make catalog)"; finish; }
cp "$fx/t-page1.json" "$WORK/copy of page1.json"
# --- 1. the small fixtures: two pages of one account and a second account -------------------
db=$WORK/t.db
import "$db" $fx/t-page1.json $fx/t-page2.json $fx/t-other.json
check accounts "$db" "SELECT account_id, source_files FROM inv_account ORDER BY 1" \
"123456789012|[\"$fx/t-page1.json\",\"$fx/t-page2.json\"]
210987654321|[\"$fx/t-other.json\"]"
check counts "$db" "SELECT (SELECT count(*) FROM inv_user), (SELECT count(*) FROM inv_group),
  (SELECT count(*) FROM inv_role), (SELECT count(*) FROM inv_inline_policy), (SELECT count(*) FROM inv_managed_policy),
  (SELECT count(*) FROM inv_policy_version), (SELECT count(*) FROM inv_instance_profile), (SELECT count(*) FROM inv_attachment)" \
  "3|2|1|5|3|5|1|5"
check membership-across-pages "$db" "SELECT group_name || ':' || user_name FROM inv_group_member ORDER BY 1" \
"devs:dev
devs:solo
ops:dev"
check single-object-lists "$db" "SELECT (SELECT count(*) FROM inv_inline_policy WHERE owner_name = 'dev'),
  (SELECT count(*) FROM inv_attachment WHERE principal_name = 'solo'), (SELECT role_name FROM inv_instance_profile_role),
  (SELECT count(*) FROM inv_policy_version WHERE policy_arn LIKE '%/edge'), (SELECT name FROM inv_user WHERE account_id = '210987654321')" \
  "1|1|app-task|1|ext"
check dates-both-styles "$db" "SELECT (SELECT created_date FROM inv_user WHERE name = 'dev'), (SELECT created_date FROM inv_user WHERE name = 'solo'),
  (SELECT created_date FROM inv_group WHERE name = 'ops'), (SELECT last_used_date FROM inv_role), (SELECT created_date FROM inv_instance_profile)" \
  "2015-02-06T19:58:34Z|2016-01-01T00:00:00Z|2023-03-09T10:41:34Z|2024-01-31T22:30:00Z|2023-03-09T14:00:00Z"
check url-decoding-once "$db" "SELECT version_id, document ->> '\$.Statement[0].Resource' FROM inv_policy_version
  WHERE policy_arn LIKE '%/multi' AND version_id IN ('v2', 'v3') ORDER BY 1" \
"v2|arn:aws:s3:::bucket/a+b/*
v3|arn:aws:s3:::bucket/100%25/*"
check plus-stays-plus "$db" "SELECT instr(CAST(readfile('$fx/t-page2.json') AS TEXT), 'a+b') > 0,
  instr(CAST(readfile('$fx/t-page2.json') AS TEXT), 'a%2Bb') > 0" "1|0"
check trust-policy-decoded "$db" "SELECT trust_policy ->> '\$.Statement[0].Principal.Service[0]', max_session_duration, description,
  tags ->> '\$.env', tags ->> '\$.\"cost center\"' FROM inv_role" "ecs-tasks.amazonaws.com|3600|the app's task role|prod|4+2"
check versions-default "$db" "SELECT policy_arn, version_id, is_default FROM inv_policy_version WHERE policy_arn LIKE '%/multi' ORDER BY version_num" \
"arn:aws:iam::123456789012:policy/multi|v1|0
arn:aws:iam::123456789012:policy/multi|v2|1
arn:aws:iam::123456789012:policy/multi|v3|0"
check aws-managed-from-catalog "$db" "SELECT name, source, default_version_id = (SELECT default_version_id FROM inv_managed_policy
  WHERE name = 'AmazonECSTaskExecutionRolePolicy') FROM inv_managed_policy WHERE aws_managed" "AmazonECSTaskExecutionRolePolicy|catalog|1"
check unresolved "$db" "SELECT policy_arn, used_as FROM inv_unresolved_policy ORDER BY 1" \
"arn:aws:iam::210987654321:policy/gone|attached to user ext
arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess|attached to user ext"
check effective-policies "$db" "SELECT principal_name, policy_kind, via, policy_type, policy_name FROM inv_effective_policy
  WHERE principal_name IN ('dev', 'solo', 'app-task') ORDER BY 1, 2, 3, 5" \
"app-task|boundary|role|managed|edge
app-task|identity|role|inline|app-s3
app-task|identity|role|managed|multi
dev|identity|group:devs|managed|AmazonECSTaskExecutionRolePolicy
dev|identity|group:devs|inline|ecs-read
dev|identity|group:ops|inline|ops-ecs
dev|identity|user|inline|own-logs
solo|boundary|user|managed|edge
solo|identity|group:devs|managed|AmazonECSTaskExecutionRolePolicy
solo|identity|group:devs|inline|ecs-read
solo|identity|user|managed|multi"
# Decisions with the boundary: multi v2 lets solo read bucket/a+b/..., the boundary allows
# s3:GetObject; ecs:DescribeClusters comes from the group, the boundary allows ecs:*; the group's
# ecr read (execution policy) is outside the boundary; ecs:DeleteCluster: not allowed by identity.
check boundary-decisions "$db" "WITH q (a, r) AS (VALUES ('s3:GetObject', 'arn:aws:s3:::bucket/a+b/x'),
    ('ecs:DescribeClusters', '*'), ('ecr:GetAuthorizationToken', '*'), ('s3:PutObject', 'arn:aws:s3:::bucket/a+b/x'))
  SELECT a, iam_decision(p.policy, a, r),
    (SELECT iam_decision_agg(document, a, r, NULL, policy_kind) FROM inv_effective_policy WHERE principal_arn = p.arn)
  FROM inv_principal_policy AS p, q WHERE p.name = 'solo'" \
"s3:GetObject|Allow|Allow
ecs:DescribeClusters|Allow|Allow
ecr:GetAuthorizationToken|ImplicitDeny|ImplicitDeny
s3:PutObject|ImplicitDeny|ImplicitDeny"
check policy-object "$db" "SELECT name, json_array_length(policy, '\$.identity'), json_type(policy, '\$.boundary'), has_boundary, unresolved
  FROM inv_principal_policy ORDER BY 1" \
"app-task|2|object|1|0
dev|4|null|0|0
ext|1|null|0|2
solo|3|object|1|0"
check principal-context "$db" "SELECT ctx FROM inv_principal_context WHERE name = 'dev'" \
  '{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/dev","aws:PrincipalAccount":"123456789012","aws:PrincipalType":"User","aws:username":"dev","aws:userid":"AIDADEV","aws:PrincipalTag/team":"blue"}'
check trust-view "$db" "SELECT s.effect, s.resource_json, s.principal_json FROM inv_role_trust AS t, iam_statements(t.document) AS s" \
  'Allow||{"Service":["ecs-tasks.amazonaws.com","ec2.amazonaws.com"]}'
check ecs-task-roles-report "$db" "$sets $(cat sql/queries/inventory/50-ecs-task-roles.sql)" \
  "123456789012|app-task||app-s3, multi|edge|iam:PassRole s3:* s3:GetObject|"
check who-can-report "$db" "$sets
SELECT question, principal, \"allowed by\" FROM ($(sed 's/;$//' sql/queries/inventory/20-who-can.sql))
  WHERE question = 'pass-any-role-to-ecs-tasks'" "pass-any-role-to-ecs-tasks|ext|pass"
# ext may pass any role (inline policy pass) but do nothing with it: no rule has all its steps.
# 40-privesc.sql reads the TEMP tables of its setup (report.sh runs both in one session).
privesc_setup="$sets
$(cat sql/queries/inventory/privesc-setup.sql)"
check privesc-report "$db" "$privesc_setup $(cat sql/queries/inventory/40-privesc.sql)" ""

# Editable rules: a new rule is picked up. solo and app-task are allowed iam:PassRole on role/app-*
# by the policy multi, but their boundary (edge) does not allow iam:PassRole: only ext takes it.
"$SQLITE3" "$db" "INSERT INTO privesc_rule VALUES ('PassAppRoleToECS', 'test rule', NULL);
  INSERT INTO privesc_rule_step VALUES ('PassAppRoleToECS', 1, 'iam:PassRole', 'arn:aws:iam::\${account}:role/app-web',
                                        '{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}')"
check privesc-rule-added "$db" "$privesc_setup SELECT principal, paths FROM ($(sed 's/;$//' sql/queries/inventory/40-privesc.sql)) ORDER BY 1" \
"ext|PassAppRoleToECS"

# --- 1b. who can assume each role: trust policies decided as resource policies ---------------
# trust-a (333344445555): alice may assume role/* on her own; bob has no identity policy; carol has
# a boundary that allows only ec2; the roles app and app-bounded (with the same boundary) may
# assume anything. trust-b (444455556666): dave may assume anything, erin nothing.
tdb=$WORK/trust.db
import "$tdb" $fx/trust-a.json $fx/trust-b.json
check who-can-assume "$tdb" "$sets
SELECT role, \"assumable by\", \"principal kind\", step
  FROM ($(sed 's/;$//' sql/queries/inventory/55-who-can-assume.sql))" \
"app|ecs-tasks.amazonaws.com|AWS service|named by the trust policy
app-bounded|lambda.amazonaws.com|AWS service|named by the trust policy
bob-direct|arn:aws:iam::333344445555:user/bob|user|direct-grant
chained|arn:aws:iam::333344445555:role/app|role|role-grant
from-b|arn:aws:iam::444455556666:user/dave|user|cross-account
ops|arn:aws:iam::333344445555:user/alice|user|resource-policy-required
ops|arn:aws:iam::333344445555:role/app|role|resource-policy-required
vendor|arn:aws:iam::999988887777:root|external account|named by the trust policy"
# the cases that flip: the same requests with MFA, without the trust policy, and a boundary
check assume-with-mfa "$tdb" "SELECT p.name FROM inv_principal_request AS p, inv_role_trust AS t
  WHERE t.role_name = 'mfa-only' AND iam_allows(json_set(p.request, '\$.resource_policy', json(t.document)),
    'sts:AssumeRole', t.role_arn, json_patch(p.ctx, '{\"aws:MultiFactorAuthPresent\":\"true\"}')) ORDER BY 1" \
"alice
app"
check assume-needs-trust "$tdb" "SELECT count(*) FROM inv_principal_request AS p
  WHERE iam_allows(p.request, 'sts:AssumeRole', 'arn:aws:iam::333344445555:role/ops', p.ctx)" "0"
check assume-explain "$tdb" "SELECT e.step, e.step_reason FROM inv_principal_request AS p, inv_role_trust AS t,
  iam_explain(json_set(p.request, '\$.resource_policy', json(t.document)), 'sts:AssumeRole', t.role_arn, p.ctx) AS e
  WHERE p.name = 'carol' AND t.role_name = 'ops' AND e.decisive" \
  "resource-policy-required|the role's trust policy must allow, also within its account: it names the caller's account, but the permissions boundary does not allow it"
check principal-request "$tdb" "SELECT caller, json_array_length(request, '\$.identity'), json_type(request, '\$.boundary')
  FROM inv_principal_request WHERE name IN ('carol', 'app') ORDER BY 1" \
"arn:aws:iam::333344445555:user/carol|1|object
arn:aws:sts::333344445555:assumed-role/app/sqlite-iam|1|null"

# --- 2. re-importing an account replaces it; failing imports change nothing ----------------
import "$db" $fx/t-page1.json $fx/t-page2.json
check reimport-same "$db" "SELECT count(*) FROM inv_user; SELECT count(*) FROM inv_policy_version" "3
5"
check edits-survive-reimport "$db" "SELECT count(*) FROM privesc_rule WHERE name = 'PassAppRoleToECS'" "1"
import_fails missing-group "t-page1.json: UserDetailList[0] user 'dev': GroupList[1]: group 'ops' is not in the export of account 123456789012" \
  "$db" $fx/t-page1.json
import_fails bad-json "bad-json.json: not valid JSON" "$db" $fx/t-other.json $fx/bad-json.json
import_fails bad-encoding "bad-encoding.json: GroupDetailList[0] group 'ops': GroupPolicyList[0] 'ops-ecs': PolicyDocument: bad URL encoding" \
  "$db" $fx/t-page1.json $fx/bad-encoding.json
# an escaped byte that is not UTF-8 once decoded: named by its place, with the decoder's reason
import_fails bad-utf8 "bad-utf8.json: GroupDetailList[0] group 'ops': GroupPolicyList[0] 'ops-ecs': PolicyDocument: bad URL encoding: the decoded text is not valid UTF-8 at byte 111 (the escapes '%C3%28%22%2C%22Resource...')" \
  "$db" $fx/t-page1.json $fx/bad-utf8.json
import_fails bad-date "bad-date.json: GroupDetailList[0] group 'devs': CreateDate '2023-02-30T00:00:00Z' is not a date" \
  "$db" $fx/bad-date.json $fx/t-page2.json
import_fails bad-group "bad-group.json: UserDetailList[0] user 'dev': GroupList[1]: group 'nobody' is not in the export" \
  "$db" $fx/bad-group.json $fx/t-page2.json
import_fails bad-policy "bad-policy.json: RoleDetailList[0] role 'app-task': RolePolicyList[0] 'app-s3': PolicyDocument: Statement[0].Effect: must be" \
  "$db" $fx/t-page1.json $fx/bad-policy.json
import_fails duplicate-page "user 'dev' of account 123456789012 is defined 2 times" \
  "$db" $fx/t-page1.json "$WORK/copy of page1.json" $fx/t-page2.json
import_fails missing-file "nothere.json: cannot read the file: it does not exist" "$db" $fx/t-other.json "$WORK/nothere.json"
import_fails new-db-not-created "bad-json.json: not valid JSON" "$WORK/never.db" $fx/bad-json.json
if [ -e "$WORK/never.db" ]; then fail "a failed import does not create its database"; else ok "a failed import does not create its database"; fi
check after-failures "$db" "SELECT count(*) FROM inv_account; SELECT count(*) FROM inv_user" "2
3"

# --- 2b. the import as a tool ------------------------------------------------------------------
# run_import NAME EXPECTED_STATUS ARGS...: run the import (catalog.db), keeping stdout and stderr.
run_import() {
  local name=$1 want=$2 rc=0
  shift 2
  CATALOG_DB=catalog.db scripts/import-gaad.sh "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name (exit $rc)"; else fail "$name (exit $rc, not $want)" "$(cat "$WORK/err")"; fi
}
sum() { sha256sum "$1" 2> /dev/null | cut -c1-64 || echo none; }
before=$(sum "$db")
run_import "the same file twice is refused once" 2 "$db" $fx/t-page1.json $fx/t-page2.json $fx/t-page1.json
expect "... with one line naming it, before reading anything" \
  "import-gaad: tests/inventory/fixtures/t-page1.json is given twice (arguments 2 and 4)|$before" \
  "$(head -n 1 "$WORK/err")|$(sum "$db")"
expect "... and no flood of duplicate errors" 0 "$(grep -c 'defined 2 times' "$WORK/err" || true)"

run_import "a partial export (page 2 alone) is refused" 3 "$db" $fx/t-page2.json
expect_grep "... naming what it would delete" "^import-gaad: account 123456789012 would lose 2 users: dev, solo$" "$WORK/err"
expect_grep "... and the way out" "refused: .*--replace" "$WORK/err"
expect "... leaving the inventory as it was" "$before" "$(sum "$db")"
run_import "--dry-run prints what the import would do" 0 --dry-run "$db" $fx/t-page2.json
expect_grep "... the replaced account" "^  account 123456789012 \(replacing what .*t-page1.json, .*t-page2.json gave\): 0 users, 1 group, 1 role" "$WORK/out"
expect_grep "... what it would delete" "^  account 123456789012 would lose 1 group: devs$" "$WORK/out"
expect "... and changes nothing" "$before" "$(sum "$db")"
run_import "--dry-run on a new database" 0 --dry-run "$WORK/dry.db" $fx/t-other.json
expect "... does not create it, and says what it would hold" \
  "no account 210987654321 (new): 1 user, 0 groups, 0 roles, 0 managed policies, 1 inline policy, 0 instance profiles" \
  "$([ -e "$WORK/dry.db" ] && echo yes || echo no) $(sed -n 2p "$WORK/out" | sed 's/^ *//')"
cp "$db" "$WORK/replace.db"
run_import "--replace lets a partial export delete" 0 --replace "$WORK/replace.db" $fx/t-page2.json
expect_sql "... and it does" "$WORK/replace.db" "SELECT count(*) FROM inv_user WHERE account_id = '123456789012'; SELECT count(*) FROM inv_user" "0
1"

printf '\357\273\277' > "$WORK/bom.json"; cat $fx/t-other.json >> "$WORK/bom.json"
run_import "a byte-order mark is named" 1 "$WORK/x.db" "$WORK/bom.json"
expect_grep "... as such" "bom.json: starts with a UTF-8 byte-order mark \(bytes EF BB BF\)" "$WORK/err"
printf '\377\376{\000}\000' > "$WORK/utf16.json"
run_import "UTF-16 is named" 1 "$WORK/x.db" "$WORK/utf16.json"
expect_grep "... as such" "utf16.json: is UTF-16 \(it starts with the byte-order mark FFFE\)" "$WORK/err"
printf '{"UserDetailList": [\n  {"UserName": "a",}\n]}\n' > "$WORK/syntax.json"
run_import "a JSON syntax error" 1 "$WORK/x.db" "$WORK/syntax.json"
expect_grep "... is placed" "syntax.json: not valid JSON: expected a member name \(a string\) at byte 40 \(line 2, column 20\)$" "$WORK/err"
expect "... and nothing is created" no "$([ -e "$WORK/x.db" ] && echo yes || echo no)"

# Thirty users in groups that do not exist: the first 20 problems, then how many more.
q :memory: "SELECT writefile('$WORK/many.json', json_object('UserDetailList', (SELECT json_group_array(json_object(
  'UserName', 'u' || value, 'UserId', 'AIDA' || value, 'Arn', 'arn:aws:iam::123456789012:user/u' || value,
  'GroupList', json_array('nogroup'))) FROM generate_series(1, 30))))" > /dev/null
run_import "thirty problems" 1 "$WORK/x.db" "$WORK/many.json"
expect "... 20 shown, then how many more" "20|import-gaad: ... and 10 more (all of them with --verbose)" \
  "$(grep -c "group 'nogroup' is not in the export" "$WORK/err")|$(grep '\.\.\. and' "$WORK/err")"
run_import "thirty problems, --verbose" 1 --verbose "$WORK/x.db" "$WORK/many.json"
expect "... all shown" 30 "$(grep -c "group 'nogroup' is not in the export" "$WORK/err")"

run_import "progress" 0 "$WORK/p.db" $fx/t-other.json
expect "... on standard error, one line per phase with its time, no command trace" "ok 0" \
  "$(grep -q '^import-gaad: \[ *[0-9.]*s\] staged: 1 account' "$WORK/err" && grep -q 'parsed [0-9]* documents' "$WORK/err" && grep -q 'loaded: [0-9]* rows written \[' "$WORK/err" && echo ok) $(grep -c '^+ ' "$WORK/err" || true)"
run_import "--quiet" 0 -q "$WORK/p.db" $fx/t-other.json
expect "... only the warnings" 0 "$(grep -vc 'WARNING' "$WORK/err" || true)"
run_import "--verbose" 0 -v "$WORK/p.db" $fx/t-other.json
expect_grep "... shows the commands" '^\+ sqlite3 ' "$WORK/err"

# kill -9 of the script alone while sqlite3 loads: the load is never committed.
cat > "$WORK/slow-load.sql" << SQL
SELECT writefile('$WORK/loading', 'x');
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c;
SQL
cp "$db" "$WORK/killed.db"
before=$(sum "$WORK/killed.db")
rm -f "$WORK/loading"
mkdir -p "$WORK/tmp-import"
TMPDIR="$WORK/tmp-import" CATALOG_DB=catalog.db IMPORT_EXTRA_SQL="$WORK/slow-load.sql" scripts/import-gaad.sh -q --replace "$WORK/killed.db" \
  $fx/t-page2.json > /dev/null 2>&1 &
pid=$!
disown "$pid"   # no job notice when it is killed
for _ in $(seq 100); do [ -f "$WORK/loading" ] && break; sleep 0.1; done
kill -KILL "$pid" 2> /dev/null || true
for _ in $(seq 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
for _ in $(seq 100); do pgrep -f "$WORK/killed.db" > /dev/null || break; sleep 0.1; done
if [ ! -f "$WORK/loading" ]; then fail "kill -9 of the import: the load never started"; else
  expect "kill -9 of the import while it loads: no sqlite3 left, nothing committed" "none|$before" \
    "$(pgrep -f "$WORK/killed.db" > /dev/null && echo running || echo none)|$(sum "$WORK/killed.db")"
fi
leftover=$(ls -A "$WORK/tmp-import")
TMPDIR="$WORK/tmp-import" CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/after-kill.db" $fx/t-other.json > /dev/null 2>&1 || true
expect "kill -9 of the import: its scratch folder is left, and the next import removes it" "1|" \
  "$(printf '%s\n' "$leftover" | grep -c '^import-gaad\.[0-9]*\.')|$(ls -A "$WORK/tmp-import")"

# --- 3. the demo account and the report script ----------------------------------------------
demo=$WORK/demo.db
import "$demo" $fx/demo-account.json
"$SQLITE3" "$demo" < $fx/demo-questions.sql
check demo-summary "$demo" "$(cat sql/queries/inventory/10-summary.sql)" "111122223333|5|3|7|5|2|3|13|3|1|2|0"
check demo-who-reads-q1 "$demo" "$sets
SELECT group_concat(principal, ' ') FROM ($(sed 's/;$//' sql/queries/inventory/20-who-can.sql))
  WHERE question = 'read-q1-report'" "alice carol break-glass ec2-build-runner report-builder"
check demo-who-reads-payroll "$demo" "$sets
SELECT group_concat(principal, ' ') FROM ($(sed 's/;$//' sql/queries/inventory/20-who-can.sql))
  WHERE question = 'read-payroll-report'" "alice break-glass ec2-build-runner report-builder"
check demo-pass-to-ecs "$demo" "$sets
SELECT group_concat(principal, ' ') FROM ($(sed 's/;$//' sql/queries/inventory/20-who-can.sql))
  WHERE question = 'pass-app-web-role-to-ecs'" "alice bob ci-deployer app-batch-task break-glass ec2-build-runner"
check demo-boundary-cuts "$demo" "$sets
SELECT group_concat(principal, ' ') FROM ($(sed 's/;$//' sql/queries/inventory/20-who-can.sql))
  WHERE question IN ('pass-any-role-to-ecs-tasks', 'exec-into-prod-web-task') AND principal = 'bob'" ""
check demo-privesc "$demo" "$privesc_setup SELECT principal, rules FROM ($(sed 's/;$//' sql/queries/inventory/40-privesc.sql)) WHERE rules < 21" \
"helpdesk|2
app-batch-task|1"
check demo-ecs-task-roles "$demo" "$sets SELECT role, boundary FROM ($(sed 's/;$//' sql/queries/inventory/50-ecs-task-roles.sql))" \
"app-batch-task|none
app-web-task|AppBoundary
ecsTaskExecutionRole|none"
echo "+ scripts/report.sh $demo $WORK/report"
if scripts/report.sh "$demo" "$WORK/report" 2> "$WORK/out" && [ -s "$WORK/report/report.html" ] \
   && [ -s "$WORK/report/20-who-can.csv" ] && ! grep -qiE '(src|href)="?https?:' "$WORK/report/report.html"; then
  ok "report.sh writes CSV and a self-contained HTML page"; else fail "report.sh writes CSV and a self-contained HTML page" "$(cat "$WORK/out")"; fi

# --- 3b. the report as a tool ------------------------------------------------------------------
r=$WORK/report
expect "report: a CSV with no rows still has its header row" 'account,policy,"used as"' \
  "$(tr -d '\r' < "$r/60-unresolved.csv")"
expect "report: column names are words (no SQL identifiers: no '_', no groups_)" "" \
  "$(head -q -n 1 "$r"/*.csv | tr -d '\r' | grep '_' || true)"
expect "report: the summary's columns" \
  'account,users,groups,roles,"customer policies","AWS policies","AWS policies from the catalog","policy versions","inline policies","instance profiles","with a boundary","unresolved policies"' \
  "$(head -n 1 "$r/10-summary.csv" | tr -d '\r')"
expect "report: a boundary is named, not 0/1" "bob|DeveloperBoundary" \
  "$(q :memory: ".import --csv $r/20-who-can.csv t" "SELECT DISTINCT principal, boundary FROM t WHERE principal = 'bob'")"
report_files=(sql/queries/inventory/[0-9]*.sql)
expect "report: the progress names each report with its time, and each shared setup once" "${#report_files[@]}|1|1|1|1" \
  "$(grep -c '^report: \[ *[0-9.]*s\] [0-9][0-9]-[a-z-]*: [0-9]* rows\? \[[0-9.]* s\]$' "$WORK/out")|$(grep -c 'access-levels-setup.sql (shared' "$WORK/out")|$(grep -c 'policy-setup.sql (shared' "$WORK/out")|$(grep -c 'privesc-setup.sql (shared' "$WORK/out")|$(grep -c 'admin-setup.sql (shared' "$WORK/out")"
expect "report: no command trace without --verbose" 0 "$(grep -c '^+ ' "$WORK/out" || true)"

# Cells a spreadsheet would run: a user named =1+2 (IAM allows = and +), and others.
sed -e 's/"ext"/"=1+2"/; s#user/ext#user/=1+2#' $fx/t-other.json > "$WORK/formula.json"
CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/formula.db" "$WORK/formula.json" > /dev/null 2>&1
"$SQLITE3" "$WORK/formula.db" "INSERT INTO inv_question (name, action, resource) VALUES ('@q', 'iam:PassRole', '-x'), ('+q', 'iam:PassRole', '*')"
rc=0
scripts/report.sh -q "$WORK/formula.db" "$WORK/formula-report" > /dev/null 2> "$WORK/err" || rc=$?
expect "report: cells starting with = + - @ are neutralised with a leading ' (OWASP)" "0|'+q * '=1+2|'@q '-x '=1+2" \
  "$rc|$(q :memory: ".import --csv $WORK/formula-report/20-who-can.csv t" "SELECT group_concat(question || ' ' || resource || ' ' || principal, '|') FROM (SELECT * FROM t WHERE question GLOB '*q' ORDER BY 1)")"
rc=0
scripts/report.sh -q --format json "$WORK/formula.db" "$WORK/formula-json" > /dev/null 2> "$WORK/err" || rc=$?
expect "report --format json: one JSON array per report, word keys, values as they are" "0|1|=1+2|-x" \
  "$rc|$(q :memory: "SELECT json_valid(CAST(readfile('$WORK/formula-json/20-who-can.json') AS TEXT)),
     (SELECT json_extract(value, '\$.principal') || '|' || json_extract(value, '\$.resource') FROM json_each(CAST(readfile('$WORK/formula-json/20-who-can.json') AS TEXT)) WHERE json_extract(value, '\$.question') = '@q')")"
rc=0
scripts/report.sh -q --format json "$demo" "$WORK/demo-json" > /dev/null 2> "$WORK/err" || rc=$?
expect "report --format json: JSON columns stay JSON (trust conditions), empty reports are []" "0|array|object|0" \
  "$rc|$(q :memory: "SELECT json_type(value, '\$.\"trust conditions\"'), json_type(value, '\$.\"trust conditions\"[0]')
     FROM json_each(CAST(readfile('$WORK/demo-json/50-ecs-task-roles.json') AS TEXT)) WHERE json_extract(value, '\$.role') = 'app-web-task'")|$(q :memory: "SELECT json_array_length(CAST(readfile('$WORK/demo-json/60-unresolved.json') AS TEXT))")"
expect_sql "report: a JSON column nests as JSON under json_object() when read through json() (as sql/README.md says)" "$demo" \
  "$sets SELECT json_object('c', json(\"trust conditions\")) FROM ($(sed 's/;$//' sql/queries/inventory/50-ecs-task-roles.sql)) WHERE role = 'app-web-task'" \
  '{"c":[{"StringEquals":{"aws:SourceAccount":["111122223333"]},"ArnLike":{"aws:SourceArn":["arn:aws:ecs:us-east-1:111122223333:*"]}}]}'

# Nothing lost: a failing run leaves the previous output as it was, and no temporary folder.
snapshot() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }
before=$(snapshot "$r")
mkdir -p "$WORK/queries"
cp sql/queries/inventory/*.sql "$WORK/queries/"
printf -- '-- Broken? A report that fails.\nSELECT no_such_column FROM inv_user;\n' > "$WORK/queries/25-broken.sql"
rc=0
QUERY_DIR="$WORK/queries" scripts/report.sh "$demo" "$r" > /dev/null 2> "$WORK/err" || rc=$?
expect "report: a failing report: exit 1, named, the old output untouched, no temporary folder" "1|1|same|" \
  "$rc|$(grep -c 'FAILED in report 25-broken' "$WORK/err")|$([ "$(snapshot "$r")" = "$before" ] && echo same || echo changed)|$(find "$WORK" -maxdepth 1 -name 'report.*' | tr '\n' ' ')"
mkdir -p "$WORK/mine" && echo "my notes" > "$WORK/mine/notes.txt"
rc=0
scripts/report.sh "$demo" "$WORK/mine" > /dev/null 2> "$WORK/err" || rc=$?
expect "report: a folder it did not write is refused (exit 3), its files kept" "3|my notes" "$rc|$(cat "$WORK/mine/notes.txt")"
mkdir -p "$WORK/old-report" && echo "<html>" > "$WORK/old-report/report.html" && echo "a,b" > "$WORK/old-report/10-summary.csv"
rc=0
scripts/report.sh -q "$demo" "$WORK/old-report" > /dev/null 2> "$WORK/err" || rc=$?
expect "report: a folder of an older report.sh (report.html and NN-name.csv only) is replaced" "0|yes" \
  "$rc|$([ -f "$WORK/old-report/.sqlite-iam-report" ] && echo yes || echo no)"
# Stopped (SIGTERM) in the middle: nothing changes and the temporary folders go.
printf -- "-- Slow?\nSELECT writefile('%s', 'x');\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) SELECT count(*) FROM c;\n" \
  "$WORK/in-slow" > "$WORK/queries/25-broken.sql"
rm -f "$WORK/in-slow"
QUERY_DIR="$WORK/queries" TMPDIR="$WORK/tmp-report" bg scripts/report.sh -q "$demo" "$r" > /dev/null 2>&1
mkdir -p "$WORK/tmp-report"
for _ in $(seq 100); do [ -f "$WORK/in-slow" ] && break; sleep 0.1; done
kill -TERM "$BG_PID" 2> /dev/null || true
rc=0
wait "$BG_PID" 2> /dev/null || rc=$?
expect "report: SIGTERM mid-run: exit 143, the old output untouched, the temporary folders removed" "143|same||" \
  "$rc|$([ "$(snapshot "$r")" = "$before" ] && echo same || echo changed)|$(find "$WORK" -maxdepth 1 -name 'report.*' | tr '\n' ' ')|$(ls -A "$WORK/tmp-report")"

# --- 3c. what the reports' headers say: report.html's sections, findings, figures ---------------
# page_data HTML: the JSON that report.html holds (one line, in its data script element).
page_data() { sed -n 's#^<script type="application/json" id="report-data">\(.*\)</script>$#\1#p' "$1"; }
rm -f "$WORK/queries/25-broken.sql"
page_data "$r/report.html" > "$WORK/page.json"
report_names=$(for f in sql/queries/inventory/[0-9]*.sql; do basename "$f" .sql; done | tr '\n' ' ')
expect "report.html: its data is one JSON object with every report, in order" "1|${report_names% }" \
  "$(q :memory: "SELECT json_valid(CAST(readfile('$WORK/page.json') AS TEXT)), (SELECT group_concat(json_extract(value, '\$.name'), ' ') FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.reports'))")"
expect "report.html: the administrators of the demo, decided by the evaluator, with the statement that grants it" \
  "Administrator alice AdministratorAccess Statement[0] {\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}|Administrator break-glass|Administrator ec2-build-runner" \
  "$(q :memory: ".import --csv $r/11-admins.csv t" "SELECT group_concat(finding || ' ' || principal || CASE WHEN principal = 'alice' THEN ' ' || statement || ' ' || json(\"statement text\" -> 0) ELSE '' END, '|') FROM t")"
expect "report.html: the summary figures the headers declare (principals, administrators, escalation, boundaries)" \
  "principals=12 boundaries=2 administrators=3 escalation=5 read data everywhere=1 unresolved policies=0 external access=0" \
  "$(q :memory: "SELECT group_concat(json_extract(f.value, '\$.key') || '=' || json_extract(f.value, '\$.value'), ' ')
     FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.reports') AS r, json_each(r.value, '\$.figures') AS f")"
expect "report: 42-data-access: report-builder reads every S3 object (AmazonS3ReadOnlyAccess); the administrators are left out" \
  "medium|report-builder|read every object of every S3 bucket|AmazonS3ReadOnlyAccess (AWS managed)" \
  "$(q :memory: ".import --csv $r/42-data-access.csv t" "SELECT severity, principal, \"can do\", policy FROM t")"
expect "report.html: the findings of 41-privesc-findings name the escalation paths and their statements" \
  "high|helpdesk|HelpdeskPasswordReset Statement[0]" \
  "$(q :memory: ".import --csv $r/41-privesc-findings.csv t" "SELECT severity, principal, statement FROM t WHERE principal = 'helpdesk'")"
expect "report.html: the text for readers stops where 'Needs:' starts, and key lines are not in it" "0|0|Privilege escalation" \
  "$(q :memory: "SELECT sum(instr(json_extract(value, '\$.description'), 'Needs:') > 0), sum(instr(json_extract(value, '\$.description'), 'Section:') > 0),
     (SELECT json_extract(value, '\$.section') FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.reports') WHERE json_extract(value, '\$.name') = '40-privesc')
     FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.reports')")"
# A report of another engineer's kind: it needs a table the inventory may lack.
printf -- '-- Who outside can reach us? A test report.\n-- Needs: the org tables.\n-- Section: Outside access\n-- Requires: org_grant\n-- Summary: external access = count(*)\n-- Severity: high\nSELECT '"'"'high'"'"' AS severity, '"'"'Shared'"'"' AS finding, account, kind, principal FROM org_grant;\n' \
  > "$WORK/queries/70-outside.sql"
rc=0
QUERY_DIR="$WORK/queries" scripts/report.sh "$demo" "$WORK/plug" > /dev/null 2> "$WORK/err" || rc=$?
page_data "$WORK/plug/report.html" > "$WORK/page.json"
expect "report: a report whose required tables are absent is not assessed, and says why; the others run" \
  "0|1|the inventory has no org_grant (the data it reads was not imported)|no file|$(find "$WORK/queries" -name '[0-9]*.sql' ! -name 70-outside.sql | wc -l)" \
  "$rc|$(grep -c '70-outside skipped: the inventory has no org_grant' "$WORK/err")|$(q :memory: "SELECT json_extract(value, '\$.skipped') FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.reports') WHERE json_extract(value, '\$.name') = '70-outside'")|$([ -e "$WORK/plug/70-outside.csv" ] && echo file || echo no file)|$(find "$WORK/plug" -name '*.csv' | wc -l)"
cp "$demo" "$WORK/demo-org.db"
q "$WORK/demo-org.db" "CREATE TABLE org_grant (account, kind, principal); INSERT INTO org_grant VALUES ('111122223333', 'user', 'bob'), ('111122223333', 'role', 'app-web-task')"
rc=0
QUERY_DIR="$WORK/queries" scripts/report.sh -q "$WORK/demo-org.db" "$WORK/plug" > /dev/null 2> "$WORK/err" || rc=$?
page_data "$WORK/plug/report.html" > "$WORK/page.json"
expect "report: with its table there, it runs: its rows are findings and it feeds its summary figure" "0|2|high|2" \
  "$rc|$(q :memory: "SELECT json_extract(value, '\$.total'), json_extract(value, '\$.severity'), json_extract(value, '\$.figures[0].value')
     FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.reports') WHERE json_extract(value, '\$.name') = '70-outside'")"
printf -- '-- Bad? A test report.\n-- Severity: urgent\nSELECT 1 AS x;\n' > "$WORK/queries/70-outside.sql"
rc=0
QUERY_DIR="$WORK/queries" scripts/report.sh "$demo" "$WORK/plug" > /dev/null 2> "$WORK/err" || rc=$?
expect "report: an unknown severity is an error naming the file" "1|1" "$rc|$(grep -c "70-outside.sql: 'Severity: urgent' is not one of critical, high, medium, low, info" "$WORK/err")"
printf -- '-- Bad? A test report.\n-- Summary: count(*)\nSELECT 1 AS x;\n' > "$WORK/queries/70-outside.sql"
rc=0
QUERY_DIR="$WORK/queries" scripts/report.sh "$demo" "$WORK/plug" > /dev/null 2> "$WORK/err" || rc=$?
expect "report: a summary line without 'key = expression' is an error naming the file" "1|1" "$rc|$(grep -c "70-outside.sql: 'Summary: count(\*)' is not 'Summary: key = SQL expression'" "$WORK/err")"
rm -f "$WORK/queries/70-outside.sql"
# Names are data, never markup: a user and a policy named to end the script element.
# An ARN AWS would not make (a caller the evaluator refuses) is refused at the door, naming it.
sed -e 's#user/ext#user/</script><!--#' $fx/t-other.json > "$WORK/bad-arn.json"
rc=0
CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/bad-arn.db" "$WORK/bad-arn.json" > /dev/null 2> "$WORK/err" || rc=$?
expect "import: a user ARN with characters IAM names cannot hold is refused, named" "1|1|no db" \
  "$rc|$(grep -c "UserDetailList\[0\] user 'ext': Arn 'arn:aws:iam::210987654321:user/</script><!--' is not arn:PARTITION:iam::210987654321:user/PATH/NAME" "$WORK/err")|$([ -e "$WORK/bad-arn.db" ] && echo db || echo no db)"
sed -e 's#"ext"#"</script><img src=x onerror=alert(1)>"#; s#policy/gone#policy/</script>\\"x#' $fx/t-other.json > "$WORK/hostile.json"
CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/hostile.db" "$WORK/hostile.json" > /dev/null 2>&1
rc=0
scripts/report.sh -q "$WORK/hostile.db" "$WORK/hostile-report" > /dev/null 2> "$WORK/err" || rc=$?
page_data "$WORK/hostile-report/report.html" > "$WORK/page.json"
expect "report.html: names holding </script> stay inside the data (2 script elements end, the data is valid JSON and holds the names)" \
  "0|2|1|</script><img src=x onerror=alert(1)>" \
  "$rc|$(grep -o '</script>' "$WORK/hostile-report/report.html" | wc -l)|$(q :memory: "SELECT json_valid(CAST(readfile('$WORK/page.json') AS TEXT)),
     (SELECT json_extract(value, '\$.name') FROM json_each(CAST(readfile('$WORK/page.json') AS TEXT), '\$.inventory.principals') WHERE json_extract(value, '\$.kind') = 'user')")"

# --- 4. the shared sample (../shared), figures checked by hand against the file -------------
# --- per-account path: import -j, merge-inventory.sh, report -j ----------------------------------
echo "# the accounts imported in parallel and merged, the reports in parallel sessions"
dump() { # DB: every inventory row, without the file names
  q "$1" "SELECT 'a', account_id FROM inv_account; SELECT 'u', * FROM inv_user; SELECT 'g', * FROM inv_group;
    SELECT 'm', * FROM inv_group_member; SELECT 'r', * FROM inv_role; SELECT 'i', * FROM inv_instance_profile;
    SELECT 'ir', * FROM inv_instance_profile_role; SELECT 'p', * FROM inv_inline_policy; SELECT 'mp', * FROM inv_managed_policy;
    SELECT 'v', * FROM inv_policy_version; SELECT 't', * FROM inv_attachment;" | sort
}
import "$WORK/seq.db" $fx/trust-a.json $fx/trust-b.json $fx/demo-account.json
rc=0
CATALOG_DB=catalog.db scripts/import-gaad.sh -q -j 2 "$WORK/par.db" $fx/trust-a.json $fx/trust-b.json $fx/demo-account.json \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import -j 2: one line per account, as one run prints them" "0|$(sort "$WORK/out")" \
  "$rc|$(CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/seq2.db" $fx/trust-a.json $fx/trust-b.json $fx/demo-account.json | sort)"
expect "import -j 2: the same inventory as one run" "$(dump "$WORK/seq.db")" "$(dump "$WORK/par.db")"
rc=0
CATALOG_DB=catalog.db scripts/import-gaad.sh -q -j 2 "$WORK/parbad.db" $fx/trust-a.json $fx/bad-policy.json > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import -j 2: a worker that fails fails the import, nothing created" "1 no" \
  "$rc $([ -e "$WORK/parbad.db" ] && echo yes || echo no)"
expect_grep "... naming the problem" "bad-policy.json: RoleDetailList\[0\] role 'app-task'.*Effect" "$WORK/err"
rc=0
scripts/import-gaad.sh -j 2 --dry-run "$WORK/x.db" $fx/t-other.json > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import -j with --dry-run: a usage error" 2 "$rc"
# merge: parts made elsewhere; a part that lacks what the target holds is refused without --replace
import "$WORK/p12.db" $fx/t-page1.json $fx/t-page2.json
import "$WORK/p2.db" $fx/t-page2.json
before=$(sum "$WORK/p12.db")
rc=0
scripts/merge-inventory.sh -q "$WORK/p12.db" "$WORK/p2.db" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "merge-inventory: a part that lacks what the target holds: refused (3), target unchanged" "3 $before" "$rc $(sum "$WORK/p12.db")"
expect_grep "... naming what it would lose" "account 123456789012: the input has no user 'dev'" "$WORK/err"
rc=0
scripts/merge-inventory.sh -q "$WORK/m.db" "$WORK/seq.db" "$WORK/p2.db" "$WORK/par.db" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "merge-inventory: an account in two parts is refused, nothing created" "1 no" "$rc $([ -e "$WORK/m.db" ] && echo yes || echo no)"
expect_grep "... naming both" "account 111122223333 is in both .*seq.db and .*par.db" "$WORK/err"
rc=0
scripts/merge-inventory.sh -q --replace "$WORK/p12.db" "$WORK/p2.db" > "$WORK/out" 2>&1 || rc=$?
expect "merge-inventory --replace: the account is the part's" "0|$(dump "$WORK/p2.db")" "$rc|$(dump "$WORK/p12.db")"
rc=0
scripts/report.sh -q "$WORK/par.db" "$WORK/rep1" > /dev/null 2>&1 || rc=$?
scripts/report.sh -q -j 3 "$WORK/par.db" "$WORK/rep3" > /dev/null 2> "$WORK/err" || rc=$?
expect "report -j 3: the same files as one session" "0" "$rc$(diff -r -x report.html "$WORK/rep1" "$WORK/rep3" | head -n 3)"
expect "... and the same report.html but for its time" "" \
  "$(diff <(sed 's/"generated":"[^"]*"//' "$WORK/rep1/report.html") <(sed 's/"generated":"[^"]*"//' "$WORK/rep3/report.html") | head -c 300)"
rc=0
scripts/report.sh -j 2 --print "$WORK/par.db" "$WORK/rep4" > /dev/null 2>&1 || rc=$?
expect "report -j with --print: a usage error" 2 "$rc"

if [ -f "$SHARED_GAAD" ]; then
  s=$WORK/shared.db
  import "$s" "$SHARED_GAAD"
  check shared-counts "$s" "SELECT (SELECT count(*) FROM inv_user), (SELECT count(*) FROM inv_group), (SELECT count(*) FROM inv_role),
    (SELECT count(DISTINCT arn) FROM inv_managed_policy), (SELECT count(DISTINCT arn) FROM inv_managed_policy WHERE aws_managed),
    (SELECT count(*) FROM inv_inline_policy), (SELECT count(*) FROM inv_instance_profile), (SELECT count(*) FROM inv_group_member),
    (SELECT count(*) FROM inv_unresolved_policy)" "44|5|78|84|38|39|2|6|0"
  check shared-accounts "$s" "SELECT account_id, (SELECT count(*) FROM inv_principal AS p WHERE p.account_id = a.account_id)
    FROM inv_account AS a ORDER BY 1" "012345678901|6
200611803367|116"
  check shared-versions "$s" "SELECT group_concat(version_id) FROM inv_policy_version
    WHERE policy_arn = 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser' AND account_id = '200611803367'" "v10,v11"
  check shared-ecs-task-roles "$s" "$sets SELECT role FROM ($(sed 's/;$//' sql/queries/inventory/50-ecs-task-roles.sql))" \
    "privesc-high-priv-service-role"
  check shared-pass-to-ecs "$s" "$sets
SELECT count(*), sum(kind = 'user'), sum(principal IN ('fn1-privesc3-partial-user', 'biden', 'privesc-sre-user')),
    sum(principal LIKE 'fn2-%' OR principal LIKE 'fp%' OR principal LIKE 'privesc1-%')
    FROM ($(sed 's/;$//' sql/queries/inventory/20-who-can.sql)) WHERE question = 'pass-any-role-to-ecs-tasks'" "37|16|3|0"
  check shared-privesc "$s" "$privesc_setup SELECT count(*), sum(rules = 21) FROM ($(sed 's/;$//' sql/queries/inventory/40-privesc.sql))" "54|8"
  # Administrators, by the evaluator: AdministratorAccess or Action "*" (8); privesc-sre-* have iam:* (2);
  # fn4-exploitableNotAction-* allow everything but iam:Update*, iam:Create*, iam:Attach* (2).
  rc=0
  scripts/report.sh -q "$s" "$WORK/shared-report" > /dev/null 2> "$WORK/err" || rc=$?
  expect "shared: administrators decided by the evaluator, and the escalation findings" \
    "0|Administrator 8|IAM administrator 2 privesc-sre-role privesc-sre-user|Nearly every action 2|54" \
    "$rc|$(q :memory: ".import --csv $WORK/shared-report/11-admins.csv t" "SELECT finding || ' ' || count(*) || CASE WHEN finding = 'IAM administrator' THEN ' ' || group_concat(principal, ' ') ELSE '' END FROM (SELECT * FROM t ORDER BY principal) GROUP BY finding ORDER BY finding" | paste -sd '|')|$(($(wc -l < "$WORK/shared-report/41-privesc-findings.csv") - 1))"
else
  echo "tests/inventory: $SHARED_GAAD not present: shared-sample checks skipped"
fi

finish
