-- SPDX-License-Identifier: MIT
-- Which Permissions-management actions does each ECS managed policy grant? One row per policy
-- of set 'ecs' and Permissions-management action in the net grant of its current version
-- (view policy_action), with the statements that grant it: on Resource "*" or narrower
-- resources, with or without a Condition. Policies that grant none are not listed.
-- Needs: nothing beyond the catalog.
SELECT a.policy_name AS policy, a.version_id AS version, a.action,
       CASE WHEN a.on_star THEN '*' ELSE 'specific ARNs' END AS resource,
       CASE WHEN a.conditional THEN 'yes' ELSE 'no' END AS "only with a condition",
       (SELECT group_concat(coalesce(s.sid, '#' || s.stmt_index), ', ') FROM statement_action AS s
        WHERE s.policy_id = a.policy_id AND s.version_id = a.version_id AND s.action = a.action
          AND s.effect = 'Allow' AND s.denied_by IS NULL) AS "granted by (Sid or statement #)"
FROM policy_action AS a
JOIN policy_set_member AS m ON m.policy_id = a.policy_id AND m.set_name = 'ecs'
WHERE a.is_default AND a.access_level = 'Permissions management'
ORDER BY a.policy_name, a.action;
