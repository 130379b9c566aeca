-- What can each principal do, service by service? Per user, role and service: the number of
-- actions granted per access level. An upper bound: see access-levels-setup.sql.
-- Needs: the extension and the action catalog; setup: access-levels-setup.sql.
SELECT account_id AS account, kind, name AS principal, service,
       sum(access_level = 'List') AS list,
       sum(access_level = 'Read') AS read,
       sum(access_level = 'Write') AS write,
       sum(access_level = 'Tagging') AS tagging,
       sum(access_level = 'Permissions management') AS permissions_management,
       count(*) AS actions
FROM al_granted
GROUP BY arn, service
ORDER BY account_id, kind DESC, name, service;
