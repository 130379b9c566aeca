-- SPDX-License-Identifier: MIT
-- sql/inventory/load.sql: move staged GAAD data (sql/inventory/stage.sql, check.sql)
-- into the inventory tables of sql/inventory/schema.sql, replacing the accounts it holds.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-gaad.sh on the inventory database, inside its one transaction, with
--         PRAGMA foreign_keys = ON, the staging database attached as `stage`, the views of
--         sql/inventory/plan.sql, and the shell parameters :catalog (the catalog file used, or
--         NULL) and :replace (1 to let an account lose what the input lacks). The staged input
--         has passed every check, so a failure here is a refused deletion or a constraint of the
--         schema (the transaction is then rolled back and the inventory is unchanged).

-- Problems: one row each in stage_error, printed and then stopped on by the two statements that
-- end the checks (the loaders' one idiom, sql/README.md "Loaders").
CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- A partial export deletes nothing without :replace: an account of the input keeps every user,
-- group, role and policy the input lacks (scripts/import-gaad.sh --replace).
INSERT INTO stage_error
SELECT 'account ' || account_id || ': the input has no ' || kind || ' ' || quote(name)
       || ', which the inventory holds (a partial export? --replace deletes it)'
FROM plan_delete WHERE NOT :replace ORDER BY account_id, kind, name;
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;

-- Re-importing an account replaces it: everything of it goes (ON DELETE CASCADE).
DELETE FROM inv_account WHERE account_id IN (SELECT account_id FROM stage.stage_file_account);

INSERT INTO inv_account (account_id, source_files, catalog)
SELECT account_id, json_group_array(file), :catalog
FROM (SELECT account_id, file FROM stage.stage_file_account ORDER BY account_id, file_no)
GROUP BY account_id;

INSERT INTO inv_user (account_id, name, user_id, arn, path, created_date, boundary_arn, tags)
SELECT u.account_id, u.name, u.user_id, u.arn, u.path,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = u.at AND d.member = 'CreateDate'),
       u.boundary_arn,
       coalesce((SELECT json_group_object(t.key, t.value) FROM stage.stage_tag AS t
                 WHERE t.kind = 'user' AND t.account_id = u.account_id AND t.name = u.name), '{}')
FROM stage.stage_user AS u ORDER BY u.account_id, u.name;

INSERT INTO inv_group (account_id, name, group_id, arn, path, created_date)
SELECT g.account_id, g.name, g.group_id, g.arn, g.path,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = g.at AND d.member = 'CreateDate')
FROM stage.stage_group AS g ORDER BY g.account_id, g.name;

INSERT OR IGNORE INTO inv_group_member (account_id, group_name, user_name)
SELECT account_id, group_name, user_name FROM stage.stage_member ORDER BY 1, 2, 3;

INSERT INTO inv_role (account_id, name, role_id, arn, path, created_date, description, max_session_duration,
                      trust_policy, boundary_arn, last_used_date, last_used_region, tags)
SELECT r.account_id, r.name, r.role_id, r.arn, r.path,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = r.at AND d.member = 'CreateDate'),
       r.description, r.max_session_duration,
       (SELECT text FROM stage.stage_doc AS d WHERE d.at = r.at || ': AssumeRolePolicyDocument'),
       r.boundary_arn,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = r.at AND d.member = 'RoleLastUsed.LastUsedDate'),
       r.last_used_region,
       coalesce((SELECT json_group_object(t.key, t.value) FROM stage.stage_tag AS t
                 WHERE t.kind = 'role' AND t.account_id = r.account_id AND t.name = r.name), '{}')
FROM stage.stage_role AS r ORDER BY r.account_id, r.name;

INSERT INTO inv_instance_profile (account_id, name, instance_profile_id, arn, path, created_date)
SELECT p.account_id, p.name, p.instance_profile_id, p.arn, p.path,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = p.at AND d.member = 'CreateDate')
FROM stage.stage_profile AS p
WHERE p.at = (SELECT min(p2.at) FROM stage.stage_profile AS p2 WHERE p2.account_id = p.account_id AND p2.name = p.name)
ORDER BY p.account_id, p.name;

INSERT OR IGNORE INTO inv_instance_profile_role (account_id, profile_name, role_name)
SELECT account_id, profile_name, role_name FROM stage.stage_profile_role ORDER BY 1, 2, 3;

INSERT INTO inv_inline_policy (account_id, owner_kind, owner_name, policy_name, document)
SELECT i.account_id, i.owner_kind, i.owner_name, i.policy_name, d.text
FROM stage.stage_inline AS i JOIN stage.stage_doc AS d ON d.at = i.at || ': PolicyDocument'
ORDER BY 1, 2, 3, 4;

INSERT INTO inv_managed_policy (account_id, arn, name, policy_id, path, default_version_id, attachment_count,
                                boundary_usage_count, is_attachable, description, created_date, updated_date, source)
SELECT p.account_id, p.arn, p.name, p.policy_id, p.path, p.default_version_id, p.attachment_count,
       p.boundary_usage_count, p.is_attachable, p.description,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = p.at AND d.member = 'CreateDate'),
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = p.at AND d.member = 'UpdateDate'),
       'file'
FROM stage.stage_policy AS p
UNION ALL
SELECT c.account_id, c.arn, c.name, NULL, c.path, c.default_version_id, NULL, NULL, 1, NULL,
       c.created_date, c.last_updated_date, 'catalog'
FROM stage.stage_catalog_policy AS c
ORDER BY 1, 2;

INSERT INTO inv_policy_version (account_id, policy_arn, version_id, is_default, created_date, document)
SELECT v.account_id, v.policy_arn, v.version_id, v.is_default,
       (SELECT iso FROM stage.stage_date AS d WHERE d.at = v.at AND d.member = 'CreateDate'),
       d.text
FROM stage.stage_version AS v JOIN stage.stage_doc AS d ON d.at = v.at || ': Document'
UNION ALL
SELECT c.account_id, c.arn, c.default_version_id, 1, NULL, c.document
FROM stage.stage_catalog_policy AS c
ORDER BY 1, 2, 3;

INSERT INTO inv_attachment (account_id, principal_kind, principal_name, policy_arn, policy_name)
SELECT account_id, principal_kind, principal_name, policy_arn, policy_name FROM stage.stage_attach ORDER BY 1, 2, 3, 4;
