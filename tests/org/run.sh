#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of the organization and resource policies: scripts/import-org.sh and
# import-resource-policies.sh on the fixture organization of tests/org/fixtures/ (and broken
# copies of it), the views of sql/org/schema.sql, who can reach what across accounts (with the
# cases that flip because of an SCP level, an RCP, a trust policy or a cross-account grant, and
# the flips when the data changes), the reports 70-org-accounts, 72-org-who-can and
# 75-outside-access, and scripts/why-denied.sh on decoded access-denied messages.
# Prints "N passed, N failed" last; exits 1 on any failure.
# Environment: SQLITE3, IAM_EXT (default dist/iam); needs catalog.db (make catalog).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
fx=tests/org/fixtures
R=$fx/resources
[ -f catalog.db ] || { fail "catalog.db exists (make catalog)"; finish; }
[ "$HAVE_EXT" = 1 ] || { fail "the extension loads ($IAM_EXT)"; finish; }

# run NAME EXPECTED_STATUS CMD...: CMD's status must be EXPECTED_STATUS (output in $WORK/out, err)
run() {
  local name=$1 want=$2 rc=0
  shift 2
  "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else fail "$name" "exit $rc, expected $want" "$(tail -n 5 "$WORK/err")"; fi
}
# fails NAME MESSAGE DB CMD...: CMD must fail (status 1), print MESSAGE, and leave DB byte for byte
fails() {
  local name=$1 msg=$2 db=$3 before after rc=0
  shift 3
  before=$(sha256sum "$db" 2> /dev/null || echo none)
  "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  after=$(sha256sum "$db" 2> /dev/null || echo none)
  if [ "$rc" = 0 ]; then fail "$name" "it succeeded"
  elif ! grep -qF -- "$msg" "$WORK/err"; then fail "$name" "exit $rc; no message '$msg' in:" "$(cat "$WORK/err")"
  elif [ "$before" != "$after" ]; then fail "$name" "the database changed"
  else ok "$name"; fi
}
check() { expect_sql "$@"; }
# the resource policies of the fixtures, with what their outputs lack
resource_args=(
  --arn arn:aws:s3:::acme-prod-data --account 100000000003 "$R/s3api-get-bucket-policy-acme-prod-data.json"
  --arn arn:aws:s3:::acme-org-logs --account 100000000002 "$R/s3api-get-bucket-policy-acme-org-logs.json"
  --arn arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01 "$R/kms-get-key-policy-prod-data-key.json"
  "$R/sqs-get-queue-attributes-orders.json" "$R/sqs-get-queue-attributes-scratch.json"
  "$R/sns-get-topic-attributes-build-events.json" "$R/lambda-get-policy-build-hook.json"
  --arn arn:aws:ecr:eu-west-1:100000000004:repository/app "$R/ecr-get-repository-policy-app.json"
  "$R/secretsmanager-get-resource-policy-sandbox-db.json" "$R/generic.json")

###############################################################################
echo "# the fixture organization: GAAD, organization, resource policies, questions"
db=$WORK/org.db
run "import-gaad: the six accounts" 0 env CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$db" $fx/gaad-*.json
run "import-org: the organization" 0 scripts/import-org.sh "$db" $fx/org
expect "import-org: one line on standard output" \
  "organization o-a1b2c3d4e5 ($fx/org): 5 OUs, 5 accounts, 6 SCPs, 2 RCPs, 27 attachments" "$(cat "$WORK/out")"
expect_grep "import-org: warns that the Sandbox OU lets nothing through" \
  "^import-org: WARNING: account 100000000005 'sandbox': the SCPs attached to OU 'Sandbox' \(ou-a1b2-sand0001\) \('SandboxLimits'\) have no Allow statement: every request of its users and roles is denied \(ImplicitDeny\)" "$WORK/err"
expect "import-org: no other warning (the management account gets no SCPs)" 1 "$(grep -c WARNING "$WORK/err")"
run "import-resource-policies: the ten files" 0 scripts/import-resource-policies.sh -q "$db" "${resource_args[@]}"
expect "import-resource-policies: one line per resource" \
"arn:aws:ecr:eu-west-1:100000000004:repository/app (100000000004, ecr get-repository-policy, $R/ecr-get-repository-policy-app.json): new
arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01 (100000000003, kms get-key-policy, $R/kms-get-key-policy-prod-data-key.json): new
arn:aws:lambda:eu-west-1:100000000004:function:build-hook (100000000004, lambda get-policy, $R/lambda-get-policy-build-hook.json): new
arn:aws:s3:::acme-dev-build-cache (100000000004, generic, $R/generic.json): new
arn:aws:s3:::acme-dev-uploads (100000000004, generic, $R/generic.json): new
arn:aws:s3:::acme-org-logs (100000000002, s3api get-bucket-policy, $R/s3api-get-bucket-policy-acme-org-logs.json): new
arn:aws:s3:::acme-prod-data (100000000003, s3api get-bucket-policy, $R/s3api-get-bucket-policy-acme-prod-data.json): new
arn:aws:secretsmanager:eu-west-1:100000000005:secret:sandbox/db-AbCdEf (100000000005, secretsmanager get-resource-policy, $R/secretsmanager-get-resource-policy-sandbox-db.json): new
arn:aws:sns:eu-west-1:100000000004:build-events (100000000004, sns get-topic-attributes, $R/sns-get-topic-attributes-build-events.json): new
arn:aws:sqs:eu-west-1:100000000003:orders (100000000003, sqs get-queue-attributes, $R/sqs-get-queue-attributes-orders.json): new
arn:aws:sqs:eu-west-1:100000000005:scratch (100000000005, sqs get-queue-attributes, $R/sqs-get-queue-attributes-scratch.json): no policy" \
  "$(cat "$WORK/out")"
q "$db" < $fx/questions.sql
check "schema version 2" "$db" "SELECT value FROM inv_meta WHERE key = 'schema_version'" 2
check "tables" "$db" "SELECT (SELECT count(*) FROM org_organization), (SELECT count(*) FROM org_node WHERE kind = 'root'),
  (SELECT count(*) FROM org_node WHERE kind = 'ou'), (SELECT count(*) FROM org_account), (SELECT count(*) FROM org_policy),
  (SELECT count(*) FROM org_attachment), (SELECT count(*) FROM org_root_policy_type), (SELECT count(*) FROM inv_resource_policy)" \
  "1|1|5|5|8|27|2|10"
check "the tree: depth, names and aws:PrincipalOrgPaths" "$db" \
  "SELECT node_id, depth, names, org_path FROM org_tree WHERE kind <> 'ou' ORDER BY node_id" \
