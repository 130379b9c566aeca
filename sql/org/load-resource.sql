-- SPDX-License-Identifier: MIT
-- sql/org/load-resource.sql: move staged resource policies (sql/org/stage-resource.sql) into
-- inv_resource_policy (sql/org/schema.sql): each resource of the input gets the policy it has
-- now, and loses the one the inventory held when the input says it has none.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-resource-policies.sh on the inventory, inside its one transaction,
--         with the staging database attached as `stage`. The staged input has passed every
--         check, so a failure here is a constraint of the schema (the transaction is then
--         rolled back and the inventory is unchanged).

DELETE FROM inv_resource_policy WHERE arn IN (SELECT arn FROM stage.stage_policy);

INSERT INTO inv_resource_policy (arn, account_id, service, document, source, file)
SELECT arn, account, service, document, source, file
FROM stage.stage_policy WHERE document IS NOT NULL ORDER BY arn;
