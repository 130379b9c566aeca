-- SPDX-License-Identifier: MIT
-- sql/inventory/schema.sql: schema of an account inventory loaded from
-- `aws iam get-account-authorization-details` (GAAD) exports, and the views that give every
-- user and role its effective policies and permissions boundary.
--
-- Purpose:   tables for accounts, users, groups, group membership, roles (trust policy, tags,
--            last use), instance profiles, inline policies, managed policies with all their
--            versions and attachments; the editable tables of the reports (inv_question,
--            privesc_rule, privesc_rule_step) with their default rows; views inv_principal,
--            inv_effective_policy, inv_principal_policy, inv_principal_context,
--            inv_role_trust, inv_principal_request, inv_unresolved_policy.
-- Needs:     the sqlite3 shell only (JSON1 is built in). Evaluating the views' documents needs
--            the extension (.load ./dist/iam): iam_decision(), iam_decision_agg(), ...
-- Run:       scripts/import-gaad.sh applies it to the target database before each import (and
--            then sql/inventory/stage.sql, check.sql on a scratch staging database and
--            sql/inventory/load.sql on the target). By hand: sqlite3 inventory.db < sql/inventory/schema.sql
--            Idempotent (IF NOT EXISTS), one transaction. Foreign keys are declared; turn them on
--            per connection with PRAGMA foreign_keys = ON (the import does).
--
-- Version: PRAGMA user_version is left alone (it belongs to sql/catalog/schema.sql when an inventory
-- shares a file with a catalog). The version of this schema is the row ('schema_version', N) of
-- inv_meta; scripts/import-gaad.sh refuses a database whose version it does not know.
--   1  first version.
--   2  version 1 plus the organization and resource-policy tables and views of sql/org/schema.sql
--      (which sets the row to 2; every import script applies both files).
--
-- Keys. Every row belongs to an account (inv_account, a 12-digit id); deleting the account row
-- deletes everything of that account (ON DELETE CASCADE), which is how a re-import replaces it.
-- Users, groups, roles and instance profiles are keyed by (account_id, name), as GAAD refers to
-- them by name (GroupList, Roles); managed policies by (account_id, arn), as attachments and
-- boundaries refer to them by ARN. AWS-managed policies are stored per account: each account's
-- copy is what its export (or, for those it lacks, the catalog) said.
--
-- Dates are ISO-8601 UTC text 'YYYY-MM-DDTHH:MM:SSZ' (the import normalises both GAAD styles,
-- '2015-02-06T19:58:34Z' and '2023-03-09 10:41:34+00:00'); NULL when the export has none.
-- Documents are minified JSON objects (the import URL-decodes string documents once).

BEGIN;

CREATE TABLE IF NOT EXISTS inv_meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO inv_meta (key, value) VALUES ('schema_version', '1');

-- One row per imported account. source_files: JSON array of the files it was loaded from (in
-- command-line order); catalog: the catalog database AWS-managed policies were taken from, or NULL.
CREATE TABLE IF NOT EXISTS inv_account (
  account_id   TEXT PRIMARY KEY NOT NULL CHECK (length(account_id) = 12 AND account_id NOT GLOB '*[^0-9]*'),
  source_files TEXT NOT NULL CHECK (json_valid(source_files) AND json_type(source_files) = 'array'),
  catalog      TEXT
) WITHOUT ROWID;