"100000000001|1|[\"Root\",\"management\"]|o-a1b2c3d4e5/r-a1b2/
100000000002|2|[\"Root\",\"Security\",\"security\"]|o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/
100000000003|3|[\"Root\",\"Workloads\",\"Prod\",\"prod\"]|o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-prod0001/
100000000004|3|[\"Root\",\"Workloads\",\"Dev\",\"dev\"]|o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-dev00001/
100000000005|2|[\"Root\",\"Sandbox\",\"sandbox\"]|o-a1b2c3d4e5/r-a1b2/ou-a1b2-sand0001/
r-a1b2|0|[\"Root\"]|o-a1b2c3d4e5/r-a1b2/"
check "org_account_controls: SCP and RCP levels by name, root to account; none for the management account" "$db" \
  "SELECT account_id, management, scp_names, rcp_names FROM org_account_controls ORDER BY account_id" \
"100000000001|1||
100000000002|0|[[\"FullAWSAccess\",\"DenyLeaveOrganization\"],[\"FullAWSAccess\"],[\"FullAWSAccess\"]]|[[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\"]]
100000000003|0|[[\"FullAWSAccess\",\"DenyLeaveOrganization\"],[\"FullAWSAccess\",\"EURegionsOnly\"],[\"FullAWSAccess\",\"ProdDataProtection\"],[\"FullAWSAccess\"]]|[[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\",\"OrgIdentitiesOnly\"],[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\"]]
100000000004|0|[[\"FullAWSAccess\",\"DenyLeaveOrganization\"],[\"FullAWSAccess\",\"EURegionsOnly\"],[\"FullAWSAccess\",\"DevNoIAMUsers\"],[\"FullAWSAccess\"]]|[[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\",\"OrgIdentitiesOnly\"],[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\"]]
100000000005|0|[[\"FullAWSAccess\",\"DenyLeaveOrganization\"],[\"SandboxLimits\"],[\"FullAWSAccess\"]]|[[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\"],[\"RCPFullAWSAccess\"]]"
check "org_account_controls: the documents are the policies' content, in the names' order" "$db" \
  "SELECT count(*) FROM org_account_controls AS c, json_each(c.scp_names) AS l, json_each(l.value) AS d
   WHERE (c.scps -> printf('\$[%d][%d]', l.key, d.key)) <> (SELECT document FROM org_policy WHERE name = d.value)" 0
check "org_account_controls: the SCP levels decide as iam_authorize takes them" "$db" \
  "SELECT account_id, iam_decision(json_object('principal', 'arn:aws:iam::' || account_id || ':user/x',
     'identity', json('{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}'),
     'scps', json(scps)), 'iam:CreateUser', '*') FROM org_account_controls ORDER BY 1" \
"100000000001|Allow
100000000002|Allow
100000000003|Allow
100000000004|ExplicitDeny
100000000005|ImplicitDeny"
check "org_principal_request: the organization's keys for its accounts only; the SCPs in the request" "$db" \
  "SELECT name, ctx ->> '\$.\"aws:PrincipalOrgID\"', ctx ->> '\$.\"aws:PrincipalOrgPaths\"[0]', json_type(request, '\$.scps')
   FROM org_principal_request WHERE name IN ('analytics', 'org-admin', 'partner-analyst') ORDER BY name" \
"analytics|o-a1b2c3d4e5|o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-dev00001/|array
org-admin|o-a1b2c3d4e5|o-a1b2c3d4e5/r-a1b2/|null
partner-analyst|||null"
check "inv_resource_policy_all: imported policies and trust policies, by ARN with their account" "$db" \
  "SELECT kind, count(*), count(DISTINCT account_id) FROM inv_resource_policy_all GROUP BY kind ORDER BY kind" \
"resource|10|4
trust|7|3"
check "the formats: ARN and account from the output, the command line or the statements" "$db" \
  "SELECT arn, account_id, service, source FROM inv_resource_policy WHERE source <> 'generic' ORDER BY arn" \
"arn:aws:ecr:eu-west-1:100000000004:repository/app|100000000004|ecr|ecr get-repository-policy
arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01|100000000003|kms|kms get-key-policy
arn:aws:lambda:eu-west-1:100000000004:function:build-hook|100000000004|lambda|lambda get-policy
arn:aws:s3:::acme-org-logs|100000000002|s3|s3api get-bucket-policy
arn:aws:s3:::acme-prod-data|100000000003|s3|s3api get-bucket-policy
arn:aws:secretsmanager:eu-west-1:100000000005:secret:sandbox/db-AbCdEf|100000000005|secretsmanager|secretsmanager get-resource-policy
arn:aws:sns:eu-west-1:100000000004:build-events|100000000004|sns|sns get-topic-attributes
arn:aws:sqs:eu-west-1:100000000003:orders|100000000003|sqs|sqs get-queue-attributes"
check "the policies are stored decoded and minified, as written (a JSON string and an object alike)" "$db" \
  "SELECT arn, document ->> '\$.Statement[0].Sid', document ->> '\$.Version' FROM inv_resource_policy
   WHERE arn IN ('arn:aws:s3:::acme-dev-build-cache', 'arn:aws:s3:::acme-dev-uploads', 'arn:aws:ecr:eu-west-1:100000000004:repository/app')
   ORDER BY 1" \
"arn:aws:ecr:eu-west-1:100000000004:repository/app|OrgPull|2008-10-17
arn:aws:s3:::acme-dev-build-cache|BuildCache|2012-10-17
arn:aws:s3:::acme-dev-uploads|OfficeUpload|2012-10-17"
check "inv_request_resource: the policy of an object is its bucket's, of a key its own" "$db" \
  "SELECT resource, service, coalesce(account, '-'), policy_arn FROM inv_request_resource
   WHERE resource IN ('arn:aws:s3:::acme-prod-data/reports/2026-q1.csv', 'arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01')
   ORDER BY 1" \
"arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01|kms|100000000003|arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01
arn:aws:s3:::acme-prod-data/reports/2026-q1.csv|s3|-|arn:aws:s3:::acme-prod-data"

###############################################################################
echo "# who can reach what, org-wide (org_who_can)"
# who QUESTION: "principal decision step deciding policy" per principal, in a fixed order
who() {
  qx "$db" "SELECT name || ' ' || decision || ' ' || step || coalesce(' ' || deciding_policy, '') FROM org_who_can
            WHERE question = '$1' ORDER BY account_id, name"
}
expect "read-prod-data: a cross-account grant (analytics, named by the bucket policy) and its absence (ci, dev-alice); the RCP keeps the partner out although the bucket names its account; SCP level in the sandbox" \
"org-admin ImplicitDeny cross-account
auditor-access ImplicitDeny cross-account
security-audit ImplicitDeny cross-account
break-glass Allow identity identity policy
deploy Allow identity identity policy
partner-read Allow identity identity policy
prod-operator Allow identity identity policy
analytics Allow cross-account resource policy
ci ImplicitDeny cross-account
dev-alice ImplicitDeny cross-account
sandbox-bob ImplicitDeny scp-level no SCP that allows it on OU 'Sandbox'
partner-analyst ExplicitDeny explicit-deny RCP 'OrgIdentitiesOnly' on OU 'Workloads'" "$(who read-prod-data)"
expect "read-prod-data-from-us: the same request from us-east-1 flips to an explicit deny by the Workloads OU's SCP" \
"org-admin ImplicitDeny cross-account
auditor-access ImplicitDeny cross-account
security-audit ImplicitDeny cross-account
break-glass ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
deploy ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
partner-read ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
prod-operator ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
analytics ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
ci ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
dev-alice ExplicitDeny explicit-deny SCP 'EURegionsOnly' on OU 'Workloads'
sandbox-bob ImplicitDeny scp-level no SCP that allows it on OU 'Sandbox'
partner-analyst ExplicitDeny explicit-deny RCP 'OrgIdentitiesOnly' on OU 'Workloads'" "$(who read-prod-data-from-us)"
expect "read-org-logs: the partner gets in where no RCP restricts (the Security OU)" \
  "partner-analyst Allow cross-account resource policy" "$(who read-org-logs | grep "^partner-analyst ")"
expect "assume-prod-deploy: the trust policy names dev's ci role: it may, analytics may not; prod's own principals need the trust policy too" \
"org-admin ImplicitDeny cross-account
auditor-access ImplicitDeny cross-account
security-audit ImplicitDeny cross-account
break-glass ImplicitDeny resource-policy-required
deploy ImplicitDeny resource-policy-required
partner-read ImplicitDeny resource-policy-required
prod-operator ImplicitDeny resource-policy-required
analytics ImplicitDeny cross-account
ci Allow cross-account trust policy
dev-alice ImplicitDeny cross-account
sandbox-bob ImplicitDeny scp-level no SCP that allows it on OU 'Sandbox'
partner-analyst ExplicitDeny explicit-deny RCP 'OrgIdentitiesOnly' on OU 'Workloads'" "$(who assume-prod-deploy)"
expect "create-iam-user: the management account has no SCPs, Dev's SCP denies, the sandbox lets nothing through" \
"org-admin Allow identity identity policy
auditor-access ImplicitDeny identity
security-audit ImplicitDeny identity
break-glass Allow identity identity policy
deploy ImplicitDeny identity
partner-read ImplicitDeny identity
prod-operator ImplicitDeny identity
analytics ExplicitDeny explicit-deny SCP 'DevNoIAMUsers' on OU 'Dev'
ci ExplicitDeny explicit-deny SCP 'DevNoIAMUsers' on OU 'Dev'
dev-alice ExplicitDeny explicit-deny SCP 'DevNoIAMUsers' on OU 'Dev'
sandbox-bob ImplicitDeny scp-level no SCP that allows it on OU 'Sandbox'
partner-analyst ImplicitDeny identity" "$(who create-iam-user)"
expect "delete-prod-bucket: the Prod OU's SCP spares break-glass only" \
"break-glass Allow identity identity policy
deploy ExplicitDeny explicit-deny SCP 'ProdDataProtection' on OU 'Prod'
partner-read ExplicitDeny explicit-deny SCP 'ProdDataProtection' on OU 'Prod'
prod-operator ExplicitDeny explicit-deny SCP 'ProdDataProtection' on OU 'Prod'" "$(who delete-prod-bucket | grep -E '^(break-glass|deploy|partner-read|prod-operator) ')"
expect "decrypt-with-prod-key: the key policy must allow even in prod; it names dev's account" \
"break-glass Allow resource-policy-required resource policy
deploy Allow resource-policy-required resource policy
partner-read ImplicitDeny resource-policy-required
prod-operator ImplicitDeny resource-policy-required
analytics Allow cross-account resource policy
ci ImplicitDeny cross-account
dev-alice ImplicitDeny cross-account" "$(who decrypt-with-prod-key | grep -E '^(break-glass|deploy|partner-read|prod-operator|analytics|ci|dev-alice) ')"
expect "send-to-orders and read-sandbox-secret: the queue names dev's account, the secret prod's deploy role" \
"analytics Allow cross-account resource policy
dev-alice Allow cross-account resource policy
deploy Allow cross-account resource policy" \
  "$(who send-to-orders | grep -E '^(analytics|dev-alice) '; who read-sandbox-secret | grep -E ' Allow ')"
check "org_who_can agrees with iam_authorize on every row (the request object plus action, resource, context)" "$db" \
  "SELECT count(*), sum(iam_authorize(json_set(request, '\$.action', action, '\$.resource', resource, '\$.context', json(ctx))) = decision)
   FROM org_who_can" "108|108"
check "org_who_can: the resource's owner and its organization keys; the trust policy only for sts actions" "$db" \
  "SELECT DISTINCT question, resource_account, coalesce(resource_policy, '-'), ctx ->> '\$.\"aws:ResourceOrgID\"' FROM org_who_can
   WHERE question IN ('read-prod-data', 'assume-prod-deploy', 'read-org-logs') ORDER BY 1" \
"assume-prod-deploy|100000000003|trust policy of arn:aws:iam::100000000003:role/deploy|o-a1b2c3d4e5
read-org-logs|100000000002|resource policy of arn:aws:s3:::acme-org-logs|o-a1b2c3d4e5
read-prod-data|100000000003|resource policy of arn:aws:s3:::acme-prod-data|o-a1b2c3d4e5"
q "$db" "INSERT INTO inv_question VALUES ('pass-deploy-role', 'iam:PassRole', 'arn:aws:iam::100000000003:role/deploy', '{\"iam:PassedToService\":\"ec2.amazonaws.com\"}', NULL)"
check "org_who_can: iam:PassRole on a role does not read its trust policy" "$db" \
  "SELECT DISTINCT coalesce(resource_policy, 'none') FROM org_who_can WHERE question = 'pass-deploy-role'" "none"
q "$db" "DELETE FROM inv_question WHERE name = 'pass-deploy-role'"

###############################################################################
echo "# the same questions when the data changes: each case flips"
flip() { # NAME SQL QUESTION PRINCIPAL EXPECTED: decision and step after SQL on a copy
  cp "$db" "$WORK/flip.db"
  q "$WORK/flip.db" "$2"
  expect "$1" "$5" "$(qx "$WORK/flip.db" "SELECT decision || ' ' || step FROM org_who_can WHERE question = '$3' AND name = '$4'")"
}
flip "SCP: without EURegionsOnly on Workloads, analytics reads from us-east-1" \
  "DELETE FROM org_attachment WHERE policy_id = 'p-euregions01'" read-prod-data-from-us analytics "Allow cross-account"
flip "SCP level: with FullAWSAccess on the Sandbox OU, sandbox-bob may create users" \
  "INSERT INTO org_attachment VALUES ('p-FullAWSAccess', 'ou-a1b2-sand0001')" create-iam-user sandbox-bob "Allow identity"
flip "SCP level: without FullAWSAccess on the dev account, nothing is allowed there" \
  "DELETE FROM org_attachment WHERE policy_id = 'p-FullAWSAccess' AND target_id = '100000000004'" read-prod-data analytics "ImplicitDeny scp-level"
flip "SCP: not ENABLED at the root, SCPs do not apply: Dev creates users" \
  "UPDATE org_root_policy_type SET status = 'PENDING_ENABLE' WHERE type = 'SERVICE_CONTROL_POLICY'" create-iam-user dev-alice "Allow identity"
flip "RCP: without OrgIdentitiesOnly, the partner reads the prod bucket that names its account" \
  "DELETE FROM org_attachment WHERE policy_id = 'p-rcporgonly1'" read-prod-data partner-analyst "Allow cross-account"
flip "RCP: the management account's resources are not governed by RCPs" \
  "UPDATE org_organization SET management_account_id = '100000000003'" read-prod-data partner-analyst "Allow cross-account"
flip "trust policy: naming analytics instead of ci, ci may no longer assume deploy" \
  "UPDATE inv_role SET trust_policy = json_set(trust_policy, '\$.Statement[0].Principal.AWS', 'arn:aws:iam::100000000004:role/analytics') WHERE name = 'deploy'" \
  assume-prod-deploy ci "ImplicitDeny cross-account"
expect "trust policy: ... and analytics, named now, still needs its own policies to allow it (both sides, across accounts)" \
  "ImplicitDeny the resource belongs to another account (100000000003): the resource policy names the caller, but no identity policy allows it" \
  "$(qx "$WORK/flip.db" "SELECT decision || ' ' || step_reason FROM org_who_can WHERE question = 'assume-prod-deploy' AND name = 'analytics'")"
flip "cross-account grant: without AnalyticsRead in the bucket policy, analytics is denied" \
  "UPDATE inv_resource_policy SET document = json_remove(document, '\$.Statement[0]') WHERE arn = 'arn:aws:s3:::acme-prod-data'" \
  read-prod-data analytics "ImplicitDeny cross-account"
flip "without the organization imported, nothing is governed: the sandbox and the partner get in" \
  "PRAGMA foreign_keys = ON; DELETE FROM org_organization" read-prod-data partner-analyst "Allow cross-account"

###############################################################################
echo "# reports"
rdir=$WORK/report
run "report.sh on the organization" 0 env CATALOG_DB=catalog.db scripts/report.sh -q "$db" "$rdir"
expect "72-org-who-can: grouped by question and decision" \
'question,action,decision,step,"decided by",principals,who,"why (first)"
read-prod-data,s3:GetObject,Allow,identity,"identity policy",4,"prod:user/prod-operator, prod:role/break-glass, prod:role/deploy, prod:role/partner-read","allowed by identity[0].Statement[0]"' \
  "$(head -n 1 "$rdir/72-org-who-can.csv" | tr -d '\r'; grep -m 1 '^read-prod-data,.*,Allow,identity' "$rdir/72-org-who-can.csv" | tr -d '\r')"
expect "72-org-who-can: 42 groups" 43 "$(wc -l < "$rdir/72-org-who-can.csv")"
expect "70-org-accounts: the tree, levels and where SCPs let nothing through" \
'account,name,place,role,scps,rcps,"SCP check","users and roles","resource policies"
100000000001,management,Root,management,none,none,,1,0
100000000005,sandbox,"Root / Sandbox",member,"Root: FullAWSAccess, DenyLeaveOrganization; Sandbox: SandboxLimits; sandbox: FullAWSAccess","Root: RCPFullAWSAccess; Sandbox: RCPFullAWSAccess; sandbox: RCPFullAWSAccess","every request denied: no SCP allows at OU '"'"'Sandbox'"'"'",1,1
100000000002,security,"Root / Security",member,"Root: FullAWSAccess, DenyLeaveOrganization; Security: FullAWSAccess; security: FullAWSAccess","Root: RCPFullAWSAccess; Security: RCPFullAWSAccess; security: RCPFullAWSAccess",,2,1
100000000004,dev,"Root / Workloads / Dev",member,"Root: FullAWSAccess, DenyLeaveOrganization; Workloads: FullAWSAccess, EURegionsOnly; Dev: FullAWSAccess, DevNoIAMUsers; dev: FullAWSAccess","Root: RCPFullAWSAccess; Workloads: RCPFullAWSAccess, OrgIdentitiesOnly; Dev: RCPFullAWSAccess; dev: RCPFullAWSAccess",,3,5
100000000003,prod,"Root / Workloads / Prod",member,"Root: FullAWSAccess, DenyLeaveOrganization; Workloads: FullAWSAccess, EURegionsOnly; Prod: FullAWSAccess, ProdDataProtection; prod: FullAWSAccess","Root: RCPFullAWSAccess; Workloads: RCPFullAWSAccess, OrgIdentitiesOnly; Prod: RCPFullAWSAccess; prod: RCPFullAWSAccess",,4,3' \
  "$(tr -d '\r' < "$rdir/70-org-accounts.csv")"
# resource, statement, grantee, kind, actions open, rcps, verdict
outside() { qx :memory: ".mode list" ".import --csv $(dot_quote "$1") o" \
  "SELECT resource, statement, grantee, \"grantee kind\", \"actions open\", rcps, verdict FROM o"; }
expect "75-outside-access: who outside the organization gets in, and what the RCPs keep out" \
"arn:aws:iam::100000000002:role/auditor-access|#0|555566667777|external account|0 of 1|would block none|open to requests with aws:MultiFactorAuthPresent
arn:aws:s3:::acme-org-logs|AuditorRead|555566667777|external account|2 of 2|block none|open: s3:GetObject, s3:ListBucket
arn:aws:s3:::acme-org-logs|AuditorRead|arn:aws:iam::222233334444:root|external account|2 of 2|block none|open: s3:GetObject, s3:ListBucket
arn:aws:iam::100000000003:role/partner-read|#0|arn:aws:iam::222233334444:root|external account|0 of 1|would block all|blocked by RCPs (and open only to requests with sts:ExternalId)
arn:aws:s3:::acme-prod-data|PartnerRead|arn:aws:iam::222233334444:root|external account|2 of 2|block all|blocked by RCPs
arn:aws:sqs:eu-west-1:100000000003:orders|TopicDelivery|sns.amazonaws.com|AWS service|1 of 1|block all|blocked by RCPs
arn:aws:ecr:eu-west-1:100000000004:repository/app|PartnerPull|arn:aws:iam::222233334444:root|external account|3 of 3|block all|blocked by RCPs
arn:aws:iam::100000000004:role/analytics|#0|ec2.amazonaws.com|AWS service|1 of 1|block all|blocked by RCPs
arn:aws:iam::100000000004:role/ci|#0|codebuild.amazonaws.com|AWS service|1 of 1|block all|blocked by RCPs
arn:aws:lambda:eu-west-1:100000000004:function:build-hook|partner-invoke|arn:aws:iam::222233334444:root|external account|1 of 1|block none|open: lambda:InvokeFunction
arn:aws:s3:::acme-dev-uploads|OfficeUpload|*|anyone|0 of 1|would block all|blocked by RCPs (and open only to requests with aws:SourceIp)
arn:aws:sns:eu-west-1:100000000004:build-events|PublicPublish|*|anyone|1 of 1|block none|open: sns:Publish" \
  "$(outside "$rdir/75-outside-access.csv")"
expect "75-outside-access: not listed: grants tied to the organization (aws:PrincipalOrgID, aws:SourceOrgID, aws:SourceAccount, SNS's default AWS:SourceOwner) and grants to its own accounts" \
  "0" "$(grep -cE 'OrgWrite|CloudTrailWrite|OrgPull|s3-uploads|__default_statement_ID|AnalyticsRead|DevSend|AllowDevDecrypt' "$rdir/75-outside-access.csv")"
env CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/demo.db" tests/inventory/fixtures/demo-account.json > /dev/null 2>&1
expect "75-outside-access, on the inventory's demo account: a service trusted without a condition is listed; one tied by aws:SourceAccount and aws:SourceArn (app-web-task) and a service-linked role are not" \
"arn:aws:iam::111122223333:role/app-batch-task|ecs-tasks.amazonaws.com|open: sts:AssumeRole
arn:aws:iam::111122223333:role/ec2-build-runner|ec2.amazonaws.com|open: sts:AssumeRole
arn:aws:iam::111122223333:role/ecsTaskExecutionRole|ecs-tasks.amazonaws.com|open: sts:AssumeRole
arn:aws:iam::111122223333:role/report-builder|lambda.amazonaws.com|open: sts:AssumeRole" \
  "$(qx -cmd "ATTACH 'catalog.db' AS catalog" "$WORK/demo.db" "SELECT resource, grantee, verdict FROM (
      $(sed '/^--/d; s/;$//' sql/queries/inventory/75-outside-access.sql))")"
cp "$db" "$WORK/norcp.db"
q "$WORK/norcp.db" "DELETE FROM org_attachment WHERE policy_id = 'p-rcporgonly1'"
run "report.sh without the RCP" 0 env CATALOG_DB=catalog.db scripts/report.sh -q "$WORK/norcp.db" "$WORK/report2"
expect "75-outside-access: without the RCP, the partner's grants are open" \
"arn:aws:s3:::acme-prod-data|PartnerRead|block none|open: s3:GetObject, s3:ListBucket
arn:aws:ecr:eu-west-1:100000000004:repository/app|PartnerPull|block none|open: ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer" \
  "$(outside "$WORK/report2/75-outside-access.csv" | grep -E 'PartnerRead|PartnerPull' | cut -d '|' -f 1,2,6,7)"
cp "$db" "$WORK/noorg.db"
q "$WORK/noorg.db" "PRAGMA foreign_keys = ON; DELETE FROM org_organization"
run "report.sh without an organization" 0 env CATALOG_DB=catalog.db scripts/report.sh -q "$WORK/noorg.db" "$WORK/report3"
expect "75-outside-access: without an organization, outside means outside the inventory's accounts (555566667777 still, 222233334444 no more), no RCP in force" \
  "555566667777|none in force" "$(outside "$WORK/report3/75-outside-access.csv" | grep 'AuditorRead' | cut -d '|' -f 3,6)"
expect "70-org-accounts: empty without an organization" 1 "$(wc -l < "$WORK/report3/70-org-accounts.csv")"

###############################################################################
echo "# why was this denied?"
why() { scripts/why-denied.sh -q "$db" "$fx/messages/$1"; }
expect "why-denied: an SCP's explicit deny, named, as AWS decided (the CLI's wrapper)" \
"request     principal arn:aws:iam::100000000004:user/dev-alice, action iam:CreateUser, resource arn:aws:iam::100000000004:user/mallory
context     aws:Region=us-east-1, aws:Service=iam, aws:Resource=user/mallory, aws:Type=user, aws:Account=100000000004, aws:ARN=arn:aws:iam::100000000004:user/mallory, aws:RequestedRegion=us-east-1
caller      arn:aws:iam::100000000004:user/dev-alice: 1 identity policy, no boundary; SCPs of account 100000000004 (4 levels)
resource    owned by account 100000000004 'dev'; no resource policy in the inventory; the RCPs of its account
aws         denied by an explicit Deny (explicitDeny: true)
decision    ExplicitDeny (as AWS decided)
decided by  explicit-deny: explicit Deny in scps[2][1].Statement[0] -> SCP 'DevNoIAMUsers' on OU 'Dev', Statement[0] (NoIAMUsers)
closest     (none: no Allow statement names this action on this resource)" "$(why create-user-dev-alice.json)"
expect "why-denied: a role session; the bucket policy's statements came closest (their Principal)" \
"caller      a session of arn:aws:iam::100000000004:role/ci: 1 identity policy, no boundary (session policies, if the session had any, are not known); SCPs of account 100000000004 (4 levels)
resource    owned by account 100000000003 'prod'; the resource policy of arn:aws:s3:::acme-prod-data; the RCPs of its account
aws         denied: no statement allowed it (explicitDeny: false)
decision    ImplicitDeny (as AWS decided)
decided by  cross-account: the resource belongs to another account (100000000003): no resource policy names the caller
closest     the resource policy of arn:aws:s3:::acme-prod-data, Statement[0] (AnalyticsRead): Principal: 'arn:aws:sts::100000000004:assumed-role/ci/build-7' is not named by any of ['arn:aws:iam::100000000004:role/analytics']
closest     the resource policy of arn:aws:s3:::acme-prod-data, Statement[1] (PartnerRead): Principal: 'arn:aws:sts::100000000004:assumed-role/ci/build-7' is not named by any of ['arn:aws:iam::222233334444:root']" \
  "$(why read-prod-data-ci.json | sed 1,2d)"
expect "why-denied: 'RunInstances' without its prefix; aws:Region read as aws:RequestedRegion: the region SCP" \
"request     principal arn:aws:sts::100000000004:assumed-role/analytics/i-0a1b2c3d4e5f60718, action ec2:RunInstances, resource arn:aws:ec2:us-east-1:100000000004:instance/*
decided by  explicit-deny: explicit Deny in scps[1][1].Statement[0] -> SCP 'EURegionsOnly' on OU 'Workloads', Statement[0] (DenyOutsideEU)" \
  "$(why run-instances-analytics.json | grep -E '^(request|decided by)')"
expect "why-denied: the bare decoded message; an RCP denies a caller outside the organization" \
"caller      arn:aws:iam::222233334444:user/partner-analyst: 1 identity policy, no boundary; no SCPs (not an account of the organization)
decision    ExplicitDeny (as AWS decided)
decided by  explicit-deny: explicit Deny in rcps[1][1].Statement[0] -> RCP 'OrgIdentitiesOnly' on OU 'Workloads', Statement[0] (EnforceOrgIdentities)" \
  "$(why read-prod-data-partner.decoded.json | grep -E '^(caller|decision|decided by)')"
# a condition that failed, with the key the request lacked; a caller the inventory does not have;
# a decision that differs from AWS's
jq_free_msg() { # PRINCIPAL ACTION RESOURCE EXPLICIT KEYS_JSON
  printf '{"DecodedMessage":%s}' "$(qx :memory: "SELECT json_quote(json_object('allowed', json('false'), 'explicitDeny', json('$4'),
    'matchedStatements', json('{\"items\":[]}'), 'failures', json('{\"items\":[]}'),
    'context', json_object('principal', json_object('id', 'AIDAEXAMPLE', 'arn', '$1'), 'action', '$2', 'resource', '$3',
      'conditions', json_object('items', (SELECT json_group_array(json_object('key', key, 'values', json_object('items', json_array(json_object('value', value)))))
                                           FROM json_each('$5'))))))")"
}
jq_free_msg arn:aws:sts::100000000002:assumed-role/auditor-access/ext-audit s3:GetObject arn:aws:s3:::acme-org-logs/x.json false \
  '{"aws:Region":"eu-west-1"}' > "$WORK/m1.json"
q "$WORK/cond.db" "SELECT 1" > /dev/null
cp "$db" "$WORK/cond.db"
q "$WORK/cond.db" "UPDATE inv_inline_policy SET document = json_set(document, '\$.Statement[0].Condition', json('{\"StringEquals\":{\"aws:ResourceTag/team\":\"security\"}}'))
                   WHERE owner_name = 'auditor-access'"
expect "why-denied: the statements that came closest: the bucket policy's (Principal) and the identity policy's, with the key the request lacked; AWS agreed" \
"decision    ImplicitDeny (as AWS decided)
closest     the resource policy of arn:aws:s3:::acme-org-logs, Statement[1] (AuditorRead): Principal: 'arn:aws:sts::100000000002:assumed-role/auditor-access/ext-audit' is not named by any of ['555566667777', 'arn:aws:iam::222233334444:root']
closest     identity policy 'read-logs' (role, inline), Statement[0]: StringEquals aws:ResourceTag/team: key absent from the request (the request lacks aws:ResourceTag/team)" \
  "$(scripts/why-denied.sh -q "$WORK/cond.db" "$WORK/m1.json" | grep -E '^(decision|closest)')"
expect "why-denied: the same request with the inventory as it was: allowed, unlike AWS" \
  "decision    Allow (AWS decided otherwise: the inventory may be incomplete or older than the message, or the request carried keys the message leaves out)" \
  "$(scripts/why-denied.sh -q "$db" "$WORK/m1.json" | grep -E '^decision')"
jq_free_msg arn:aws:iam::333333333333:user/stranger s3:GetObject arn:aws:s3:::acme-org-logs/x.json false '{}' > "$WORK/m2.json"
expect "why-denied: a caller the inventory does not hold" \
  "caller      not in the inventory (account 333333333333 is not imported): its identity policies are taken as none; no SCPs (not an account of the organization)" \
  "$(scripts/why-denied.sh -q "$db" "$WORK/m2.json" | grep -E '^caller')"
echo 'Encoded authorization failure message: EXAMPLEWodyRNrtlQARDip' > "$WORK/encoded.txt"
fails "why-denied: the encoded message is refused, saying how to decode it" \
  "encoded.txt: iam_authz_message(): message is not JSON: an encoded message (what the failed call printed) must be decoded first, with aws sts decode-authorization-message --encoded-message ..." \
  "$db" scripts/why-denied.sh "$db" "$WORK/encoded.txt"
echo '{"DecodedMessage":"{\"allowed\":false,\"context\":{\"action\":\"s3:GetObject\",\"resource\":\"*\"}}"}' > "$WORK/noprincipal.json"
fails "why-denied: a message without its principal is refused, naming the place" \
  "noprincipal.json: iam_authz_message(): DecodedMessage.context.principal: must be an object {\"id\", \"arn\"}, not missing" \
  "$db" scripts/why-denied.sh "$db" "$WORK/noprincipal.json"
fails "why-denied: a missing message file" "nothing.json: cannot read the file: it does not exist" "$db" \
  scripts/why-denied.sh "$db" "$WORK/nothing.json"
fails "why-denied: a database that is not an inventory" "is not an inventory of this version" catalog.db \
  scripts/why-denied.sh catalog.db "$fx/messages/read-prod-data-ci.json"

###############################################################################
echo "# the README's loop, against an aws command that answers from the fixture"
mkdir -p "$WORK/bin" "$WORK/loop"
cat > "$WORK/bin/aws" << 'EOF'
#!/usr/bin/env bash
# aws organizations CMD [--parent-id|--policy-id|--filter X] [--query 'List[].Id'] [--output json|text]
set -euo pipefail
[ "$1" = organizations ] || { echo "fake aws: not organizations: $1" >&2; exit 9; }
cmd=$2
shift 2
key='' query='' output=''
while [ $# -gt 0 ]; do
  case $1 in
    --parent-id | --policy-id | --filter) key=$2; shift ;;
    --query) query=$2; shift ;;
    --output) output=$2; shift ;;
    *) echo "fake aws: $1?" >&2; exit 9 ;;
  esac
  shift
done
case $cmd in
  describe-organization | list-roots) f=$FAKE_ORG/$cmd.json ;;
  list-policies) f=$FAKE_ORG/list-policies-$key.json ;;
  *) f=$FAKE_ORG/$cmd/$key.json ;;
esac
[ -f "$f" ] || { echo "fake aws: no $f" >&2; exit 9; }
if [ -n "$query" ]; then
  [ "$output" = text ] || { echo "fake aws: a query without --output text" >&2; exit 9; }
  "$SQLITE3" -batch :memory: "SELECT group_concat(value ->> '\$.Id', char(9)) FROM json_each(CAST(readfile('$f') AS TEXT), '\$.${query%%\[\]*}')"
else
  [ "$output" = json ] || { echo "fake aws: not --output json" >&2; exit 9; }
  cat "$f"
fi
EOF
chmod +x "$WORK/bin/aws"
awk '/^DIR=org; mkdir -p/ { on = 1 } on && /^```$/ { exit } on' sql/README.md > "$WORK/loop.sh"
expect "the loop is in sql/README.md" 1 "$(grep -c '^for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do$' "$WORK/loop.sh")"
rc=0
(cd "$WORK/loop" && FAKE_ORG="$ROOT/$fx/org" PATH="$WORK/bin:$PATH" bash -euo pipefail "$WORK/loop.sh") > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 0 ] && diff -r "$WORK/loop/org" "$fx/org" > "$WORK/diff" 2>&1; then
  ok "the loop saves every file the import reads, as the fixture has them"
else
  fail "the loop saves every file the import reads, as the fixture has them" "exit $rc" "$(head -n 5 "$WORK/err")" "$(head -n 10 "$WORK/diff")"
fi

###############################################################################
echo "# organization imports that fail, and what they leave"
broken() { rm -rf "$WORK/b"; cp -r "$fx/org" "$WORK/b"; }
ofails() { # NAME MESSAGE: import-org on $WORK/b into a copy of the organization's database fails, DB as it was
  cp "$db" "$WORK/ob.db"
  fails "$1" "$2" "$WORK/ob.db" scripts/import-org.sh "$WORK/ob.db" "$WORK/b"
}
broken; rm "$WORK/b/describe-policy/p-euregions01.json"
ofails "a missing describe-policy file is named, with the policy that needs it" \
  "$WORK/b/describe-policy/p-euregions01.json: missing: $WORK/b/list-policies-SERVICE_CONTROL_POLICY.json: Policies[2] policy 'EURegionsOnly' needs it (aws organizations describe-policy --policy-id p-euregions01)"
broken; rm "$WORK/b/list-accounts-for-parent/ou-a1b2-dev00001.json"
ofails "a parent without its list of accounts is named" \
  "$WORK/b/list-accounts-for-parent/ou-a1b2-dev00001.json: missing: OU 'Dev' ($WORK/b/list-organizational-units-for-parent/ou-a1b2-work0001.json: OrganizationalUnits[1] ou 'Dev') needs it"
broken; cp "$WORK/b/list-accounts-for-parent/ou-a1b2-dev00001.json" "$WORK/b/list-accounts-for-parent/ou-a1b2-gone0001.json"
ofails "a list under a parent that is not in the tree" \
  "$WORK/b/list-accounts-for-parent/ou-a1b2-gone0001.json: 'ou-a1b2-gone0001' is neither the root nor an OU that a list-organizational-units-for-parent file lists"
broken; q :memory: "SELECT writefile('$WORK/b/list-targets-for-policy/p-devnoiamusr.json',
  json_set(CAST(readfile('$WORK/b/list-targets-for-policy/p-devnoiamusr.json') AS TEXT), '\$.Targets[0].TargetId', 'ou-a1b2-nope0001'))" > /dev/null
ofails "a target that is not in the tree" \
  "$WORK/b/list-targets-for-policy/p-devnoiamusr.json: Targets[0] target 'ou-a1b2-nope0001': 'ou-a1b2-nope0001' is not in the tree"
broken; q :memory: "SELECT writefile('$WORK/b/list-targets-for-policy/p-devnoiamusr.json',
  json_set(CAST(readfile('$WORK/b/list-targets-for-policy/p-devnoiamusr.json') AS TEXT), '\$.Targets[0].Type', 'ACCOUNT'))" > /dev/null
ofails "a target of the wrong type" \
  "Targets[0] target 'ou-a1b2-dev00001': Type 'ACCOUNT' is not the type of ou ou-a1b2-dev00001 (ORGANIZATIONAL_UNIT)"
broken; q :memory: "SELECT writefile('$WORK/b/list-accounts-for-parent/ou-a1b2-prod0001.json',
  json_set(CAST(readfile('$WORK/b/list-accounts-for-parent/ou-a1b2-prod0001.json') AS TEXT), '\$.NextToken', 'AAEAAZ'))" > /dev/null
ofails "a page of a longer list (NextToken)" \
  "$WORK/b/list-accounts-for-parent/ou-a1b2-prod0001.json: has a NextToken: it is one page of a longer list"
broken; cp "$WORK/b/list-accounts-for-parent/ou-a1b2-prod0001.json" "$WORK/b/list-accounts-for-parent/ou-a1b2-dev00001.json"
ofails "an account listed twice" "account '100000000003' is listed 2 times"
broken; q :memory: "SELECT writefile('$WORK/b/describe-policy/p-devnoiamusr.json',
  json_set(CAST(readfile('$WORK/b/describe-policy/p-devnoiamusr.json') AS TEXT), '\$.Policy.Content', '{\"Version\":\"2012-10-17\",'))" > /dev/null
