-- SPDX-License-Identifier: MIT
-- Who can become an administrator, and through which chain? For every user and role that is not
-- an administrator but can become one (inv_admin_path over the graph of scripts/build-paths.sh):
-- the shortest path, hop by hop, with the rule of each hop and the policies that allow each of
-- its requests; an administrator is a principal the evaluator allows '*:*' or 'iam:*' on '*'
-- (its boundary and SCPs count), and a path may end with a grant (the principal can attach or
-- write a policy of itself or of a principal it reaches). The path is also JSON (an array of
-- hops {"from", "to", "rule", "steps": [{"action", "resource", "decision", "allowed_by"}]}),
-- for a chain of boxes.
-- Needs: the extension and the graph (scripts/build-paths.sh DB); the edge rules are the
-- editable tables esc_rule and esc_rule_step. setup: paths-setup.sql
-- JSON columns: path json
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