-- Users. tags: JSON object {key: value} ('{}' without tags). boundary_arn: the ARN of the
-- managed policy set as permissions boundary (PermissionsBoundary.PermissionsBoundaryArn), or NULL.
CREATE TABLE IF NOT EXISTS inv_user (
  account_id   TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  user_id      TEXT NOT NULL,
  arn          TEXT NOT NULL UNIQUE CHECK (arn GLOB 'arn:aws*:iam::*:user/*'),
  path         TEXT NOT NULL DEFAULT '/' CHECK (path GLOB '/*' AND path GLOB '*/'),
  created_date TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  boundary_arn TEXT CHECK (boundary_arn GLOB 'arn:aws*:iam::*:policy/*'),
  tags         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(tags) AND json_type(tags) = 'object'),
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS inv_group (
  account_id   TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  group_id     TEXT NOT NULL,
  arn          TEXT NOT NULL UNIQUE CHECK (arn GLOB 'arn:aws*:iam::*:group/*'),
  path         TEXT NOT NULL DEFAULT '/' CHECK (path GLOB '/*' AND path GLOB '*/'),
  created_date TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS inv_group_member (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  PRIMARY KEY (account_id, group_name, user_name),
  FOREIGN KEY (account_id, group_name) REFERENCES inv_group (account_id, name) ON DELETE CASCADE,
  FOREIGN KEY (account_id, user_name) REFERENCES inv_user (account_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_group_member_by_user ON inv_group_member (account_id, user_name);

-- Roles. trust_policy: AssumeRolePolicyDocument (a resource-based policy: it has Principal, so
-- read it with iam_statements(), not iam_decision()). last_used_date/region: RoleLastUsed.
-- service_linked: 1 when the path starts with /aws-service-role/.
CREATE TABLE IF NOT EXISTS inv_role (
  account_id           TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  role_id              TEXT NOT NULL,
  arn                  TEXT NOT NULL UNIQUE CHECK (arn GLOB 'arn:aws*:iam::*:role/*'),
  path                 TEXT NOT NULL DEFAULT '/' CHECK (path GLOB '/*' AND path GLOB '*/'),
  created_date         TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  description          TEXT,
  max_session_duration INTEGER CHECK (max_session_duration > 0),
  trust_policy         TEXT CHECK (json_valid(trust_policy) AND json_type(trust_policy) = 'object'),
  boundary_arn         TEXT CHECK (boundary_arn GLOB 'arn:aws*:iam::*:policy/*'),
  last_used_date       TEXT CHECK (last_used_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(last_used_date))),
  last_used_region     TEXT,
  tags                 TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(tags) AND json_type(tags) = 'object'),
  service_linked       INTEGER NOT NULL GENERATED ALWAYS AS (path GLOB '/aws-service-role/*') VIRTUAL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS inv_instance_profile (
  account_id          TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  name                TEXT NOT NULL,
  instance_profile_id TEXT NOT NULL,
  arn                 TEXT NOT NULL UNIQUE CHECK (arn GLOB 'arn:aws*:iam::*:instance-profile/*'),
  path                TEXT NOT NULL DEFAULT '/',
  created_date        TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS inv_instance_profile_role (
  account_id   TEXT NOT NULL,
  profile_name TEXT NOT NULL,
  role_name    TEXT NOT NULL,
  PRIMARY KEY (account_id, profile_name, role_name),
  FOREIGN KEY (account_id, profile_name) REFERENCES inv_instance_profile (account_id, name) ON DELETE CASCADE,
  FOREIGN KEY (account_id, role_name) REFERENCES inv_role (account_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_instance_profile_role_by_role ON inv_instance_profile_role (account_id, role_name);

-- Inline policies of users (UserPolicyList), groups (GroupPolicyList) and roles (RolePolicyList).
-- owner_kind says which table owner_name is in (the import checks that the owner exists).
CREATE TABLE IF NOT EXISTS inv_inline_policy (
  account_id  TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  owner_kind  TEXT NOT NULL CHECK (owner_kind IN ('user', 'group', 'role')),
  owner_name  TEXT NOT NULL,
  policy_name TEXT NOT NULL CHECK (length(policy_name) BETWEEN 1 AND 128),
  document    TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
  PRIMARY KEY (account_id, owner_kind, owner_name, policy_name)
) WITHOUT ROWID;

-- Managed policies: customer-managed ones of the account and AWS-managed ones (account 'aws' in
-- the ARN). source: 'file' when the export has it (Policies), 'catalog' when the import took an
-- AWS-managed policy that the export only referenced from the catalog database (then only its
-- default version is stored, and the counts are NULL).
CREATE TABLE IF NOT EXISTS inv_managed_policy (
  account_id           TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  arn                  TEXT NOT NULL CHECK (arn GLOB 'arn:aws*:iam::*:policy/*'),
  name                 TEXT NOT NULL,
  policy_id            TEXT,
  path                 TEXT NOT NULL DEFAULT '/',
  aws_managed          INTEGER NOT NULL GENERATED ALWAYS AS (arn GLOB 'arn:aws*:iam::aws:policy/*') VIRTUAL,
  default_version_id   TEXT NOT NULL CHECK (default_version_id GLOB 'v[1-9]*'),
  attachment_count     INTEGER,
  boundary_usage_count INTEGER,
  is_attachable        INTEGER CHECK (is_attachable IN (0, 1)),
  description          TEXT,
  created_date         TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  updated_date         TEXT CHECK (updated_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(updated_date))),
  source               TEXT NOT NULL CHECK (source IN ('file', 'catalog')),
  PRIMARY KEY (account_id, arn),
  FOREIGN KEY (account_id, arn, default_version_id)
    REFERENCES inv_policy_version (account_id, policy_arn, version_id) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;

-- Every version of a managed policy the export lists (PolicyVersionList).
CREATE TABLE IF NOT EXISTS inv_policy_version (
  account_id   TEXT NOT NULL,
  policy_arn   TEXT NOT NULL,
  version_id   TEXT NOT NULL CHECK (version_id GLOB 'v[1-9]*' AND version_id NOT GLOB 'v*[^0-9]*'),
  version_num  INTEGER NOT NULL GENERATED ALWAYS AS (CAST(substr(version_id, 2) AS INTEGER)) VIRTUAL,
  is_default   INTEGER NOT NULL CHECK (is_default IN (0, 1)),
  created_date TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  document     TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
  PRIMARY KEY (account_id, policy_arn, version_id),
  FOREIGN KEY (account_id, policy_arn) REFERENCES inv_managed_policy (account_id, arn) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS inv_policy_version_one_default
  ON inv_policy_version (account_id, policy_arn) WHERE is_default;

-- Managed policies attached to users, groups and roles (AttachedManagedPolicies). There is no
-- foreign key to inv_managed_policy: an export may reference a policy it does not include
-- (see inv_unresolved_policy).
CREATE TABLE IF NOT EXISTS inv_attachment (
  account_id     TEXT NOT NULL REFERENCES inv_account (account_id) ON DELETE CASCADE,
  principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'group', 'role')),
  principal_name TEXT NOT NULL,
  policy_arn     TEXT NOT NULL CHECK (policy_arn GLOB 'arn:aws*:iam::*:policy/*'),
  policy_name    TEXT,
  PRIMARY KEY (account_id, principal_kind, principal_name, policy_arn)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_attachment_by_policy ON inv_attachment (account_id, policy_arn);

-- Questions for the "who can" report (sql/queries/inventory/20-who-can.sql): one request each.
-- Edit freely. In resource and context, ${account} stands for the principal's account id. The
-- request resource is literal, so a '*' in it is an ordinary character that only a policy
-- pattern with a wildcard at that place matches: 'arn:aws:iam::${account}:role/*' asks "on
-- every role", not "on some role".
CREATE TABLE IF NOT EXISTS inv_question (
  name     TEXT PRIMARY KEY NOT NULL,
  action   TEXT NOT NULL CHECK (action GLOB '?*:?*'),
  resource TEXT NOT NULL,
  context  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context) AND json_type(context) = 'object'),
  notes    TEXT
) WITHOUT ROWID;

-- Privilege-escalation paths that one principal can take with its own permissions, for
-- sql/queries/inventory/40-privesc.sql. A principal takes a rule when every step of it is
-- allowed. Steps are requests written like inv_question rows (${account}, literal '*').
-- Edit freely: add rules, remove the ones you accept, narrow resources.
CREATE TABLE IF NOT EXISTS privesc_rule (
  name        TEXT PRIMARY KEY NOT NULL,
  description TEXT NOT NULL,
  reference   TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS privesc_rule_step (
  rule     TEXT NOT NULL REFERENCES privesc_rule (name) ON DELETE CASCADE ON UPDATE CASCADE,
  step     INTEGER NOT NULL CHECK (step >= 1),
  action   TEXT NOT NULL CHECK (action GLOB '?*:?*'),
  resource TEXT NOT NULL,
  context  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context) AND json_type(context) = 'object'),
  PRIMARY KEY (rule, step)
) WITHOUT ROWID;

-- Default questions and rules, inserted once (the first time this file runs on a database), so
-- that edits survive later imports.
INSERT INTO inv_question (name, action, resource, context, notes)
SELECT * FROM (VALUES
  ('pass-any-role-to-ecs-tasks', 'iam:PassRole', 'arn:aws:iam::${account}:role/*',
   '{"iam:PassedToService":"ecs-tasks.amazonaws.com"}', 'pass every role of the account to ECS tasks'),
  ('pass-any-role-to-ec2', 'iam:PassRole', 'arn:aws:iam::${account}:role/*',
   '{"iam:PassedToService":"ec2.amazonaws.com"}', 'pass every role of the account to EC2'),
  ('ecs-exec-any-task', 'ecs:ExecuteCommand', 'arn:aws:ecs:us-east-1:${account}:task/*', '{}',
   'open a shell in every ECS task (us-east-1)'),
  ('read-every-s3-object', 's3:GetObject', 'arn:aws:s3:::*/*', '{}', 'read every object of every bucket'))
WHERE NOT EXISTS (SELECT 1 FROM inv_meta WHERE key = 'defaults_inserted');

INSERT INTO privesc_rule (name, description, reference)
SELECT * FROM (VALUES
  ('CreatePolicyVersion', 'write a new default version of a managed policy (iam:CreatePolicyVersion)', 'rhino-1'),
  ('SetDefaultPolicyVersion', 'make an older, broader version of a policy the default', 'rhino-2'),
  ('PassRoleToEC2', 'launch an instance with an existing role (iam:PassRole + ec2:RunInstances)', 'rhino-3'),
  ('CreateAccessKey', 'create access keys for another user', 'rhino-4'),
  ('CreateLoginProfile', 'set a console password for another user', 'rhino-5'),
  ('UpdateLoginProfile', 'change another user''s console password', 'rhino-6'),
  ('AttachUserPolicy', 'attach any managed policy to a user', 'rhino-7'),
  ('AttachGroupPolicy', 'attach any managed policy to a group', 'rhino-8'),
  ('AttachRolePolicy', 'attach any managed policy to a role', 'rhino-9'),
  ('PutUserPolicy', 'write an inline policy of a user', 'rhino-10'),
  ('PutGroupPolicy', 'write an inline policy of a group', 'rhino-11'),
  ('PutRolePolicy', 'write an inline policy of a role', 'rhino-12'),
  ('AddUserToGroup', 'join a more privileged group', 'rhino-13'),
  ('UpdateAssumeRolePolicy', 'rewrite a role''s trust policy, then assume the role', 'rhino-14'),
  ('PassRoleToLambda', 'create a Lambda function with an existing role and invoke it', 'rhino-15'),
  ('PassRoleToGlueDevEndpoint', 'create a Glue development endpoint with an existing role', 'rhino-18'),
  ('PassRoleToCloudFormation', 'create a CloudFormation stack that runs as an existing role', 'rhino-20'),
  ('PassRoleToDataPipeline', 'create a Data Pipeline that runs as an existing role', 'rhino-21'),
  ('UpdateLambdaCode', 'replace the code of an existing Lambda function (runs as its role)', 'rhino-17'),
  ('PassRoleToECSTask', 'register a task definition with an existing role and run it', 'ecs'),
  ('AssumeAnyRole', 'sts:AssumeRole on every role (limited only by the roles'' trust policies)', 'sts'))
WHERE NOT EXISTS (SELECT 1 FROM inv_meta WHERE key = 'defaults_inserted');

INSERT INTO privesc_rule_step (rule, step, action, resource, context)
SELECT * FROM (VALUES
  ('CreatePolicyVersion', 1, 'iam:CreatePolicyVersion', 'arn:aws:iam::${account}:policy/*', '{}'),
  ('SetDefaultPolicyVersion', 1, 'iam:SetDefaultPolicyVersion', 'arn:aws:iam::${account}:policy/*', '{}'),
  ('PassRoleToEC2', 1, 'iam:PassRole', 'arn:aws:iam::${account}:role/*', '{"iam:PassedToService":"ec2.amazonaws.com"}'),
  ('PassRoleToEC2', 2, 'ec2:RunInstances', 'arn:aws:ec2:us-east-1:${account}:instance/*', '{}'),
  ('CreateAccessKey', 1, 'iam:CreateAccessKey', 'arn:aws:iam::${account}:user/*', '{}'),
  ('CreateLoginProfile', 1, 'iam:CreateLoginProfile', 'arn:aws:iam::${account}:user/*', '{}'),
  ('UpdateLoginProfile', 1, 'iam:UpdateLoginProfile', 'arn:aws:iam::${account}:user/*', '{}'),
  ('AttachUserPolicy', 1, 'iam:AttachUserPolicy', 'arn:aws:iam::${account}:user/*', '{}'),
  ('AttachGroupPolicy', 1, 'iam:AttachGroupPolicy', 'arn:aws:iam::${account}:group/*', '{}'),
  ('AttachRolePolicy', 1, 'iam:AttachRolePolicy', 'arn:aws:iam::${account}:role/*', '{}'),
  ('PutUserPolicy', 1, 'iam:PutUserPolicy', 'arn:aws:iam::${account}:user/*', '{}'),
  ('PutGroupPolicy', 1, 'iam:PutGroupPolicy', 'arn:aws:iam::${account}:group/*', '{}'),
  ('PutRolePolicy', 1, 'iam:PutRolePolicy', 'arn:aws:iam::${account}:role/*', '{}'),
  ('AddUserToGroup', 1, 'iam:AddUserToGroup', 'arn:aws:iam::${account}:group/*', '{}'),
  ('UpdateAssumeRolePolicy', 1, 'iam:UpdateAssumeRolePolicy', 'arn:aws:iam::${account}:role/*', '{}'),
  ('UpdateAssumeRolePolicy', 2, 'sts:AssumeRole', 'arn:aws:iam::${account}:role/*', '{}'),
  ('PassRoleToLambda', 1, 'iam:PassRole', 'arn:aws:iam::${account}:role/*', '{"iam:PassedToService":"lambda.amazonaws.com"}'),
  ('PassRoleToLambda', 2, 'lambda:CreateFunction', 'arn:aws:lambda:us-east-1:${account}:function:*', '{}'),
  ('PassRoleToLambda', 3, 'lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:${account}:function:*', '{}'),
  ('PassRoleToGlueDevEndpoint', 1, 'iam:PassRole', 'arn:aws:iam::${account}:role/*', '{"iam:PassedToService":"glue.amazonaws.com"}'),
  ('PassRoleToGlueDevEndpoint', 2, 'glue:CreateDevEndpoint', 'arn:aws:glue:us-east-1:${account}:devEndpoint/*', '{}'),
  ('PassRoleToCloudFormation', 1, 'iam:PassRole', 'arn:aws:iam::${account}:role/*', '{"iam:PassedToService":"cloudformation.amazonaws.com"}'),
  ('PassRoleToCloudFormation', 2, 'cloudformation:CreateStack', 'arn:aws:cloudformation:us-east-1:${account}:stack/*', '{}'),
  ('PassRoleToDataPipeline', 1, 'iam:PassRole', 'arn:aws:iam::${account}:role/*', '{"iam:PassedToService":"datapipeline.amazonaws.com"}'),
  ('PassRoleToDataPipeline', 2, 'datapipeline:CreatePipeline', '*', '{}'),
  ('UpdateLambdaCode', 1, 'lambda:UpdateFunctionCode', 'arn:aws:lambda:us-east-1:${account}:function:*', '{}'),
  ('PassRoleToECSTask', 1, 'iam:PassRole', 'arn:aws:iam::${account}:role/*', '{"iam:PassedToService":"ecs-tasks.amazonaws.com"}'),
  ('PassRoleToECSTask', 2, 'ecs:RegisterTaskDefinition', '*', '{}'),
  ('PassRoleToECSTask', 3, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:${account}:task-definition/*', '{}'),
  ('AssumeAnyRole', 1, 'sts:AssumeRole', 'arn:aws:iam::${account}:role/*', '{}'))
WHERE NOT EXISTS (SELECT 1 FROM inv_meta WHERE key = 'defaults_inserted');

INSERT OR IGNORE INTO inv_meta (key, value) VALUES ('defaults_inserted', '1');

-- Role trust policies as written: a trust policy is the resource policy of sts:AssumeRole on the
-- role (its statements have a Principal and no Resource). The table-valued functions read it as it
-- is, and whole requests decide with it (resource_policy; inv_principal_request below):
--   SELECT r.role_name, s.* FROM inv_role_trust AS r, iam_statements(r.document) AS s;
CREATE VIEW IF NOT EXISTS inv_role_trust AS
SELECT r.account_id, r.name AS role_name, r.arn AS role_arn, r.trust_policy AS document
FROM inv_role AS r
WHERE r.trust_policy IS NOT NULL;

-- Every user and role of every account (groups are not principals).
CREATE VIEW IF NOT EXISTS inv_principal AS
SELECT account_id, 'user' AS kind, name, arn, user_id AS id, path, created_date, boundary_arn, tags
FROM inv_user
UNION ALL
SELECT account_id, 'role', name, arn, role_id, path, created_date, boundary_arn, tags
FROM inv_role;

-- The document in force of each managed policy: its default version.
CREATE VIEW IF NOT EXISTS inv_policy_document AS
SELECT p.account_id, p.arn, p.name, p.aws_managed, p.source, v.version_id, v.document
FROM inv_managed_policy AS p
JOIN inv_policy_version AS v
  ON v.account_id = p.account_id AND v.policy_arn = p.arn AND v.version_id = p.default_version_id;

-- Every policy document that applies to each user and role, one row each:
--   policy_kind  'identity' or 'boundary' (the kind argument of iam_decision_agg()).
--   via          'user' / 'role' (the principal's own), or 'group:<name>' (a user's group).
--   policy_type  'inline' or 'managed' (a boundary is always managed).
--   document     the inline document or the managed policy's default version; NULL when the
--                export references a managed policy that neither it nor the catalog holds
--                (inv_unresolved_policy lists those; iam_decision_agg() skips NULL documents).
-- A managed policy attached both directly and through a group gives two rows; that does not
-- change a decision.
--   SELECT principal_arn, iam_decision_agg(document, :action, :resource, :ctx, policy_kind)
--   FROM inv_effective_policy GROUP BY principal_arn;
CREATE VIEW IF NOT EXISTS inv_effective_policy AS
WITH principal_rows (account_id, principal_kind, principal_name, principal_arn, policy_kind, via,
                     policy_type, policy_name, policy_arn, document) AS (
  -- a user's and a role's own inline policies
  SELECT i.account_id, i.owner_kind, i.owner_name, pr.arn, 'identity', i.owner_kind, 'inline',
         i.policy_name, NULL, i.document
  FROM inv_inline_policy AS i
  JOIN inv_principal AS pr ON pr.account_id = i.account_id AND pr.kind = i.owner_kind AND pr.name = i.owner_name
  UNION ALL
  -- a user's and a role's own attached managed policies
  SELECT a.account_id, a.principal_kind, a.principal_name, pr.arn, 'identity', a.principal_kind, 'managed',
         coalesce(d.name, a.policy_name), a.policy_arn, d.document
  FROM inv_attachment AS a
  JOIN inv_principal AS pr ON pr.account_id = a.account_id AND pr.kind = a.principal_kind AND pr.name = a.principal_name
  LEFT JOIN inv_policy_document AS d ON d.account_id = a.account_id AND d.arn = a.policy_arn
  UNION ALL
  -- the inline policies of a user's groups
  SELECT m.account_id, 'user', m.user_name, u.arn, 'identity', 'group:' || m.group_name, 'inline',
         i.policy_name, NULL, i.document
  FROM inv_group_member AS m
  JOIN inv_user AS u ON u.account_id = m.account_id AND u.name = m.user_name
  JOIN inv_inline_policy AS i ON i.account_id = m.account_id AND i.owner_kind = 'group' AND i.owner_name = m.group_name
  UNION ALL
  -- the managed policies attached to a user's groups
  SELECT m.account_id, 'user', m.user_name, u.arn, 'identity', 'group:' || m.group_name, 'managed',
         coalesce(d.name, a.policy_name), a.policy_arn, d.document
  FROM inv_group_member AS m
  JOIN inv_user AS u ON u.account_id = m.account_id AND u.name = m.user_name
  JOIN inv_attachment AS a ON a.account_id = m.account_id AND a.principal_kind = 'group' AND a.principal_name = m.group_name
  LEFT JOIN inv_policy_document AS d ON d.account_id = a.account_id AND d.arn = a.policy_arn
  UNION ALL
  -- the permissions boundary of a user or role
  SELECT pr.account_id, pr.kind, pr.name, pr.arn, 'boundary', pr.kind, 'managed',
         coalesce(d.name, substr(pr.boundary_arn, length(rtrim(pr.boundary_arn, replace(pr.boundary_arn, '/', ''))) + 1)),
         pr.boundary_arn, d.document
  FROM inv_principal AS pr
  LEFT JOIN inv_policy_document AS d ON d.account_id = pr.account_id AND d.arn = pr.boundary_arn
  WHERE pr.boundary_arn IS NOT NULL)
SELECT * FROM principal_rows;

-- One row per user and role with all its policies as the argument of iam_decision():
--   policy    '{"identity": [documents...], "boundary": document | null}'
--   identity  the JSON array of its identity documents ('[]' without any)
--   boundary  its boundary document, or NULL (no boundary, or one that is unresolved)
--   has_boundary, unresolved (how many of its documents are unknown: see inv_unresolved_policy)
--   SELECT arn FROM inv_principal_policy
--   WHERE iam_allows(policy, 'iam:PassRole', 'arn:aws:iam::111122223333:role/app', ctx);
CREATE VIEW IF NOT EXISTS inv_principal_policy AS
SELECT pr.account_id, pr.kind, pr.name, pr.arn,
       json_object('identity', json(coalesce(i.docs, '[]')), 'boundary', json(b.document)) AS policy,
       coalesce(i.docs, '[]') AS identity,
       b.document AS boundary,
       pr.boundary_arn IS NOT NULL AS has_boundary,
       coalesce(i.unresolved, 0) + (pr.boundary_arn IS NOT NULL AND b.document IS NULL) AS unresolved
FROM inv_principal AS pr
LEFT JOIN (SELECT principal_arn, json_group_array(json(document)) FILTER (WHERE document IS NOT NULL) AS docs,
                  count(*) - count(document) AS unresolved
           FROM inv_effective_policy WHERE policy_kind = 'identity' GROUP BY principal_arn) AS i
  ON i.principal_arn = pr.arn
LEFT JOIN inv_policy_document AS b ON b.account_id = pr.account_id AND b.arn = pr.boundary_arn;

-- The request context keys that AWS sets from the principal itself, as a JSON object to merge
-- with a request's own keys (json_patch(ctx, request_ctx)): aws:PrincipalArn,
-- aws:PrincipalAccount, aws:PrincipalType ('User' or 'AssumedRole'), aws:username and
-- aws:userid (users only; a role session's ids depend on the session), aws:PrincipalTag/<key>.
CREATE VIEW IF NOT EXISTS inv_principal_context AS
SELECT pr.account_id, pr.kind, pr.name, pr.arn,
       json_patch(json_object('aws:PrincipalArn', pr.arn, 'aws:PrincipalAccount', pr.account_id,
                              'aws:PrincipalType', CASE pr.kind WHEN 'user' THEN 'User' ELSE 'AssumedRole' END,
                              'aws:username', CASE pr.kind WHEN 'user' THEN pr.name END,
                              'aws:userid', CASE pr.kind WHEN 'user' THEN pr.id END),
                  coalesce((SELECT json_group_object('aws:PrincipalTag/' || t.key, t.value)
                            FROM json_each(pr.tags) AS t), '{}')) AS ctx
FROM inv_principal AS pr;

-- Every user and role as the caller of a whole request (ext/README.md, "Whole requests"):
--   caller   the principal of the request: a user's ARN; for a role, a session of it
--            (arn:aws:sts::ACCOUNT:assumed-role/NAME/sqlite-iam), since a role acts through sessions
--   request  the object form without the resource side: {"principal", "identity", "boundary"};
--            add "resource_policy", "scps", "rcps" with json_set() and pass it to iam_decision()
--   ctx      the principal's own context keys (inv_principal_context), which win over the keys a
--            whole request derives (so aws:PrincipalArn keeps the role's path)
--   SELECT caller FROM inv_principal_request
--   WHERE iam_allows(json_set(request, '$.resource_policy', json(:trust)), 'sts:AssumeRole', :role, ctx);
CREATE VIEW IF NOT EXISTS inv_principal_request AS
SELECT p.account_id, p.kind, p.name, p.arn,
       CASE p.kind WHEN 'user' THEN p.arn
                   ELSE 'arn:aws:sts::' || p.account_id || ':assumed-role/' || p.name || '/sqlite-iam' END AS caller,
       json_object('principal', CASE p.kind WHEN 'user' THEN p.arn
                                ELSE 'arn:aws:sts::' || p.account_id || ':assumed-role/' || p.name || '/sqlite-iam' END,
                   'identity', json(p.identity), 'boundary', json(p.boundary)) AS request,
       c.ctx
FROM inv_principal_policy AS p
JOIN inv_principal_context AS c ON c.arn = p.arn;

-- Managed policies that an export references (attachment or boundary) but that neither the export
-- nor the catalog held, so their documents are unknown: decisions leave them out (an unknown
-- identity policy grants nothing; an unknown boundary is treated as no boundary).
CREATE VIEW IF NOT EXISTS inv_unresolved_policy AS
SELECT a.account_id, a.policy_arn, 'attached to ' || a.principal_kind || ' ' || a.principal_name AS used_as
FROM inv_attachment AS a
WHERE NOT EXISTS (SELECT 1 FROM inv_managed_policy AS p WHERE p.account_id = a.account_id AND p.arn = a.policy_arn)
UNION ALL
SELECT pr.account_id, pr.boundary_arn, 'boundary of ' || pr.kind || ' ' || pr.name
FROM inv_principal AS pr
WHERE pr.boundary_arn IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM inv_managed_policy AS p WHERE p.account_id = pr.account_id AND p.arn = pr.boundary_arn);

COMMIT;
