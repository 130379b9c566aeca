-- SPDX-License-Identifier: MIT
-- Which principals can escalate their privileges on their own? For every well-known path one
-- principal can take with its own permissions (iam:PassRole to a compute service,
-- iam:CreatePolicyVersion, iam:Attach*Policy, iam:Put*Policy, iam:UpdateAssumeRolePolicy,
-- sts:AssumeRole on every role, ...): the users and roles whose policies, with their permissions
-- boundary, allow every step of it.
-- Needs: the extension; setup: principal-sets-setup.sql, privesc-setup.sql. The paths are the rows of the editable tables
-- privesc_rule / privesc_rule_step: add, remove or narrow them; ${account} is the principal's
-- account, and a '*' in a step's resource is literal (every role, every user...).
-- Section: Privilege escalation
-- Summary: escalation = count(*)
SELECT p.account_id AS account, p.kind, p.name AS principal, count(*) AS rules,
       group_concat(t.rule, ' ') AS paths
FROM (SELECT * FROM pe_taken ORDER BY rule) AS t
JOIN inv_principal AS p ON p.arn = t.arn
GROUP BY t.arn
ORDER BY count(*) DESC, p.account_id, p.kind DESC, p.name;