ofails "Content that is not JSON" \
  "$WORK/b/describe-policy/p-devnoiamusr.json: Policy.Content is not valid JSON ($WORK/b/list-policies-SERVICE_CONTROL_POLICY.json: Policies[4] policy 'DevNoIAMUsers')"
broken; q :memory: "SELECT writefile('$WORK/b/describe-policy/p-devnoiamusr.json',
  json_set(CAST(readfile('$WORK/b/describe-policy/p-devnoiamusr.json') AS TEXT), '\$.Policy.Content',
    '' || json_set(CAST(readfile('$WORK/b/describe-policy/p-devnoiamusr.json') AS TEXT) ->> '\$.Policy.Content', '\$.Statement[0].Principal', '*')))" > /dev/null
ofails "an SCP with a Principal is refused by the rules of SCPs, naming the file" \
  "$WORK/b/describe-policy/p-devnoiamusr.json: Policy.Content (SCP 'DevNoIAMUsers'): iam_decision(): Statement[0]: Principal is not allowed in an SCP"
broken; q :memory: "SELECT writefile('$WORK/b/describe-policy/p-rcporgonly1.json',
  json_set(CAST(readfile('$WORK/b/describe-policy/p-rcporgonly1.json') AS TEXT), '\$.Policy.Content',
    '' || json_remove(CAST(readfile('$WORK/b/describe-policy/p-rcporgonly1.json') AS TEXT) ->> '\$.Policy.Content', '\$.Statement[1].Principal')))" > /dev/null
