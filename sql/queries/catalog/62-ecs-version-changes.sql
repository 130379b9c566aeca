-- SPDX-License-Identifier: MIT
-- Which actions did each new version of AmazonECSServiceRolePolicy and AmazonECS_FullAccess add
-- or remove? For each pair of consecutive stored versions (the catalog lacks some versions, so
-- "v15 -> v19" spans the missing ones), the concrete actions in the net grant (policy_action) of
-- one and not the other, by access level. All versions are expanded against today's action data,
-- so a change here is a change of the policy, not of AWS's action list.
-- Needs: nothing beyond the catalog.
WITH chosen(name) AS (VALUES ('AmazonECSServiceRolePolicy'), ('AmazonECS_FullAccess')),
pairs AS (
  SELECT v.policy_id, p.name, v.version_id AS new_version, v.version_num,
         lag(v.version_id) OVER (PARTITION BY v.policy_id ORDER BY v.version_num) AS old_version
  FROM policy_version AS v JOIN policy AS p USING (policy_id)
  WHERE p.name IN (SELECT name FROM chosen)),
grant_set AS (
  SELECT a.policy_id, a.version_id, a.action, a.access_level, a.access_rank FROM policy_action AS a
  WHERE a.policy_name IN (SELECT name FROM chosen)),
changes AS (
  SELECT x.name, x.version_num, x.old_version, x.new_version, '+' AS change, g.action, g.access_level, g.access_rank
  FROM pairs AS x JOIN grant_set AS g ON g.policy_id = x.policy_id AND g.version_id = x.new_version
  WHERE x.old_version IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM grant_set AS o
                    WHERE o.policy_id = x.policy_id AND o.version_id = x.old_version AND o.action = g.action)
  UNION ALL
  SELECT x.name, x.version_num, x.old_version, x.new_version, '-', g.action, g.access_level, g.access_rank
  FROM pairs AS x JOIN grant_set AS g ON g.policy_id = x.policy_id AND g.version_id = x.old_version
  WHERE NOT EXISTS (SELECT 1 FROM grant_set AS n
                    WHERE n.policy_id = x.policy_id AND n.version_id = x.new_version AND n.action = g.action))
SELECT x.name AS policy, x.old_version || ' -> ' || x.new_version AS versions,
       count(c.action) AS "changed actions",
       coalesce(group_concat(CASE WHEN c.change IS NOT NULL
                                  THEN c.change || ' ' || c.action || ' (' || c.access_level || ')' END, char(10)),
                '(no change in the actions granted)') AS "added (+) and removed (-)"
FROM pairs AS x
LEFT JOIN (SELECT * FROM changes ORDER BY change, access_rank DESC, action) AS c
       ON c.name = x.name AND c.new_version = x.new_version
WHERE x.old_version IS NOT NULL
GROUP BY x.name, x.version_num
ORDER BY x.name, x.version_num;
