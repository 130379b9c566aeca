#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The reports that decide each distinct policy set once (11-admins, 20-who-can, 40-privesc,
# 41-privesc-findings, 42-data-access, 55-who-can-assume,
# 72-org-who-can with principal-sets-setup.sql) give what deciding every principal on its own gives: the same
# rows, on a generated organization (scripts/bench-org.sh --generate: shared and per-account
# policies, boundaries, groups, policies reading ${aws:username} and aws:PrincipalTag/team,
# trust policies naming the next account and one of its roles) and on the shared GAAD sample
# (../shared/fixtures/gaad, read in place, when it is there). The per-principal answers are
# computed here from the views (inv_principal_policy, inv_principal_request), one decision per
# principal and request, every role tried with every principal.
#
# Usage: tests/inventory/dedupe.sh   (make dedupe-test builds dist/iam.so and catalog.db first)
# Environment: SQLITE3, IAM_EXT, SHARED_GAAD (default ../shared/fixtures/gaad/cloudsplaining-example.json).
# Last line: "N passed, N failed, N skipped"; the exit status is 1 if any test failed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

[ -f catalog.db ] || { fail "catalog.db exists (make catalog)"; finish; }
sets=$(cat sql/queries/inventory/principal-sets-setup.sql)
privesc="$sets
$(cat sql/queries/inventory/privesc-setup.sql)"
findings="$sets
$(cat sql/queries/inventory/policy-setup.sql sql/queries/inventory/admin-setup.sql)"
report() { sed 's/;$//' "sql/queries/inventory/$1.sql"; }

# Questions that a principal's own keys decide (iam:CreateAccessKey on user-1 reads
# ${aws:username}; ec2:StartInstances reads aws:PrincipalTag/team) and ones they do not.
questions="DELETE FROM inv_question;
INSERT INTO inv_question (name, action, resource, context) VALUES
  ('pass-any-role-to-ecs-tasks', 'iam:PassRole', 'arn:aws:iam::\${account}:role/*', '{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}'),
  ('pass-app-role-to-ecs-tasks', 'iam:PassRole', 'arn:aws:iam::\${account}:role/app/svc-0-task', '{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}'),
  ('access-key-of-user-1', 'iam:CreateAccessKey', 'arn:aws:iam::\${account}:user/people/user-1', '{}'),
  ('start-team-1-instance', 'ec2:StartInstances', 'arn:aws:ec2:eu-west-1:\${account}:instance/i-0abc', '{\"aws:ResourceTag/team\":\"team-1\"}'),
  ('read-every-s3-object', 's3:GetObject', 'arn:aws:s3:::*/*', '{}'),
  ('create-user', 'iam:CreateUser', 'arn:aws:iam::\${account}:user/intruder', '{}'),
  ('assume-any-role', 'sts:AssumeRole', 'arn:aws:iam::\${account}:role/*', '{}');"