ofails "an RCP statement without \"Principal\": \"*\" is refused by the rules of RCPs" \
  "$WORK/b/describe-policy/p-rcporgonly1.json: Policy.Content (RCP 'OrgIdentitiesOnly'): iam_decision(): Statement[1]"
broken; rm "$WORK/b/list-policies-RESOURCE_CONTROL_POLICY.json"
ofails "RCPs enabled at the root, but no list of them" \
  "$WORK/b/list-policies-RESOURCE_CONTROL_POLICY.json: missing: the root has RESOURCE_CONTROL_POLICY ENABLED"
broken; q :memory: "SELECT writefile('$WORK/b/describe-organization.json',
  json_set(CAST(readfile('$WORK/b/describe-organization.json') AS TEXT), '\$.Organization.MasterAccountId', '100000000009'))" > /dev/null
ofails "a management account that is in no list" \
  "$WORK/b/describe-organization.json: the management account 100000000009 is in none of the list-accounts-for-parent files"
broken; printf '\357\273\277' | cat - "$fx/org/list-roots.json" > "$WORK/b/list-roots.json"
ofails "a byte-order mark is named" "$WORK/b/list-roots.json: starts with a UTF-8 byte-order mark"
broken; echo '{}' > "$WORK/b/describe-policy/notes.txt"
ofails "a file the import does not read, in a folder it reads" \
  "$WORK/b/describe-policy/notes.txt: not a file the import reads"
