-- SPDX-License-Identifier: MIT
-- How far can each principal reach? For every user and role: whether it is an administrator,
-- how many other users and roles it can act as by any chain of steps (assume, run code as, take
-- over, join a group), in how many accounts, which administrators it reaches, and in how many
-- steps it can become one. An administrator's own steps count only role assumptions (it needs no
-- other way up).
-- Needs: the extension and the graph (scripts/build-paths.sh DB: inv_reach_hop; administrators are
-- allowed '*:*' or 'iam:*' on '*'). setup: paths-setup.sql
-- Section: Privilege escalation
SELECT n.account_id AS account, n.kind, n.name AS principal,
       CASE WHEN n.admin THEN 'yes (' || n.admin_by || ' on *)' ELSE 'no' END AS admin,
       (SELECT count(*) FROM inv_reach_hop AS r JOIN inv_node AS d ON d.arn = r.dst
        WHERE r.src = n.arn AND d.kind <> 'group') AS reaches,
       (SELECT count(DISTINCT d.account_id) FROM inv_reach_hop AS r JOIN inv_node AS d ON d.arn = r.dst
        WHERE r.src = n.arn AND d.account_id <> n.account_id) AS "other accounts",
       coalesce((SELECT group_concat(label, ', ') FROM (
                   SELECT d.label FROM inv_reach_hop AS r JOIN inv_node AS d ON d.arn = r.dst
                   WHERE r.src = n.arn AND d.admin AND d.kind <> 'group' ORDER BY r.hops, d.label)), '') AS "admins reached",
       CASE WHEN n.admin THEN 0 ELSE (SELECT hops FROM esc_admin_path_r AS p WHERE p.src = n.arn) END AS "hops to admin"
FROM inv_node AS n, esc_state AS s
WHERE s.built AND n.kind IN ('user', 'role')
UNION ALL
SELECT '', '', message, '', NULL, NULL, '', NULL FROM esc_state WHERE NOT built
ORDER BY 5 DESC, 1, 2 DESC, 3;