# compare NAME DB: the three reports against the per-principal answers.
compare() {
  local name=$1 db=$2
  # who can: question, account, kind, principal, the policies that allow it on their own (sorted), boundary
  printf '%s\n' "SELECT q.name, p.account_id, p.kind, p.name,
         coalesce((SELECT group_concat(n) FROM (SELECT DISTINCT e.policy_name || CASE WHEN e.via LIKE 'group:%' THEN ' (' || e.via || ')' ELSE '' END AS n
                    FROM inv_effective_policy AS e WHERE e.principal_arn = p.arn AND e.policy_kind = 'identity'
                      AND iam_allows(e.document, q.action, replace(q.resource, '\${account}', p.account_id),
                                     json_patch(c.ctx, replace(q.context, '\${account}', p.account_id))) ORDER BY 1)), ''),
         coalesce((SELECT max(policy_name) FROM inv_effective_policy AS e WHERE e.principal_arn = p.arn AND e.policy_kind = 'boundary'), 'none')
  FROM inv_question AS q, inv_principal_policy AS p JOIN inv_principal_context AS c ON c.arn = p.arn
  WHERE iam_decision(p.policy, q.action, replace(q.resource, '\${account}', p.account_id),
                     json_patch(c.ctx, replace(q.context, '\${account}', p.account_id))) = 'Allow'
  ORDER BY 1, 2, 3, 4;" | qx "$db" > "$WORK/$name-20.want" 2>&1 || true
  printf '%s\n' "$sets" "SELECT question, account, kind, principal, coalesce(\"allowed by\", ''), boundary FROM ($(report 20-who-can))
  ORDER BY 1, 2, 3, 4;" | qx "$db" > "$WORK/$name-20.got" 2>&1 || true
  if cmp -s "$WORK/$name-20.want" "$WORK/$name-20.got" && [ -s "$WORK/$name-20.want" ]; then
    ok "$name: 20-who-can = every principal decided on its own ($(wc -l < "$WORK/$name-20.want") rows)"
  else
    fail "$name: 20-who-can = every principal decided on its own" "$(diff "$WORK/$name-20.want" "$WORK/$name-20.got" | head -n 6)"
  fi

  # privilege escalation: account, kind, principal, rule
  printf '%s\n' "WITH d AS (
    SELECT s.rule, p.arn, p.account_id, p.kind, p.name,
           iam_decision(p.policy, s.action, replace(s.resource, '\${account}', p.account_id),
                        json_patch(c.ctx, replace(s.context, '\${account}', p.account_id))) AS decision
    FROM privesc_rule_step AS s, inv_principal_policy AS p JOIN inv_principal_context AS c ON c.arn = p.arn)
  SELECT account_id, kind, name, rule FROM d GROUP BY rule, arn
  HAVING sum(decision = 'Allow') = (SELECT count(*) FROM privesc_rule_step AS s WHERE s.rule = d.rule)
  ORDER BY 1, 2, 3, 4;" | qx "$db" > "$WORK/$name-40.want" 2>&1 || true
  printf '%s\n' "$privesc" "SELECT r.account, r.kind, r.principal, j.value FROM ($(report 40-privesc)) AS r,
    json_each('[\"' || replace(r.paths, ' ', '\",\"') || '\"]') AS j ORDER BY 1, 2, 3, 4;" | qx "$db" > "$WORK/$name-40.got" 2>&1 || true
  if cmp -s "$WORK/$name-40.want" "$WORK/$name-40.got" && [ -s "$WORK/$name-40.want" ]; then
    ok "$name: 40-privesc = every principal decided on its own ($(wc -l < "$WORK/$name-40.want") rows)"
  else
    fail "$name: 40-privesc = every principal decided on its own" "$(diff "$WORK/$name-40.want" "$WORK/$name-40.got" | head -n 6)"
  fi

  # the findings: administrators (11), escalation findings (41), reads of data everywhere (42),
  # each principal decided on its own with its own object (inv_principal_policy)
  local probe="WITH probe (action) AS (
    SELECT 'iam:' || name FROM catalog.action WHERE service = 'iam'
    UNION
    SELECT service || ':' || name FROM (SELECT service, name, row_number() OVER (PARTITION BY service ORDER BY access_rank DESC, name) AS k
                                        FROM catalog.action) WHERE k = 1),
  p AS (SELECT p.arn, p.account_id, p.kind, p.name, p.policy, c.ctx FROM inv_principal_policy AS p JOIN inv_principal_context AS c ON c.arn = p.arn),
  d AS MATERIALIZED (
    SELECT p.*, iam_decision(p.policy, '*:*', '*', p.ctx) = 'Allow' AS star,
           (SELECT count(*) FROM probe WHERE action LIKE 'iam:%' AND iam_decision(p.policy, action, '*', p.ctx) <> 'Allow') AS iam_refused,
           (SELECT count(*) FROM probe WHERE iam_decision(p.policy, action, '*', p.ctx) <> 'Allow') AS refused
    FROM p),
  admin AS (
    SELECT arn, account_id, kind, name, CASE WHEN star AND refused = 0 THEN 'Administrator' WHEN iam_refused = 0 THEN 'IAM administrator'
                                             ELSE 'Nearly every action' END AS finding
    FROM d WHERE star OR iam_refused = 0)"
  printf '%s\n' "ATTACH 'catalog.db' AS catalog;" "$probe SELECT finding, account_id, kind, name FROM admin ORDER BY 1, 2, 3, 4;" \
    | qx "$db" > "$WORK/$name-11.want" 2>&1 || true
  printf '%s\n' "ATTACH 'catalog.db' AS catalog;" "$findings" "SELECT finding, account, kind, principal FROM ($(report 11-admins)) ORDER BY 1, 2, 3, 4;" \
    | qx "$db" > "$WORK/$name-11.got" 2>&1 || true
  if cmp -s "$WORK/$name-11.want" "$WORK/$name-11.got" && [ -s "$WORK/$name-11.want" ]; then
    ok "$name: 11-admins = every principal decided on its own ($(wc -l < "$WORK/$name-11.want") rows)"
  else
    fail "$name: 11-admins = every principal decided on its own" "$(diff "$WORK/$name-11.want" "$WORK/$name-11.got" | head -n 6)"
  fi
  printf '%s\n' "ATTACH 'catalog.db' AS catalog;" "$probe,
  sensitive (k, what, action, resource) AS (VALUES
    (1, 'every secret in Secrets Manager', 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:*:\${account}:secret:*'),
    (2, 'every SSM parameter', 'ssm:GetParameter', 'arn:aws:ssm:*:\${account}:parameter/*'),
    (3, 'every object of every S3 bucket', 's3:GetObject', 'arn:aws:s3:::*/*'),
    (4, 'every DynamoDB table', 'dynamodb:Scan', 'arn:aws:dynamodb:*:\${account}:table/*'),
    (5, 'everything encrypted with a KMS key of the account (where the key policy leaves it to IAM)', 'kms:Decrypt',
     'arn:aws:kms:*:\${account}:key/*')),
  allowed AS (
    SELECT p.account_id, p.kind, p.name, s.k, s.what FROM p, sensitive AS s
    WHERE p.arn NOT IN (SELECT arn FROM admin WHERE finding <> 'Nearly every action')
      AND iam_decision(p.policy, s.action, replace(s.resource, '\${account}', p.account_id), p.ctx) = 'Allow')
  SELECT account_id, kind, name, 'read ' || group_concat(what, '; ') FROM (SELECT * FROM allowed ORDER BY k)
  GROUP BY account_id, kind, name ORDER BY 1, 2, 3;" | qx "$db" > "$WORK/$name-42.want" 2>&1 || true
  printf '%s\n' "ATTACH 'catalog.db' AS catalog;" "$findings" "SELECT account, kind, principal, \"can do\" FROM ($(report 42-data-access)) ORDER BY 1, 2, 3;" \
    | qx "$db" > "$WORK/$name-42.got" 2>&1 || true
  if cmp -s "$WORK/$name-42.want" "$WORK/$name-42.got" && [ -s "$WORK/$name-42.want" ]; then
    ok "$name: 42-data-access = every principal decided on its own ($(wc -l < "$WORK/$name-42.want") rows)"
  else
    fail "$name: 42-data-access = every principal decided on its own" "$(diff "$WORK/$name-42.want" "$WORK/$name-42.got" | head -n 6)"
  fi
  # 41 lists the principals of 40 with their rules, each step explained once per set
  awk -F'|' '{ n[$1 "|" $2 "|" $3]++; if ($4 != "AssumeAnyRole") h[$1 "|" $2 "|" $3] = 1 }
    END { for (k in n) print k "|" (h[k] ? "high" : "medium") "|" n[k] }' "$WORK/$name-40.want" | sort > "$WORK/$name-41.want"
  printf '%s\n' "ATTACH 'catalog.db' AS catalog;" "$findings" "$(cat sql/queries/inventory/privesc-setup.sql)" \
    "SELECT account, kind, principal, severity, CAST(substr(\"can do\", 32) AS INTEGER) FROM ($(report 41-privesc-findings))
     WHERE statement IS NOT NULL AND \"statement text\" LIKE '[{%' ORDER BY 1, 2, 3;" | qx "$db" | sort > "$WORK/$name-41.got" 2>&1 || true
  if cmp -s "$WORK/$name-41.want" "$WORK/$name-41.got" && [ -s "$WORK/$name-41.want" ]; then
    ok "$name: 41-privesc-findings: the principals of 40 with their rules, every one with its statements ($(wc -l < "$WORK/$name-41.want") rows)"
  else
    fail "$name: 41-privesc-findings: the principals of 40 with their rules" "$(diff "$WORK/$name-41.want" "$WORK/$name-41.got" | head -n 6)"
  fi

  # org-wide who can: the view org_who_can decides every principal and question on its own
  printf '%s\n' "SELECT question, decision, step, coalesce(deciding_policy, ''), count(*) FROM org_who_can
  GROUP BY question, decision, step, deciding_policy ORDER BY 1, 2, 3, 4;" | qx "$db" > "$WORK/$name-72.want" 2>&1 || true
  printf '%s\n' "$sets" "SELECT question, decision, step, coalesce(\"decided by\", ''), principals FROM ($(report 72-org-who-can))
  ORDER BY 1, 2, 3, 4;" | qx "$db" > "$WORK/$name-72.got" 2>&1 || true
  if cmp -s "$WORK/$name-72.want" "$WORK/$name-72.got" && [ -s "$WORK/$name-72.want" ]; then
    ok "$name: 72-org-who-can = org_who_can, every principal decided on its own ($(wc -l < "$WORK/$name-72.want") groups)"
  else
    fail "$name: 72-org-who-can = org_who_can, every principal decided on its own" "$(diff "$WORK/$name-72.want" "$WORK/$name-72.got" | head -n 6)"
  fi

  # who can assume: every role tried with every other principal, the deciding step
  printf '%s\n' "WITH pair AS (
    SELECT t.account_id, t.role_name, t.role_arn, p.arn, p.kind,
           json_set(p.request, '\$.resource_policy', json(t.document)) AS request, p.ctx
    FROM inv_role_trust AS t, inv_principal_request AS p WHERE p.arn <> t.role_arn)
  SELECT x.account_id, x.role_name, x.arn, x.kind, e.step
  FROM pair AS x, iam_explain(x.request, 'sts:AssumeRole', x.role_arn, x.ctx) AS e
  WHERE e.decisive AND e.decision = 'Allow'
  ORDER BY 1, 2, 3;" | qx "$db" > "$WORK/$name-55.want" 2>&1 || true
  printf '%s\n' "$sets" "SELECT account, role, \"assumable by\", \"principal kind\", step FROM ($(report 55-who-can-assume))
  WHERE step <> 'named by the trust policy' ORDER BY 1, 2, 3;" | qx "$db" > "$WORK/$name-55.got" 2>&1 || true
  if cmp -s "$WORK/$name-55.want" "$WORK/$name-55.got" && [ -s "$WORK/$name-55.want" ]; then
    ok "$name: 55-who-can-assume = every pair decided on its own ($(wc -l < "$WORK/$name-55.want") rows)"
  else
    fail "$name: 55-who-can-assume = every pair decided on its own" "$(diff "$WORK/$name-55.want" "$WORK/$name-55.got" | head -n 6)"
  fi
}