broken; q :memory: "SELECT writefile('$WORK/b/list-accounts-for-parent/ou-a1b2-dev00001.json', json_insert(CAST(readfile('$WORK/b/list-accounts-for-parent/ou-a1b2-dev00001.json') AS TEXT),
  '\$.Accounts[#]', CAST(readfile('$WORK/b/list-accounts-for-parent/ou-a1b2-prod0001.json') AS TEXT) -> '\$.Accounts[0]'))" > /dev/null
echo '{"Accounts": []}' > "$WORK/b/list-accounts-for-parent/ou-a1b2-prod0001.json"
cp "$db" "$WORK/ob.db"
run "the same organization, its tree changed: it replaces the one held" 0 scripts/import-org.sh -q "$WORK/ob.db" "$WORK/b"
check "... prod now under Dev, with Dev's SCPs" "$WORK/ob.db" "SELECT parent_id, scp_names ->> '\$[2][1]' FROM org_node JOIN org_account_controls ON account_id = node_id WHERE node_id = '100000000003'" "ou-a1b2-dev00001|DevNoIAMUsers"
broken; q :memory: "SELECT writefile('$WORK/b/describe-organization.json',
  replace(CAST(readfile('$WORK/b/describe-organization.json') AS TEXT), 'o-a1b2c3d4e5', 'o-zzzzzzzzzz'))" > /dev/null
