-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/privesc-setup.sql: which user or role takes which privilege-escalation
-- rule, decided once for the reports 40-privesc.sql and 41-privesc-findings.sql.
-- scripts/report.sh runs it once, before the first report that names it; by hand: cat this file
-- and the report into one sqlite3 run.
--
-- Needs: the extension.
-- Makes (TEMP tables):
--   pe_decided (rule, step, action, resource, ctx, arn, decision): every step of every rule of the
--     editable tables privesc_rule / privesc_rule_step, asked for every user and role: ${account}
--     in the step's resource and context is the principal's account, and the context carries the
--     principal's own keys (inv_principal_context). decision is iam_decision_agg() over the
--     principal's policies and permissions boundary.
--   pe_taken (rule, arn): the rules of which every step is allowed.
CREATE TEMP TABLE pe_decided AS
WITH req AS (
  SELECT s.rule, s.step, s.action, c.arn,
         replace(s.resource, '${account}', c.account_id) AS resource,
         json_patch(c.ctx, replace(s.context, '${account}', c.account_id)) AS ctx
  FROM privesc_rule_step AS s, inv_principal_context AS c)
SELECT r.rule, r.step, r.action, r.resource, r.ctx, r.arn,
       iam_decision_agg(e.document, r.action, r.resource, r.ctx, e.policy_kind) AS decision
FROM req AS r JOIN inv_effective_policy AS e ON e.principal_arn = r.arn
GROUP BY r.rule, r.step, r.arn;

CREATE TEMP TABLE pe_taken AS
SELECT d.rule, d.arn
FROM pe_decided AS d
GROUP BY d.rule, d.arn
HAVING sum(d.decision = 'Allow') = (SELECT count(*) FROM privesc_rule_step AS s WHERE s.rule = d.rule);
CREATE INDEX temp.pe_taken_key ON pe_taken (arn, rule);