echo "# a generated organization: 3 accounts of 60 users and roles"
gen=$WORK/gen
if scripts/bench-org.sh -q --generate "$gen" -m 60 3 > "$WORK/out" 2>&1; then ok "generated"; else fail "generated" "$(cat "$WORK/out")"; fi
db=$WORK/gen.db
if CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$db" "$gen"/account-1.json "$gen"/account-2.json "$gen"/account-3.json > "$WORK/out" 2>&1 \
  && q "$db" "$questions" > "$WORK/out" 2>&1; then
  ok "imported"
else
  fail "imported" "$(cat "$WORK/out")"
fi
# The sets really are shared, and the principal-specific ones are found.
expect_sql "sets: fewer than principals; sets that read the principal's own keys" "$db" "$sets
SELECT (SELECT count(*) FROM ps_principal), (SELECT count(*) FROM ps_class) < (SELECT count(*) FROM ps_principal) / 2,
       (SELECT count(DISTINCT set_id) FROM ps_set) < (SELECT count(*) FROM ps_principal) / 2,
       (SELECT count(*) > 0 FROM ps_set_reader WHERE action_json LIKE '%iam:CreateAccessKey%'),
       (SELECT count(*) > 0 FROM ps_set_reader WHERE action_json LIKE '%ec2:StartInstances%');" "180|1|1|1|1"