cp "$db" "$WORK/ob.db"
before=$(sha256sum < "$WORK/ob.db")
run "another organization is refused (exit 3)" 3 scripts/import-org.sh "$WORK/ob.db" "$WORK/b"
expect_grep "... saying which one it holds" "refused: .*ob.db holds organization o-a1b2c3d4e5 \(from $fx/org, .*\), not o-zzzzzzzzzz: --replace replaces it" "$WORK/err"
expect "... and leaves the database as it was" "$before" "$(sha256sum < "$WORK/ob.db")"
run "--dry-run says what would happen, changes nothing" 0 scripts/import-org.sh --dry-run "$WORK/ob.db" "$WORK/b"
expect_grep "... the refusal included" "would be refused without --replace" "$WORK/out"
expect "... nothing changed" "$before" "$(sha256sum < "$WORK/ob.db")"
run "--replace replaces it" 0 scripts/import-org.sh -q --replace "$WORK/ob.db" "$WORK/b"
check "... with the new id everywhere" "$WORK/ob.db" "SELECT DISTINCT org_id FROM org_node" o-zzzzzzzzzz
echo "SELECT json('not json');" > "$WORK/fail.sql"
cp "$db" "$WORK/ob.db"
before=$(sha256sum < "$WORK/ob.db")
rc=0
IMPORT_EXTRA_SQL="$WORK/fail.sql" scripts/import-org.sh "$WORK/ob.db" "$fx/org" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "a load that fails after writing commits nothing" "1 $before" "$rc $(sha256sum < "$WORK/ob.db")"
rc=0
scripts/import-org.sh "$WORK/new.db" "$WORK/nowhere" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "a folder that does not exist: exit 1, nothing created" "1 no" "$rc $([ -e "$WORK/new.db" ] && echo yes || echo no)"
run "the organization into a new database (no GAAD)" 0 scripts/import-org.sh -q "$WORK/orgonly.db" "$fx/org"
check "... which is an inventory of version 2 with no accounts of GAAD" "$WORK/orgonly.db" \
  "SELECT (SELECT value FROM inv_meta WHERE key = 'schema_version'), (SELECT count(*) FROM inv_account), (SELECT count(*) FROM org_node)" "2|0|11"
