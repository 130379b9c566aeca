-- SPDX-License-Identifier: MIT
-- What can each principal do, service by service? Per user, role and service: the number of
-- actions granted per access level, counted as in the report above (an upper bound).
-- Needs: the extension and the action catalog; setup: access-levels-setup.sql.
-- Section: Access levels
-- Heatmap: list, read, write, tagging, permissions management
SELECT p.account_id AS account, p.kind, p.name AS principal, s.service, s.list, s.read, s.write, s.tagging,
       s.pm AS "permissions management", s.actions
FROM al_principal AS p JOIN al_set_service AS s ON s.set_id = p.set_id
ORDER BY p.account_id, p.kind DESC, p.name, s.service;
