-- SPDX-License-Identifier: MIT
-- Which action patterns in the ECS managed policies match no known action? Misspelled or
-- retired actions, and services the action data does not know, per policy and pattern with the
-- stored versions that contain it (view unknown_action_pattern). Such a pattern grants nothing
-- today; it is listed, not dropped.
-- Needs: nothing beyond the catalog.
SELECT u.policy_name AS policy, u.pattern, u.reason,
       CASE u.negated WHEN 1 THEN 'NotAction' ELSE 'Action' END AS "in",
       group_concat(u.version_id, ' ') AS versions
FROM (SELECT u.* FROM unknown_action_pattern AS u
      JOIN policy_set_member AS m ON m.policy_id = u.policy_id AND m.set_name = 'ecs'
      JOIN policy_version AS v ON v.policy_id = u.policy_id AND v.version_id = u.version_id
      ORDER BY v.version_num) AS u
GROUP BY u.policy_name, u.pattern, u.reason, u.negated
ORDER BY u.policy_name, u.pattern;
