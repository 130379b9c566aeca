-- How much can each principal do? Per user and role: the number of actions it is granted per
-- access level (List, Read, Write, Tagging, Permissions management) over all services, and in
-- how many services. An upper bound: see access-levels-setup.sql.
-- Needs: the extension and the action catalog; setup: access-levels-setup.sql.
SELECT account_id AS account, kind, name AS principal,
       count(DISTINCT service) AS services,
       sum(access_level = 'List') AS list,
       sum(access_level = 'Read') AS read,
       sum(access_level = 'Write') AS write,
       sum(access_level = 'Tagging') AS tagging,
       sum(access_level = 'Permissions management') AS permissions_management,
       count(*) AS actions
FROM al_granted
GROUP BY arn
ORDER BY permissions_management DESC, actions DESC, account_id, kind DESC, name;
