-- SPDX-License-Identifier: MIT
-- How much can each principal do? Per user and role: the number of actions it is granted per
-- access level (List, Read, Write, Tagging, Permissions management) over all services, and in
-- how many services. An upper bound: an action counts when an Allow statement names it on some
-- resource, whatever its conditions, the permissions boundary names it too, and no Deny of
-- every resource without conditions does.
-- Needs: the extension and the action catalog; setup: access-levels-setup.sql.
-- Section: Access levels
-- Heatmap: list, read, write, tagging, permissions management
WITH per_set AS (
  SELECT set_id, count(DISTINCT service) AS services,
         sum(access_level = 'List') AS list, sum(access_level = 'Read') AS read, sum(access_level = 'Write') AS write,
         sum(access_level = 'Tagging') AS tagging, sum(access_level = 'Permissions management') AS pm, count(*) AS actions
  FROM al_set_action GROUP BY set_id)
SELECT p.account_id AS account, p.kind, p.name AS principal, s.services, s.list, s.read, s.write, s.tagging,
       s.pm AS "permissions management", s.actions
FROM al_principal AS p JOIN per_set AS s USING (set_id)
ORDER BY s.pm DESC, s.actions DESC, p.account_id, p.kind DESC, p.name;
