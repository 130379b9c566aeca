-- SPDX-License-Identifier: MIT
-- Which principals can escalate their privileges on their own? For every rule of the editable
-- tables privesc_rule / privesc_rule_step (the well-known single-principal paths: iam:PassRole
-- to a compute service, iam:CreatePolicyVersion, iam:Attach*Policy, iam:Put*Policy,
-- iam:UpdateAssumeRolePolicy, sts:AssumeRole on every role, ...): the users and roles whose
-- policies (with their permissions boundary) allow every step of it.
-- Needs: the extension; setup: principal-sets-setup.sql. Add, remove or narrow rules in
-- privesc_rule_step; ${account} is the principal's account, and a '*' in a step's resource is
-- literal (every role, every user...).
-- Each distinct policy set is decided once per account, kind and step (ps_class), and per
-- principal only when a statement covering the step's action reads the principal's own keys or
-- a policy variable (ps_set_reader).
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
decided AS MATERIALIZED (
  SELECT r.rule, r.step, r.set_id, r.account_id, r.kind, r.who
  FROM req AS r JOIN st ON st.rule = r.rule AND st.step = r.step JOIN ps_set AS s ON s.set_id = r.set_id
  JOIN ps_principal AS p ON p.arn = r.rep
  WHERE iam_decision(s.policy, st.action, replace(st.resource, '${account}', r.account_id),
                     json_patch(p.ctx, replace(st.context, '${account}', r.account_id))) = 'Allow'),
allowed AS (
  SELECT d.rule, d.step, p.arn
  FROM decided AS d JOIN ps_principal AS p ON p.set_id = d.set_id AND p.account_id = d.account_id AND p.kind = d.kind
  WHERE d.who = ''
  UNION ALL
  SELECT d.rule, d.step, d.who FROM decided AS d WHERE d.who <> ''),
taken AS (
  SELECT a.rule, a.arn
  FROM allowed AS a
  GROUP BY a.rule, a.arn
  HAVING count(DISTINCT a.step) = (SELECT count(*) FROM st WHERE st.rule = a.rule))
SELECT p.account_id AS account, p.kind, p.name AS principal, count(*) AS rules,
       group_concat(t.rule, ' ') AS paths
FROM (SELECT * FROM taken ORDER BY rule) AS t JOIN ps_principal AS p ON p.arn = t.arn
WHERE EXISTS (SELECT 1 FROM ps_row AS r WHERE r.arn = t.arn)
GROUP BY t.arn
ORDER BY count(*) DESC, p.account_id, p.kind DESC, p.name;
