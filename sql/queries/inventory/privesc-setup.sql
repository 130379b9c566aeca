-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/privesc-setup.sql: which user or role takes which privilege-escalation
-- rule, decided once for the reports 40-privesc.sql and 41-privesc-findings.sql, on the policy
-- sets of principal-sets-setup.sql (run first).
-- scripts/report.sh runs both once, before the first report that names them; by hand: cat
-- principal-sets-setup.sql, this file and the report into one sqlite3 run.
--
-- Needs: the extension; the TEMP tables of principal-sets-setup.sql.
-- Makes (TEMP tables):
--   pe_allowed (rule, step, action, resource, ctx, set_id, account_id, kind, who): every step of
--     every rule of the editable tables privesc_rule / privesc_rule_step that a class of
--     principals (ps_class: one set, account and kind; who = '') or one principal (who = its
--     ARN, where the set reads the principal's own keys for that action) is allowed: ${account}
--     in the step's resource and context is the principal's account, and the context carries
--     the principal's own keys (those of the class's representative for a class).
--   pe_taken (rule, arn): the rules of which every step is allowed, per user and role.
CREATE TEMP TABLE pe_allowed AS
WITH st AS MATERIALIZED (
  SELECT rule, step, action, resource, context FROM privesc_rule_step),
req AS (
  -- class by class (CROSS JOIN keeps that order): each set's compiled policy is used for every
  -- step while the extension's cache holds it
  SELECT st.rule, st.step, c.set_id, c.account_id, c.kind, '' AS who, c.rep
  FROM ps_class AS c CROSS JOIN st
  WHERE NOT EXISTS (SELECT 1 FROM ps_step_specific AS x WHERE x.rule = st.rule AND x.step = st.step AND x.set_id = c.set_id)
  UNION ALL
  SELECT st.rule, st.step, p.set_id, p.account_id, p.kind, p.arn, p.arn
  FROM ps_step_specific AS x JOIN st ON st.rule = x.rule AND st.step = x.step JOIN ps_principal AS p ON p.set_id = x.set_id),
asked AS (
  SELECT r.rule, r.step, st.action, replace(st.resource, '${account}', r.account_id) AS resource,
         json_patch(p.ctx, replace(st.context, '${account}', r.account_id)) AS ctx,
         r.set_id, r.account_id, r.kind, r.who, s.policy
  FROM req AS r JOIN st ON st.rule = r.rule AND st.step = r.step JOIN ps_set AS s ON s.set_id = r.set_id
  JOIN ps_principal AS p ON p.arn = r.rep)
SELECT rule, step, action, resource, ctx, set_id, account_id, kind, who
FROM asked
WHERE iam_decision(policy, action, resource, ctx) = 'Allow';
CREATE INDEX temp.pe_allowed_class ON pe_allowed (set_id, account_id, kind, who);

CREATE TEMP TABLE pe_taken AS
WITH allowed AS (
  SELECT d.rule, d.step, p.arn
  FROM pe_allowed AS d JOIN ps_principal AS p ON p.set_id = d.set_id AND p.account_id = d.account_id AND p.kind = d.kind
  WHERE d.who = ''
  UNION ALL
  SELECT d.rule, d.step, d.who FROM pe_allowed AS d WHERE d.who <> '')
SELECT a.rule, a.arn
FROM allowed AS a
GROUP BY a.rule, a.arn
HAVING count(DISTINCT a.step) = (SELECT count(*) FROM privesc_rule_step AS s WHERE s.rule = a.rule);
CREATE INDEX temp.pe_taken_key ON pe_taken (arn, rule);
