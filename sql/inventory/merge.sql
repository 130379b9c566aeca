-- SPDX-License-Identifier: MIT
-- sql/inventory/merge.sql: copy the accounts of one inventory (attached as `part`) into the
-- inventory `main`, replacing the accounts main holds with the same id.
--
-- Needs:  the sqlite3 shell; not the iam extension.
-- Columns are named where a table has generated columns (SELECT * would give them too).
-- Run:    by scripts/merge-inventory.sh (and scripts/import-gaad.sh -j N, which imports accounts
--         in parallel into one inventory each and merges them), on the target inventory inside
--         its one transaction, with PRAGMA foreign_keys = ON, one part attached as `part` at a
--         time, and the shell parameter :replace (1 to let an account lose what the part lacks).
--         Both have the inventory schema of sql/inventory/schema.sql (the script checks the
--         version); the editable tables (inv_question, privesc_rule...) and the organization
--         tables of main are kept as they are.

CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);
DELETE FROM stage_error;

-- A part that lacks what main holds for one of its accounts deletes it only with :replace (a
-- partial export?), as an import does.
INSERT INTO stage_error
SELECT 'account ' || account_id || ': the input has no ' || kind || ' ' || quote(name)
       || ', which the inventory holds (a partial export? --replace deletes it)'
FROM (SELECT account_id, 'user' AS kind, name FROM main.inv_user AS x
      WHERE account_id IN (SELECT account_id FROM part.inv_account)
        AND NOT EXISTS (SELECT 1 FROM part.inv_user AS s WHERE s.account_id = x.account_id AND s.name = x.name)
      UNION ALL
      SELECT account_id, 'group', name FROM main.inv_group AS x
      WHERE account_id IN (SELECT account_id FROM part.inv_account)
        AND NOT EXISTS (SELECT 1 FROM part.inv_group AS s WHERE s.account_id = x.account_id AND s.name = x.name)
      UNION ALL
      SELECT account_id, 'role', name FROM main.inv_role AS x
      WHERE account_id IN (SELECT account_id FROM part.inv_account)
        AND NOT EXISTS (SELECT 1 FROM part.inv_role AS s WHERE s.account_id = x.account_id AND s.name = x.name)
      UNION ALL
      SELECT account_id, 'managed policy', arn FROM main.inv_managed_policy AS x
      WHERE account_id IN (SELECT account_id FROM part.inv_account)
        AND NOT EXISTS (SELECT 1 FROM part.inv_managed_policy AS s WHERE s.account_id = x.account_id AND s.arn = x.arn)
      UNION ALL
      SELECT account_id, 'inline policy', owner_kind || ' ' || owner_name || ': ' || policy_name FROM main.inv_inline_policy AS x
      WHERE account_id IN (SELECT account_id FROM part.inv_account)
        AND NOT EXISTS (SELECT 1 FROM part.inv_inline_policy AS s WHERE s.account_id = x.account_id
                        AND s.owner_kind = x.owner_kind AND s.owner_name = x.owner_name AND s.policy_name = x.policy_name))
WHERE NOT :replace
ORDER BY 1;
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;

DELETE FROM main.inv_account WHERE account_id IN (SELECT account_id FROM part.inv_account);
INSERT INTO main.inv_account SELECT * FROM part.inv_account;
INSERT INTO main.inv_user SELECT * FROM part.inv_user;
INSERT INTO main.inv_group SELECT * FROM part.inv_group;
INSERT INTO main.inv_group_member SELECT * FROM part.inv_group_member;
INSERT INTO main.inv_role (account_id, name, role_id, arn, path, created_date, description, max_session_duration, trust_policy, boundary_arn, last_used_date, last_used_region, tags)
SELECT account_id, name, role_id, arn, path, created_date, description, max_session_duration, trust_policy, boundary_arn, last_used_date, last_used_region, tags FROM part.inv_role;
INSERT INTO main.inv_instance_profile SELECT * FROM part.inv_instance_profile;
INSERT INTO main.inv_instance_profile_role SELECT * FROM part.inv_instance_profile_role;
INSERT INTO main.inv_inline_policy SELECT * FROM part.inv_inline_policy;
INSERT INTO main.inv_managed_policy (account_id, arn, name, policy_id, path, default_version_id, attachment_count, boundary_usage_count, is_attachable, description, created_date, updated_date, source)
SELECT account_id, arn, name, policy_id, path, default_version_id, attachment_count, boundary_usage_count, is_attachable, description, created_date, updated_date, source FROM part.inv_managed_policy;
INSERT INTO main.inv_policy_version (account_id, policy_arn, version_id, is_default, created_date, document)
SELECT account_id, policy_arn, version_id, is_default, created_date, document FROM part.inv_policy_version;
INSERT INTO main.inv_attachment SELECT * FROM part.inv_attachment;
