-- SPDX-License-Identifier: MIT
-- Which principals can escalate their privileges on their own? For every rule of the editable
-- tables privesc_rule / privesc_rule_step (the well-known single-principal paths: iam:PassRole
-- to a compute service, iam:CreatePolicyVersion, iam:Attach*Policy, iam:Put*Policy,
-- iam:UpdateAssumeRolePolicy, sts:AssumeRole on every role, ...): the users and roles whose
-- policies (with their permissions boundary) allow every step of it.
-- Needs: the extension. Add, remove or narrow rules in privesc_rule_step; ${account} is the
-- principal's account, and a '*' in a step's resource is literal (every role, every user...).
WITH req AS (
  SELECT s.rule, s.step, s.action, c.account_id, c.kind, c.name, c.arn,
         replace(s.resource, '${account}', c.account_id) AS resource,
         json_patch(c.ctx, replace(s.context, '${account}', c.account_id)) AS ctx
  FROM privesc_rule_step AS s, inv_principal_context AS c),
decided AS (
  SELECT r.rule, r.step, r.account_id, r.kind, r.name, r.arn,
         iam_decision_agg(e.document, r.action, r.resource, r.ctx, e.policy_kind) AS decision
  FROM req AS r JOIN inv_effective_policy AS e ON e.principal_arn = r.arn
  GROUP BY r.rule, r.step, r.arn),
taken AS (
  SELECT d.rule, d.account_id, d.kind, d.name, d.arn
  FROM decided AS d
  GROUP BY d.rule, d.arn
  HAVING sum(d.decision = 'Allow') = (SELECT count(*) FROM privesc_rule_step AS s WHERE s.rule = d.rule))
SELECT t.account_id AS account, t.kind, t.name AS principal, count(*) AS rules,
       group_concat(t.rule, ' ') AS paths
FROM (SELECT * FROM taken ORDER BY rule) AS t
GROUP BY t.arn
ORDER BY count(*) DESC, t.account_id, t.kind DESC, t.name;
