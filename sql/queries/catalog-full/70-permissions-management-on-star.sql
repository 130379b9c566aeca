-- SPDX-License-Identifier: MIT
-- Which managed policies grant a Permissions-management action on every resource? Run against
-- the full catalog (make report-full: catalog-full.db, all 1,594 policies). One row per policy
-- whose current version's net grant (view policy_action) has at least one Permissions-management
-- action from an Allow statement with Resource "*": how many such actions, how many of them
-- without any Condition, whether the policy can be attached to users, groups and roles, and the
-- first few of the actions. Sorted by the number granted without a condition.
-- Needs: nothing beyond the catalog; takes about a second on catalog-full.db.
SELECT a.policy_name AS policy, p.kind,
       CASE p.attachable WHEN 1 THEN 'yes' ELSE 'no' END AS attachable,
       count(*) AS "PM actions on *",
       count(CASE WHEN a.unconditional_on_star THEN 1 END) AS "without condition",
       group_concat(CASE WHEN a.rn <= 4 THEN a.action END, ' ')
         || CASE WHEN count(*) > 4 THEN ' ...' ELSE '' END AS "for example"
FROM (SELECT x.*, row_number() OVER (PARTITION BY x.policy_id ORDER BY NOT x.unconditional_on_star, x.action) AS rn
      FROM policy_action AS x
      WHERE x.is_default AND x.access_level = 'Permissions management' AND x.on_star) AS a
JOIN policy AS p ON p.policy_id = a.policy_id
GROUP BY a.policy_id
ORDER BY "without condition" DESC, "PM actions on *" DESC, a.policy_name;
