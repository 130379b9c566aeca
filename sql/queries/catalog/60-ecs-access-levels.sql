-- SPDX-License-Identifier: MIT
-- How dangerous is each ECS managed policy: how many List, Read, Write, Tagging and
-- Permissions-management actions does its current version grant? One row per policy of set
-- 'ecs': the net grant (view policy_action: Action wildcards expanded, NotAction inverted, minus
-- what an unconditional Deny takes away) counted by access level; "on *" counts the actions
-- granted on Resource "*" without a Condition; "unknown" counts patterns that match no action.
-- Needs: nothing beyond the catalog (the expansion views are plain SQL).
SELECT p.name AS policy, p.default_version_id AS version,
       count(a.action) AS actions,
       count(CASE a.access_level WHEN 'List' THEN 1 END) AS list,
       count(CASE a.access_level WHEN 'Read' THEN 1 END) AS "read",
       count(CASE a.access_level WHEN 'Write' THEN 1 END) AS "write",
       count(CASE a.access_level WHEN 'Tagging' THEN 1 END) AS tagging,
       count(CASE a.access_level WHEN 'Permissions management' THEN 1 END) AS "permissions mgmt",
       count(CASE WHEN a.unconditional_on_star THEN 1 END) AS "on *",
       (SELECT count(*) FROM unknown_action_pattern AS u
        WHERE u.policy_id = p.policy_id AND u.is_default) AS unknown
FROM policy AS p
JOIN policy_set_member AS m ON m.policy_id = p.policy_id AND m.set_name = 'ecs'
LEFT JOIN policy_action AS a ON a.policy_id = p.policy_id AND a.is_default
GROUP BY p.policy_id
ORDER BY "permissions mgmt" DESC, "write" DESC, p.name;
