-- SPDX-License-Identifier: MIT
-- Which roles can ECS tasks assume, and what can they do? Roles whose trust policy has an Allow
-- for the service principal ecs-tasks.amazonaws.com (or "*") on sts:AssumeRole and no
-- unconditional Deny for it; with the trust conditions, the role's policies and boundary, and
-- the action patterns its identity policies allow.
-- Needs: the extension (iam_statements() reads the trust policies: they are shaped like
-- resource policies).
-- Section: Compute roles
-- JSON columns: trust conditions
WITH trust AS (
  SELECT t.account_id, t.role_name, t.role_arn, s.effect, s.condition_json
  FROM inv_role_trust AS t, iam_statements(t.document) AS s
  WHERE s.not_principal = 0
    AND (s.principal_json = '"*"'
         OR EXISTS (SELECT 1 FROM json_each(s.principal_json, '$.Service') AS p
                    WHERE p.value = 'ecs-tasks.amazonaws.com'))
    AND (s.not_action = 0) = EXISTS (SELECT 1 FROM json_each(s.action_json) AS a
                                     WHERE iam_action_matches(a.value, 'sts:AssumeRole'))),
task_role AS (
  SELECT account_id, role_name, role_arn,
         json_group_array(json(condition_json)) FILTER (WHERE effect = 'Allow' AND condition_json IS NOT NULL) AS conditions
  FROM trust
  GROUP BY role_arn
  HAVING sum(effect = 'Allow') > 0 AND sum(effect = 'Deny' AND condition_json IS NULL) = 0)
SELECT t.account_id AS account, t.role_name AS role,
       CASE WHEN json_array_length(t.conditions) > 0 THEN json(t.conditions) END AS "trust conditions",
       (SELECT group_concat(policy_name, ', ') FROM
          (SELECT DISTINCT policy_name FROM inv_effective_policy AS e
           WHERE e.principal_arn = t.role_arn AND e.policy_kind = 'identity' ORDER BY 1)) AS policies,
       coalesce((SELECT policy_name FROM inv_effective_policy AS e
                 WHERE e.principal_arn = t.role_arn AND e.policy_kind = 'boundary'), 'none') AS boundary,
       (SELECT group_concat(pattern, ' ') FROM
          (SELECT DISTINCT a.pattern FROM inv_effective_policy AS e, iam_actions(e.document) AS a
           WHERE e.principal_arn = t.role_arn AND e.policy_kind = 'identity' AND a.effect = 'Allow'
           ORDER BY lower(a.pattern))) AS "allowed actions",
       (SELECT group_concat(pattern, ' ') FROM
          (SELECT DISTINCT a.pattern FROM inv_effective_policy AS e, iam_actions(e.document) AS a
           WHERE e.principal_arn = t.role_arn AND e.policy_kind = 'identity' AND a.effect = 'Deny'
           ORDER BY lower(a.pattern))) AS "denied actions"
FROM task_role AS t
ORDER BY t.account_id, t.role_name;
