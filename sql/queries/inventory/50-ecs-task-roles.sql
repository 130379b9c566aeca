-- SPDX-License-Identifier: MIT
-- Which roles can ECS tasks assume, and what can they do? Roles whose trust policy has an Allow
-- for the service principal ecs-tasks.amazonaws.com (or "*") on sts:AssumeRole and no
-- unconditional Deny for it; with the trust conditions, the role's policies and boundary, and
-- the action patterns its identity policies allow.
-- Needs: the extension (iam_statements() reads the trust policies: they are shaped like
-- resource policies); setup: principal-sets-setup.sql. Each distinct trust policy is read once,
-- and the action patterns once per distinct document and per policy set.
-- Section: Compute roles
-- JSON columns: trust conditions
WITH tdoc AS MATERIALIZED (
  SELECT DISTINCT document FROM inv_role_trust),
tstmt AS MATERIALIZED (
  SELECT d.document, s.effect, s.condition_json
  FROM tdoc AS d, iam_statements(d.document) AS s
  WHERE s.not_principal = 0
    AND (s.principal_json = '"*"'
         OR EXISTS (SELECT 1 FROM json_each(s.principal_json, '$.Service') AS p
                    WHERE p.value = 'ecs-tasks.amazonaws.com'))
    AND (s.not_action = 0) = EXISTS (SELECT 1 FROM json_each(s.action_json) AS a
                                     WHERE iam_action_matches(a.value, 'sts:AssumeRole'))),
task_doc AS MATERIALIZED (
  SELECT document,
         json_group_array(json(condition_json)) FILTER (WHERE effect = 'Allow' AND condition_json IS NOT NULL) AS conditions
  FROM tstmt
  GROUP BY document
  HAVING sum(effect = 'Allow') > 0 AND sum(effect = 'Deny' AND condition_json IS NULL) = 0),
task_role AS MATERIALIZED (
  SELECT t.account_id, t.role_name, t.role_arn, d.conditions, p.set_id
  FROM inv_role_trust AS t JOIN task_doc AS d ON d.document = t.document JOIN ps_principal AS p ON p.arn = t.role_arn),
doc_pattern AS MATERIALIZED (
  SELECT u.doc_id, a.effect, a.pattern
  FROM (SELECT DISTINCT x.doc_id FROM ps_set_doc AS x
        WHERE x.policy_kind = 'identity' AND x.set_id IN (SELECT set_id FROM task_role)) AS u
  JOIN ps_doc AS d ON d.doc_id = u.doc_id, iam_actions(d.document) AS a),
set_pattern AS MATERIALIZED (
  -- per set and effect, the distinct patterns in order (aggregate window functions keep the order)
  SELECT set_id, effect, patterns FROM (
    SELECT set_id, effect, group_concat(pattern, ' ') OVER w AS patterns, row_number() OVER w AS nth
    FROM (SELECT DISTINCT x.set_id, p.effect, p.pattern
          FROM (SELECT DISTINCT set_id FROM task_role) AS t
          JOIN ps_set_doc AS x ON x.set_id = t.set_id AND x.policy_kind = 'identity'
          JOIN doc_pattern AS p ON p.doc_id = x.doc_id)
    WINDOW w AS (PARTITION BY set_id, effect ORDER BY lower(pattern), pattern
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1)
SELECT t.account_id AS account, t.role_name AS role,
       CASE WHEN json_array_length(t.conditions) > 0 THEN json(t.conditions) END AS "trust conditions",
       (SELECT group_concat(policy_name, ', ') FROM
          (SELECT DISTINCT policy_name FROM ps_row AS r
           WHERE r.arn = t.role_arn AND r.policy_kind = 'identity' ORDER BY 1)) AS policies,
       coalesce((SELECT policy_name FROM ps_row AS r WHERE r.arn = t.role_arn AND r.policy_kind = 'boundary'), 'none') AS boundary,
       (SELECT patterns FROM set_pattern AS p WHERE p.set_id = t.set_id AND p.effect = 'Allow') AS "allowed actions",
       (SELECT patterns FROM set_pattern AS p WHERE p.set_id = t.set_id AND p.effect = 'Deny') AS "denied actions"
FROM task_role AS t
ORDER BY t.account_id, t.role_name;
