-- SPDX-License-Identifier: MIT
-- sql/inventory/plan.sql: what an import would change in an inventory, from the staged input
-- (sql/inventory/stage.sql, check.sql) and what the inventory holds.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-gaad.sh, after the staging checks passed, on the inventory (or, for a
--         new one, an empty copy of sql/inventory/schema.sql) with the staging database attached
--         as `stage`: read-only for --dry-run and for the refusal to delete; then again inside
--         the import's transaction, where sql/inventory/load.sql refuses the same deletions.
-- Output: the TEMP views plan_account and plan_delete, and their rows (list mode, '|'):
--           account|ID|new|USERS|GROUPS|ROLES|MANAGED|INLINE|PROFILES|-
--           account|ID|replace|USERS|GROUPS|ROLES|MANAGED|INLINE|PROFILES|FILES BEFORE
--           delete|ID|KIND|NAME
--         the counts being those after the import; a delete row for each user, group, role,
--         managed policy or inline policy that the inventory holds for an account of the input
--         and the input does not (what a partial export would lose). Names are on one line
--         (\n, \r for line breaks).

CREATE TEMP VIEW IF NOT EXISTS plan_account AS
SELECT a.account_id,
       CASE WHEN i.account_id IS NULL THEN 'new' ELSE 'replace' END AS action,
       (SELECT count(*) FROM stage.stage_user AS x WHERE x.account_id = a.account_id) AS users,
       (SELECT count(*) FROM stage.stage_group AS x WHERE x.account_id = a.account_id) AS groups,
       (SELECT count(*) FROM stage.stage_role AS x WHERE x.account_id = a.account_id) AS roles,
       (SELECT count(*) FROM stage.stage_policy AS x WHERE x.account_id = a.account_id)
         + (SELECT count(*) FROM stage.stage_catalog_policy AS x WHERE x.account_id = a.account_id) AS managed,
       (SELECT count(*) FROM stage.stage_inline AS x WHERE x.account_id = a.account_id) AS inline,
       (SELECT count(DISTINCT name) FROM stage.stage_profile AS x WHERE x.account_id = a.account_id) AS profiles,
       i.source_files
FROM (SELECT DISTINCT account_id FROM stage.stage_file_account) AS a
LEFT JOIN main.inv_account AS i ON i.account_id = a.account_id;

CREATE TEMP VIEW IF NOT EXISTS plan_delete AS
SELECT account_id, 'user' AS kind, name FROM main.inv_user AS x
WHERE account_id IN (SELECT account_id FROM stage.stage_file_account)
  AND NOT EXISTS (SELECT 1 FROM stage.stage_user AS s WHERE s.account_id = x.account_id AND s.name = x.name)
UNION ALL
SELECT account_id, 'group', name FROM main.inv_group AS x
WHERE account_id IN (SELECT account_id FROM stage.stage_file_account)
  AND NOT EXISTS (SELECT 1 FROM stage.stage_group AS s WHERE s.account_id = x.account_id AND s.name = x.name)
UNION ALL
SELECT account_id, 'role', name FROM main.inv_role AS x
WHERE account_id IN (SELECT account_id FROM stage.stage_file_account)
  AND NOT EXISTS (SELECT 1 FROM stage.stage_role AS s WHERE s.account_id = x.account_id AND s.name = x.name)
UNION ALL
SELECT account_id, 'managed policy', arn FROM main.inv_managed_policy AS x
WHERE account_id IN (SELECT account_id FROM stage.stage_file_account)
  AND NOT EXISTS (SELECT 1 FROM stage.stage_policy AS s WHERE s.account_id = x.account_id AND s.arn = x.arn)
  AND NOT EXISTS (SELECT 1 FROM stage.stage_catalog_policy AS s WHERE s.account_id = x.account_id AND s.arn = x.arn)
UNION ALL
SELECT account_id, 'inline policy', owner_kind || ' ' || owner_name || ': ' || policy_name FROM main.inv_inline_policy AS x
WHERE account_id IN (SELECT account_id FROM stage.stage_file_account)
  AND NOT EXISTS (SELECT 1 FROM stage.stage_inline AS s WHERE s.account_id = x.account_id
                  AND s.owner_kind = x.owner_kind AND s.owner_name = x.owner_name AND s.policy_name = x.policy_name);

SELECT 'account', account_id, action, users, groups, roles, managed, inline, profiles,
       coalesce((SELECT group_concat(replace(replace(value, char(13), '\r'), char(10), '\n'), ', ') FROM json_each(source_files)), '-')
FROM plan_account ORDER BY account_id;
SELECT 'delete', account_id, kind, replace(replace(name, char(13), '\r'), char(10), '\n')
FROM plan_delete ORDER BY account_id, kind, name;