run "import-gaad into it keeps the organization" 0 env CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$WORK/orgonly.db" $fx/gaad-dev.json
check "... both are there" "$WORK/orgonly.db" "SELECT (SELECT count(*) FROM inv_account), (SELECT count(*) FROM org_node)" "1|11"

###############################################################################
echo "# resource-policy imports that fail, and what they leave"
rfails() { # NAME MESSAGE ARGS...: the import into a copy of the database fails, DB as it was
  local name=$1 msg=$2
  shift 2
  cp "$db" "$WORK/rb.db"
  fails "$name" "$msg" "$WORK/rb.db" scripts/import-resource-policies.sh "$WORK/rb.db" "$@"
}
rfails "a bucket policy without --arn" \
  "$R/s3api-get-bucket-policy-acme-prod-data.json: no ARN: give --arn arn:aws:s3:::BUCKET (and --account) before the file" \
  "$R/s3api-get-bucket-policy-acme-prod-data.json"
rfails "a bucket policy without --account" \
  "$R/s3api-get-bucket-policy-acme-prod-data.json: 'arn:aws:s3:::acme-prod-data' names no account: give --account before the file" \
  --arn arn:aws:s3:::acme-prod-data "$R/s3api-get-bucket-policy-acme-prod-data.json"
rfails "an ECR output without --arn: the ARN to give, from the output" \
  "no ARN: give --arn arn:aws:ecr:REGION:100000000004:repository/app before the file (the output has no region)" \
  "$R/ecr-get-repository-policy-app.json"
