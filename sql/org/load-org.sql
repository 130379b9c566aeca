-- SPDX-License-Identifier: MIT
-- sql/org/load-org.sql: move a staged organization (sql/org/stage-org.sql) into the tables of
-- sql/org/schema.sql, replacing the organization the inventory held.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-org.sh on the inventory, inside its one transaction, with
--         PRAGMA foreign_keys = ON, the staging database attached as `stage`, and the TEMP table
--         load_param (source, allow_replace): the folder imported, and 1 to let the import replace
--         another organization. The staged input has passed every check, so a failure here is
--         a refused replacement or a constraint of the schema (the transaction is then rolled
--         back and the inventory is unchanged).

CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- Another organization is replaced only with load_param.allow_replace (scripts/import-org.sh --replace).
INSERT INTO stage_error
SELECT 'the inventory holds organization ' || o.org_id || ' (from ' || o.source || '), not ' || s.org_id
       || ': --replace replaces it'
FROM main.org_organization AS o, stage.stage_org AS s
WHERE o.org_id <> s.org_id AND NOT (SELECT allow_replace FROM load_param);
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;

-- Everything of the old organization goes (ON DELETE CASCADE).
DELETE FROM org_organization;

INSERT INTO org_organization (org_id, arn, feature_set, management_account_id, management_account_arn,
                              management_account_email, source, imported)
SELECT org_id, arn, feature_set, management, management_arn, management_email, (SELECT source FROM load_param),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM stage.stage_org;

-- Parents before children is not needed: parent_id is checked at COMMIT.
INSERT INTO org_node (node_id, org_id, kind, parent_id, name, arn)
SELECT n.node_id, (SELECT org_id FROM stage.stage_org), n.kind, n.parent_id, n.name, n.arn
FROM stage.stage_node AS n ORDER BY n.node_id;

INSERT INTO org_account (account_id, email, status, state, joined_method, joined)
SELECT node_id, obj ->> '$.Email', obj ->> '$.Status', obj ->> '$.State', obj ->> '$.JoinedMethod',
       CASE json_type(obj, '$.JoinedTimestamp') WHEN 'text' THEN obj ->> '$.JoinedTimestamp'
            WHEN 'real' THEN strftime('%Y-%m-%dT%H:%M:%SZ', obj ->> '$.JoinedTimestamp', 'unixepoch')
            WHEN 'integer' THEN strftime('%Y-%m-%dT%H:%M:%SZ', obj ->> '$.JoinedTimestamp', 'unixepoch') END
FROM stage.stage_node WHERE kind = 'account' ORDER BY node_id;

INSERT INTO org_root_policy_type (root_id, type, status)
SELECT root_id, type, status FROM stage.stage_policy_type ORDER BY 1, 2;

INSERT INTO org_policy (policy_id, org_id, type, name, arn, description, aws_managed, document)
SELECT policy_id, (SELECT org_id FROM stage.stage_org), type, name, arn, description, aws_managed, document
FROM stage.stage_policy ORDER BY policy_id;

INSERT INTO org_attachment (policy_id, target_id)
SELECT policy_id, target_id FROM stage.stage_attachment ORDER BY 1, 2;
