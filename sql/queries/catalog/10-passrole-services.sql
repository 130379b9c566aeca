-- SPDX-License-Identifier: MIT
-- Which ECS managed policies allow iam:PassRole, on which roles, and to which services?
-- Default (latest) version of each policy in set 'ecs'. The services come from the
-- iam:PassedToService condition of each Allow statement whose Action (or NotAction) covers
-- iam:PassRole; '(any)' means the statement has no such condition. "checked" re-asks the
-- extension with iam_allows() for a role ARN matching the statement's resource pattern, with
-- iam:PassedToService set to that service (1 = the whole policy allows that request).
-- Needs: the iam extension (iam_action_matches, iam_allows).
WITH passrole AS (
  SELECT s.name, s.stmt_index, coalesce(s.sid, 'Statement[' || s.stmt_index || ']') AS stmt, s.resource, s.condition,
         l.document
  FROM policy_statement AS s
  JOIN latest_policy AS l ON l.policy_id = s.policy_id AND l.version_id = s.version_id
  JOIN policy_set_member AS m ON m.policy_id = s.policy_id AND m.set_name = 'ecs'
  WHERE s.effect = 'Allow'
    AND ((s.action IS NOT NULL
          AND EXISTS (SELECT 1 FROM json_each(s.action) AS a WHERE iam_action_matches(a.value, 'iam:PassRole')))
      OR (s.not_action IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM json_each(s.not_action) AS a WHERE iam_action_matches(a.value, 'iam:PassRole'))))
),
services AS (
  SELECT r.name, r.stmt_index, r.stmt, r.resource, r.document, op.key AS operator, sv.value AS service
  FROM passrole AS r,
       json_each(coalesce(r.condition, '{}')) AS op,
       json_each(op.value) AS k,
       json_each(CASE k.type WHEN 'array' THEN k.value ELSE json_array(k.value) END) AS sv
  WHERE lower(k.key) = 'iam:passedtoservice'
  UNION ALL
  SELECT r.name, r.stmt_index, r.stmt, r.resource, r.document, NULL, '(any)'
  FROM passrole AS r
  WHERE NOT EXISTS (SELECT 1 FROM json_each(coalesce(r.condition, '{}')) AS op, json_each(op.value) AS k
                    WHERE lower(k.key) = 'iam:passedtoservice')
),
samples AS (
  SELECT s.*, res.value AS role_pattern,
         CASE WHEN res.value = '*' THEN 'arn:aws:iam::111122223333:role/example'
              ELSE replace(replace(replace(res.value, '::*:', '::111122223333:'), '*', 'example'), '?', 'x')
         END AS sample_role
  FROM services AS s, json_each(coalesce(s.resource, '["(NotResource)"]')) AS res
)
SELECT name AS policy, stmt AS statement, role_pattern AS "role (Resource)", coalesce(operator, '-') AS operator,
       service AS "passed to service",
       iam_allows(document, 'iam:PassRole', sample_role,
                  CASE WHEN service = '(any)' THEN NULL
                       ELSE json_object('iam:PassedToService', service) END) AS checked
FROM samples
ORDER BY name, stmt_index, role_pattern, service;