compare generated "$db"
# The cases where a principal's own keys decide come out per principal: through lz-self-manage
# (its own user, ${aws:username}) only user-1 may create user-1's access key; through dev-tools
# (aws:PrincipalTag/team) only principals tagged team-1 may start a team-1 instance (the admins
# may do both through lz-admin).
expect_sql "generated: a policy variable decides per principal" "$db" "$sets
SELECT DISTINCT principal FROM ($(report 20-who-can)) WHERE question = 'access-key-of-user-1' AND \"allowed by\" LIKE '%lz-self-manage%';" "user-1"
expect_sql "generated: a principal tag decides per principal" "$db" "$sets
SELECT count(*) > 0, sum(p.tags ->> '\$.team' IS NOT 'team-1') FROM ($(report 20-who-can)) AS r
JOIN inv_principal AS p ON p.account_id = r.account AND p.name = r.principal AND p.kind = r.kind
WHERE r.question = 'start-team-1-instance' AND r.\"allowed by\" LIKE '%dev-tools%';" "1|0"

sample=${SHARED_GAAD:-$ROOT/../shared/fixtures/gaad/cloudsplaining-example.json}
if [ -f "$sample" ]; then
  echo "# the shared GAAD sample"
  s=$WORK/shared.db
  if CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$s" "$sample" > "$WORK/out" 2>&1; then ok "imported the shared sample"; else
    fail "imported the shared sample" "$(cat "$WORK/out")"; fi
  compare shared "$s"
  q "$s" "$questions" > /dev/null
  compare shared-questions "$s"
else
  skip "the shared GAAD sample" "$sample is not there"
fi

finish
