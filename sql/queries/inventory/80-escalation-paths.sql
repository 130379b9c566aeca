-- SPDX-License-Identifier: MIT
-- Who can become an administrator, and through which chain? Every user and role that is not an
-- administrator but can become one by a chain of steps (assume a role, even in another account;
-- pass a role to a service and run code as it; take over a user's credentials; rewrite a trust
-- policy; attach or write a policy): the shortest chain, each step with the policies that allow
-- it. Every step was decided as AWS would, with the principal's boundary, the organization's
-- SCPs and RCPs and the target's trust policy. An administrator is a principal allowed every
-- action, or every IAM action, on every resource. Break the chain at any step to remove the path.
-- Needs: the extension and the graph (scripts/build-paths.sh DB: inv_admin_path); the edge rules
-- are the editable tables esc_rule and esc_rule_step; an administrator is allowed '*:*' or 'iam:*'
-- on '*'. The path is also JSON (hops {"from", "to", "rule", "steps": [{"action", "resource",
-- "decision", "allowed_by"}]}), which report.html draws as a chain of boxes. setup: paths-setup.sql
-- JSON columns: path json
-- Section: Privilege escalation
SELECT n.account_id AS account, n.kind, n.name AS principal, p.hops,
       e.label AS "admin at", p.how AS "last step", p.path,
       (SELECT group_concat((h.key + 1) || '. ' || (h.value ->> '$.rule') || ': ' ||
                 (SELECT group_concat((s.value ->> '$.action') || ' on ' || (s.value ->> '$.resource') || ' (' ||
                                      (SELECT group_concat(a.value, ', ') FROM json_each(s.value, '$.allowed_by') AS a) || ')', '; ')
                  FROM json_each(h.value, '$.steps') AS s), ' | ')
        FROM json_each(p.path_json) AS h) AS "allowed by",
       json(p.path_json) AS "path json"
FROM esc_admin_path_r AS p
JOIN inv_node AS n ON n.arn = p.src
JOIN inv_node AS e ON e.arn = p.admin
UNION ALL
SELECT '', '', '', NULL, '', '', message, '', json('[]') FROM esc_state WHERE NOT built
ORDER BY 4, 1, 2 DESC, 3;