rfails "an --arn of another service" \
  "'arn:aws:s3:::app' is an ARN of s3, not of ecr (ecr get-repository-policy)" \
  --arn arn:aws:s3:::app "$R/ecr-get-repository-policy-app.json"
rfails "an --account that is not the ARN's" \
  "account 100000000001 is not the account of arn:aws:kms:eu-west-1:100000000003:key/k" \
  --arn arn:aws:kms:eu-west-1:100000000003:key/k --account 100000000001 "$R/kms-get-key-policy-prod-data-key.json"
qx :memory: "SELECT json_set(CAST(readfile('$R/sns-get-topic-attributes-build-events.json') AS TEXT), '\$.Attributes.Owner', '100000000009')" > "$WORK/owner.json"
rfails "the owner of a topic that is not its ARN's account" "account 100000000009 is not the account of arn:aws:sns:eu-west-1:100000000004:build-events" \
  "$WORK/owner.json"
rfails "a pipe is refused: the import reads files" "cannot read the file: not a regular file (a pipe? save the output to a file first)" \
  <(cat "$R/generic.json")
printf '[{"arn":"arn:aws:s3:::b","account":"100000000004","type":"sqs","policy":{"Statement":[]}},\n {"arn":"arn:aws:s3:::c","policy":"{\\"Statement\\":"},\n {"arn":"arn:aws:sqs:eu-west-1:1234:q","policy":{}},\n {"arn":"arn:aws:s3:::d","account":"100000000004"},\n {"arn":"arn:aws:iam::100000000004:role/x","policy":{}}]\n' > "$WORK/generic bad.json"
rfails "the generic form: every problem, each named by its place" "$WORK/generic bad.json: [0]: type 'sqs' is not the service of its ARN (s3)" "$WORK/generic bad.json"
for m in "[1]: the policy is not valid JSON (generic)" "[1]: 'arn:aws:s3:::c' names no account: give \"account\"" \
         "[2]: account '1234' of arn:aws:sqs:eu-west-1:1234:q is not 12 digits" "[3]: policy is missing, not a policy document" \
         "[4]: 'arn:aws:iam::100000000004:role/x' is a role: role trust policies come from the GAAD import"; do
  expect_grep "... $m" "$(printf '%s' "$m" | sed 's/[][().*]/\\&/g')" "$WORK/err"
done
printf '[{"arn":"arn:aws:s3:::b","account":"100000000004","policy":{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}}]' > "$WORK/noprincipal.json"
rfails "a policy the extension refuses: named by file, place and resource" \
  "noprincipal.json: [0]: the policy of arn:aws:s3:::b: iam_decision(): Statement[0]: a resource policy statement needs Principal or NotPrincipal" \
  "$WORK/noprincipal.json"
cp "$R/sqs-get-queue-attributes-orders.json" "$WORK/orders copy.json"
rfails "the same resource twice" "resource arn:aws:sqs:eu-west-1:100000000003:orders is given 2 times" \
  "$R/sqs-get-queue-attributes-orders.json" "$WORK/orders copy.json"
echo '{"Owner": "x"}' > "$WORK/unknown.json"
rfails "a file of another command" "unknown.json: not the output of a command the import reads" "$WORK/unknown.json"
rc=0
scripts/import-resource-policies.sh "$WORK/rb.db" "$R/generic.json" --arn arn:aws:s3:::x > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "--arn with no file after it: exit 2" "2 1" "$rc $(grep -c 'apply to the FILE after them: none follows' "$WORK/err")"
rc=0
scripts/import-resource-policies.sh "$WORK/rb.db" --arn arn:aws:s3:::x "$R/generic.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "--arn on the generic form: exit 1" "1 1" "$rc $(grep -c 'for the CLI.s output; the generic form has its own' "$WORK/err")"
# a resource that no longer has a policy loses the one held
cp "$db" "$WORK/rb.db"
qx :memory: "SELECT json_remove(CAST(readfile('$R/sqs-get-queue-attributes-orders.json') AS TEXT), '\$.Attributes.Policy')" > "$WORK/orders-nopolicy.json"
run "a queue without a policy now" 0 scripts/import-resource-policies.sh -q "$WORK/rb.db" "$WORK/orders-nopolicy.json"
expect "... says so" "arn:aws:sqs:eu-west-1:100000000003:orders (100000000003, sqs get-queue-attributes, $WORK/orders-nopolicy.json): no policy: the one held is removed" "$(cat "$WORK/out")"
check "... and the policy is gone" "$WORK/rb.db" "SELECT count(*) FROM inv_resource_policy WHERE arn LIKE '%:orders'" 0
run "importing it again replaces it" 0 scripts/import-resource-policies.sh -q "$WORK/rb.db" "$R/sqs-get-queue-attributes-orders.json"
check "... with the file's policy" "$WORK/rb.db" "SELECT document ->> '\$.Statement[1].Sid' FROM inv_resource_policy WHERE arn LIKE '%:orders'" TopicDelivery
run "--dry-run" 0 scripts/import-resource-policies.sh --dry-run "$WORK/rb.db" "$R/generic.json"
expect_grep "... lists what it would replace" "^  arn:aws:s3:::acme-dev-uploads \(100000000004, generic, .*\): replaces the one held$" "$WORK/out"

finish
