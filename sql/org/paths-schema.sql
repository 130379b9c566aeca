-- SPDX-License-Identifier: MIT
-- sql/org/paths-schema.sql: privilege-escalation paths as a graph. The editable edge rules
-- (esc_rule, esc_rule_step, esc_setting), the materialized graph (inv_node, inv_edge: filled by
-- sql/org/build-paths.sql through scripts/build-paths.sh), and the views over it: the request
-- behind every step of an edge (inv_edge_request, to decide or explain it again:
-- inv_edge_explain), the reach of every principal (inv_reach) and the shortest way of every
-- principal to an administrator (inv_admin_path), both recursive CTEs.
--
-- Needs:     sql/inventory/schema.sql and sql/org/schema.sql applied first. The build, the
--            request view's decisions and inv_edge_explain need the extension (.load ./dist/iam).
-- Run:       by scripts/build-paths.sh (and by the import scripts, so that the rules can be edited
--            before the first build). By hand: sqlite3 inventory.db < sql/org/paths-schema.sql.
--            Idempotent (IF NOT EXISTS), one transaction; the default rules are inserted once
--            (the first time this file runs on a database), so that edits and deletions survive.
--
-- The graph. Nodes are the users and roles of the inventory, and its groups (a group is reached
-- by joining it or by being a member; it has no edges of its own). An edge src -> dst of a rule
-- exists when every step of the rule, a request made by src, is allowed by iam_decision on the
-- whole request: src's identity policies and permissions boundary, the SCPs of src's account,
-- the resource's policy (a role's trust policy for sts actions), the resource account and its
-- RCPs; and, for rules that hand a role to a service, when the role's trust policy lets that
-- service assume it. An edge has an effect:
--   act    src can act with dst's permissions (assume it, run code as it, take over its
--          credentials, rewrite its trust and assume it, join the group);
--   grant  src can give dst any permission (attach or write its policies, a new default
--          version of a policy it has).
-- A principal is an administrator when the evaluator allows it '*' on '*' or 'iam:*' on '*' (its
-- whole request: boundary and SCPs count), whatever its policies are called. A principal "can
-- become admin" when it reaches (act edges, shortest first) an administrator, or a principal
-- that can grant itself, or a principal it reaches, any permission.

BEGIN;

-- Settings of the build: region (the region of the requests: aws:RequestedRegion and ${region}
-- in the rules' ARNs) and max_hops (the longest path followed).
CREATE TABLE IF NOT EXISTS esc_setting (
  key   TEXT PRIMARY KEY NOT NULL CHECK (key IN ('region', 'max_hops')),
  value TEXT NOT NULL,
  CHECK (key <> 'max_hops' OR (CAST(value AS INTEGER) BETWEEN 1 AND 32 AND value NOT GLOB '*[^0-9]*')),
  CHECK (key <> 'region' OR (value GLOB '[a-z]*-[a-z]*-[0-9]*' AND value NOT GLOB '*[^a-z0-9-]*'))
) WITHOUT ROWID;

-- Edge rules. Edit freely: add rules, delete the ones you accept, narrow resources. A rule:
--   name           its name (the edge's rule)
--   family         assume, pass-role, credentials, trust-edit, modify, join (for reading only)
--   effect         act or grant (above)
--   target         what dst ranges over: 'role', 'user', 'group' (of src's account; with
--                  cross_account = 1, of every account), 'policy' (every user or role of src's
--                  account with the customer-managed policies it has, directly or through a
--                  group: ${policy}), 'policy-version' (the same, for each non-default version of
--                  such a policy that allows '*' or 'iam:*' on '*')
--   cross_account  1: targets in every account of the inventory (an AssumeRole across accounts)
--   source_kind    'user' or 'role' to take only such sources; NULL for both
--   trust_service  a service principal (ecs-tasks.amazonaws.com): the target role's trust policy
--                  must let it assume the role (decided with the service as the caller, with
--                  trust_context), or no edge
--   trust_context  the context of that request (templates below)
-- Steps (esc_rule_step): requests src must be allowed, in order; resource and context are
-- templates, and resource_policy, when not NULL, is the policy to decide the step with instead
-- of the resource's own (UpdateAssumeRolePolicy: the trust policy src would write).
-- Templates: ${account} src's account, ${source} src's ARN, ${target} dst's ARN,
-- ${target_account} dst's account, ${policy} the policy of a 'policy' or 'policy-version'
-- target, ${region} the region setting. A request resource is literal: '*' in it is a character.
CREATE TABLE IF NOT EXISTS esc_rule (
  name          TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9_.-]*'),
  family        TEXT NOT NULL CHECK (family IN ('assume', 'pass-role', 'credentials', 'trust-edit', 'modify', 'join')),
  effect        TEXT NOT NULL CHECK (effect IN ('act', 'grant')),
  target        TEXT NOT NULL CHECK (target IN ('role', 'user', 'group', 'policy', 'policy-version')),
  cross_account INTEGER NOT NULL DEFAULT 0 CHECK (cross_account IN (0, 1)),
  source_kind   TEXT CHECK (source_kind IN ('user', 'role')),
  trust_service TEXT CHECK (trust_service GLOB '?*.amazonaws.com'),
  trust_context TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(trust_context) AND json_type(trust_context) = 'object'),
  description   TEXT NOT NULL,
  reference     TEXT,
  CHECK (trust_service IS NULL OR target = 'role'),
  CHECK (effect = 'act' OR target <> 'group' OR family = 'modify')
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS esc_rule_step (
  rule            TEXT NOT NULL REFERENCES esc_rule (name) ON DELETE CASCADE ON UPDATE CASCADE,
  step            INTEGER NOT NULL CHECK (step BETWEEN 1 AND 8),
  action          TEXT NOT NULL CHECK (action GLOB '?*:?*' AND action NOT GLOB '*[*?]*'),
  resource        TEXT NOT NULL CHECK (length(resource) > 0),
  context         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context) AND json_type(context) = 'object'),
  resource_policy TEXT CHECK (resource_policy IS NULL OR (json_valid(resource_policy) AND json_type(resource_policy) = 'object')),
  PRIMARY KEY (rule, step)
) WITHOUT ROWID;

-- The defaults, once: a later run of this file (every import runs it) keeps your edits.
INSERT OR IGNORE INTO esc_setting (key, value)
SELECT * FROM (VALUES ('region', 'us-east-1'), ('max_hops', '8'))
WHERE NOT EXISTS (SELECT 1 FROM inv_meta WHERE key = 'esc_defaults_inserted');

INSERT OR IGNORE INTO esc_rule (name, family, effect, target, cross_account, source_kind, trust_service, trust_context, description, reference)
SELECT * FROM (VALUES
  ('AssumeRole', 'assume', 'act', 'role', 1, NULL, NULL, '{}',
   'sts:AssumeRole on the role: its trust policy and the caller''s policies, across accounts', 'sts'),
  ('PassRoleToECSTask', 'pass-role', 'act', 'role', 0, NULL, 'ecs-tasks.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'register a task definition with the role and run it (iam:PassRole to ecs-tasks, ecs:RegisterTaskDefinition, ecs:RunTask)', 'ecs'),
  ('PassRoleToEC2', 'pass-role', 'act', 'role', 0, NULL, 'ec2.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'launch an instance whose instance profile holds the role (iam:PassRole to ec2, ec2:RunInstances)', 'rhino-3'),
  ('PassRoleToLambda', 'pass-role', 'act', 'role', 0, NULL, 'lambda.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'create a Lambda function with the role and invoke it', 'rhino-15'),
  ('PassRoleToGlue', 'pass-role', 'act', 'role', 0, NULL, 'glue.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'create a Glue development endpoint with the role', 'rhino-18'),
  ('PassRoleToCloudFormation', 'pass-role', 'act', 'role', 0, NULL, 'cloudformation.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'create a CloudFormation stack that runs as the role', 'rhino-20'),
  ('PassRoleToCodeBuild', 'pass-role', 'act', 'role', 0, NULL, 'codebuild.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'create a CodeBuild project with the role and start a build', 'codebuild'),
  ('PassRoleToSageMaker', 'pass-role', 'act', 'role', 0, NULL, 'sagemaker.amazonaws.com', '{"aws:SourceAccount":"${account}"}',
   'create a SageMaker notebook instance with the role and open it', 'sagemaker'),
  ('CreateAccessKey', 'credentials', 'act', 'user', 0, NULL, NULL, '{}', 'create access keys for the user', 'rhino-4'),
  ('CreateLoginProfile', 'credentials', 'act', 'user', 0, NULL, NULL, '{}', 'set a console password for the user', 'rhino-5'),
  ('UpdateLoginProfile', 'credentials', 'act', 'user', 0, NULL, NULL, '{}', 'change the user''s console password', 'rhino-6'),
  ('UpdateAssumeRolePolicy', 'trust-edit', 'act', 'role', 0, NULL, NULL, '{}',
   'rewrite the role''s trust policy to name the source, then assume the role', 'rhino-14'),
  ('AttachUserPolicy', 'modify', 'grant', 'user', 0, NULL, NULL, '{}', 'attach AdministratorAccess to the user', 'rhino-7'),
  ('AttachRolePolicy', 'modify', 'grant', 'role', 0, NULL, NULL, '{}', 'attach AdministratorAccess to the role', 'rhino-9'),
  ('AttachGroupPolicy', 'modify', 'grant', 'group', 0, NULL, NULL, '{}', 'attach AdministratorAccess to the group', 'rhino-8'),
  ('PutUserPolicy', 'modify', 'grant', 'user', 0, NULL, NULL, '{}', 'write an inline policy of the user', 'rhino-10'),
  ('PutRolePolicy', 'modify', 'grant', 'role', 0, NULL, NULL, '{}', 'write an inline policy of the role', 'rhino-12'),
  ('PutGroupPolicy', 'modify', 'grant', 'group', 0, NULL, NULL, '{}', 'write an inline policy of the group', 'rhino-11'),
  ('CreatePolicyVersion', 'modify', 'grant', 'policy', 0, NULL, NULL, '{}',
   'write a new default version of a customer-managed policy the principal has', 'rhino-1'),
  ('SetDefaultPolicyVersion', 'modify', 'grant', 'policy-version', 0, NULL, NULL, '{}',
   'make an administrator version of a policy the principal has its default', 'rhino-2'),
  ('AddUserToGroup', 'join', 'act', 'group', 0, 'user', NULL, '{}', 'add itself to the group', 'rhino-13'))
WHERE NOT EXISTS (SELECT 1 FROM inv_meta WHERE key = 'esc_defaults_inserted');

INSERT OR IGNORE INTO esc_rule_step (rule, step, action, resource, context, resource_policy)
SELECT * FROM (VALUES
  ('AssumeRole', 1, 'sts:AssumeRole', '${target}', '{}', NULL),
  ('PassRoleToECSTask', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"ecs-tasks.amazonaws.com"}', NULL),
  ('PassRoleToECSTask', 2, 'ecs:RegisterTaskDefinition', '*', '{}', NULL),
  ('PassRoleToECSTask', 3, 'ecs:RunTask', 'arn:aws:ecs:${region}:${account}:task-definition/*', '{}', NULL),
  ('PassRoleToEC2', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"ec2.amazonaws.com"}', NULL),
  ('PassRoleToEC2', 2, 'ec2:RunInstances', 'arn:aws:ec2:${region}:${account}:instance/*', '{}', NULL),
  ('PassRoleToLambda', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"lambda.amazonaws.com"}', NULL),
  ('PassRoleToLambda', 2, 'lambda:CreateFunction', 'arn:aws:lambda:${region}:${account}:function:*', '{}', NULL),
  ('PassRoleToLambda', 3, 'lambda:InvokeFunction', 'arn:aws:lambda:${region}:${account}:function:*', '{}', NULL),
  ('PassRoleToGlue', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"glue.amazonaws.com"}', NULL),
  ('PassRoleToGlue', 2, 'glue:CreateDevEndpoint', 'arn:aws:glue:${region}:${account}:devEndpoint/*', '{}', NULL),
  ('PassRoleToCloudFormation', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"cloudformation.amazonaws.com"}', NULL),
  ('PassRoleToCloudFormation', 2, 'cloudformation:CreateStack', 'arn:aws:cloudformation:${region}:${account}:stack/*', '{}', NULL),
  ('PassRoleToCodeBuild', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"codebuild.amazonaws.com"}', NULL),
  ('PassRoleToCodeBuild', 2, 'codebuild:CreateProject', 'arn:aws:codebuild:${region}:${account}:project/*', '{}', NULL),
  ('PassRoleToCodeBuild', 3, 'codebuild:StartBuild', 'arn:aws:codebuild:${region}:${account}:project/*', '{}', NULL),
  ('PassRoleToSageMaker', 1, 'iam:PassRole', '${target}', '{"iam:PassedToService":"sagemaker.amazonaws.com"}', NULL),
  ('PassRoleToSageMaker', 2, 'sagemaker:CreateNotebookInstance', 'arn:aws:sagemaker:${region}:${account}:notebook-instance/*', '{}', NULL),
  ('PassRoleToSageMaker', 3, 'sagemaker:CreatePresignedNotebookInstanceUrl', 'arn:aws:sagemaker:${region}:${account}:notebook-instance/*', '{}', NULL),
  ('CreateAccessKey', 1, 'iam:CreateAccessKey', '${target}', '{}', NULL),
  ('CreateLoginProfile', 1, 'iam:CreateLoginProfile', '${target}', '{}', NULL),
  ('UpdateLoginProfile', 1, 'iam:UpdateLoginProfile', '${target}', '{}', NULL),
  ('UpdateAssumeRolePolicy', 1, 'iam:UpdateAssumeRolePolicy', '${target}', '{}', NULL),
  ('UpdateAssumeRolePolicy', 2, 'sts:AssumeRole', '${target}', '{}',
   '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"${source}"},"Action":"sts:AssumeRole"}]}'),
  ('AttachUserPolicy', 1, 'iam:AttachUserPolicy', '${target}', '{"iam:PolicyARN":"arn:aws:iam::aws:policy/AdministratorAccess"}', NULL),
  ('AttachRolePolicy', 1, 'iam:AttachRolePolicy', '${target}', '{"iam:PolicyARN":"arn:aws:iam::aws:policy/AdministratorAccess"}', NULL),
  ('AttachGroupPolicy', 1, 'iam:AttachGroupPolicy', '${target}', '{"iam:PolicyARN":"arn:aws:iam::aws:policy/AdministratorAccess"}', NULL),
  ('PutUserPolicy', 1, 'iam:PutUserPolicy', '${target}', '{}', NULL),
  ('PutRolePolicy', 1, 'iam:PutRolePolicy', '${target}', '{}', NULL),
  ('PutGroupPolicy', 1, 'iam:PutGroupPolicy', '${target}', '{}', NULL),
  ('CreatePolicyVersion', 1, 'iam:CreatePolicyVersion', '${policy}', '{}', NULL),
  ('SetDefaultPolicyVersion', 1, 'iam:SetDefaultPolicyVersion', '${policy}', '{}', NULL),
  ('AddUserToGroup', 1, 'iam:AddUserToGroup', '${target}', '{}', NULL))
WHERE NOT EXISTS (SELECT 1 FROM inv_meta WHERE key = 'esc_defaults_inserted');

INSERT OR IGNORE INTO inv_meta (key, value) VALUES ('esc_defaults_inserted', '1');

-- The nodes of the last build: every user and role (and group) with the request it makes as a
-- caller (request: the object form without the resource side, identity documents in the order
-- of names), its context keys, its trust policy (roles), the RCP levels and organization keys
-- (aws:ResourceOrgID, aws:ResourceOrgPaths) of its account as the owner of a resource, and
-- whether it is an administrator (admin, with admin_by: the action allowed on '*'). Filled by
-- sql/org/build-paths.sql.
CREATE TABLE IF NOT EXISTS inv_node (
  arn        TEXT PRIMARY KEY NOT NULL,
  account_id TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('user', 'role', 'group')),
  name       TEXT NOT NULL,
  label      TEXT NOT NULL,
  request    TEXT,
  ctx        TEXT,
  names      TEXT,
  boundary   TEXT,
  trust      TEXT,
  rcps       TEXT,
  org_keys   TEXT NOT NULL DEFAULT '{}',
  admin      INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
  admin_by   TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_node_by_account ON inv_node (account_id, kind);

-- The edges of the last build: src can take rule to dst (via: the policy of a 'policy' or
-- 'policy-version' target, '' otherwise). evidence, a JSON object: the rule, its effect, and per
-- step the request (action, resource), the decision and what allowed it: the identity policies
-- that allow it on their own, the boundary, the resource or trust policy, the SCPs and RCPs in
-- force ({"rule", "effect", "steps": [{"step", "action", "resource", "decision", "allowed_by"}]});
-- step 0 is the trust requirement of a pass-role rule, decided with the service as the caller.
-- During a build, NULL evidence marks a candidate not yet decided.
CREATE TABLE IF NOT EXISTS inv_edge (
  src      TEXT NOT NULL,
  dst      TEXT NOT NULL,
  rule     TEXT NOT NULL,
  via      TEXT NOT NULL DEFAULT '',
  effect   TEXT NOT NULL CHECK (effect IN ('act', 'grant')),
  evidence TEXT CHECK (evidence IS NULL OR json_valid(evidence)),
  PRIMARY KEY (src, dst, rule, via)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_edge_by_dst ON inv_edge (dst);

-- What the last build was: built (UTC), region, max_hops, and counts. A change to the inventory,
-- the organization, the resource policies, the rules or the settings empties it (the triggers
-- below, one per table and kind of change): the reports then say that the graph is not built,
-- rather than show an old one.
CREATE TABLE IF NOT EXISTS esc_build (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS esc_stale_inv_account_i AFTER INSERT ON inv_account BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_account_d AFTER DELETE ON inv_account BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_user_i AFTER INSERT ON inv_user BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_user_u AFTER UPDATE ON inv_user BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_user_d AFTER DELETE ON inv_user BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_role_i AFTER INSERT ON inv_role BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_role_u AFTER UPDATE ON inv_role BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_role_d AFTER DELETE ON inv_role BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_group_i AFTER INSERT ON inv_group BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_group_d AFTER DELETE ON inv_group BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_group_member_i AFTER INSERT ON inv_group_member BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_group_member_d AFTER DELETE ON inv_group_member BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_inline_policy_i AFTER INSERT ON inv_inline_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_inline_policy_u AFTER UPDATE ON inv_inline_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_inline_policy_d AFTER DELETE ON inv_inline_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_managed_policy_i AFTER INSERT ON inv_managed_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_managed_policy_u AFTER UPDATE ON inv_managed_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_managed_policy_d AFTER DELETE ON inv_managed_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_policy_version_i AFTER INSERT ON inv_policy_version BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_policy_version_u AFTER UPDATE ON inv_policy_version BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_policy_version_d AFTER DELETE ON inv_policy_version BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_attachment_i AFTER INSERT ON inv_attachment BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_attachment_u AFTER UPDATE ON inv_attachment BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_attachment_d AFTER DELETE ON inv_attachment BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_organization_i AFTER INSERT ON org_organization BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_organization_d AFTER DELETE ON org_organization BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_node_i AFTER INSERT ON org_node BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_node_u AFTER UPDATE ON org_node BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_node_d AFTER DELETE ON org_node BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_root_policy_type_i AFTER INSERT ON org_root_policy_type BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_root_policy_type_u AFTER UPDATE ON org_root_policy_type BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_root_policy_type_d AFTER DELETE ON org_root_policy_type BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_policy_i AFTER INSERT ON org_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_policy_u AFTER UPDATE ON org_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_policy_d AFTER DELETE ON org_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_attachment_i AFTER INSERT ON org_attachment BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_org_attachment_d AFTER DELETE ON org_attachment BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_resource_policy_i AFTER INSERT ON inv_resource_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_resource_policy_u AFTER UPDATE ON inv_resource_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_inv_resource_policy_d AFTER DELETE ON inv_resource_policy BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_rule_i AFTER INSERT ON esc_rule BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_rule_u AFTER UPDATE ON esc_rule BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_rule_d AFTER DELETE ON esc_rule BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_rule_step_i AFTER INSERT ON esc_rule_step BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_rule_step_u AFTER UPDATE ON esc_rule_step BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_rule_step_d AFTER DELETE ON esc_rule_step BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_setting_i AFTER INSERT ON esc_setting BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_setting_u AFTER UPDATE ON esc_setting BEGIN DELETE FROM esc_build; END;
CREATE TRIGGER IF NOT EXISTS esc_stale_esc_setting_d AFTER DELETE ON esc_setting BEGIN DELETE FROM esc_build; END;

-- Every request behind every edge (and every candidate during a build), one row per step:
--   src, dst, rule, via, step (0: the trust requirement), caller (src's principal, or the
--   service), action, resource, ctx, request (the object form: pass it with action, resource
--   and ctx to iam_decision or iam_explain), policy (what resource policy took part: 'trust
--   policy of ARN', 'resource policy of ARN', 'the trust policy the source would write', NULL).
-- The build decides edges through this view, so a row decides and explains the same request.
CREATE VIEW IF NOT EXISTS inv_edge_request AS
WITH st AS (
  SELECT e.src, e.dst, e.rule, e.via, s.step, s.action, s.context, s.resource_policy,
         sn.account_id AS src_account, dn.account_id AS dst_account, dn.kind AS dst_kind,
         sn.request AS src_request, sn.ctx AS src_ctx, dn.trust,
         sn.rcps AS src_rcps, dn.rcps AS dst_rcps, sn.org_keys AS src_keys, dn.org_keys AS dst_keys,
         coalesce((SELECT value FROM esc_setting WHERE key = 'region'), 'us-east-1') AS region,
         -- the resource, and whether it is the target's (its account is then the target's)
         replace(replace(replace(replace(replace(replace(s.resource, '${account}', sn.account_id), '${source}', sn.arn),
           '${target_account}', dn.account_id), '${target}', dn.arn), '${policy}', e.via),
           '${region}', coalesce((SELECT value FROM esc_setting WHERE key = 'region'), 'us-east-1')) AS resource,
         instr(s.resource, '${target') > 0 OR instr(s.resource, '${policy}') > 0 AS on_target,
         sn.arn AS src_arn, dn.arn AS dst_arn
  FROM inv_edge AS e
  JOIN esc_rule_step AS s ON s.rule = e.rule
  JOIN inv_node AS sn ON sn.arn = e.src
  JOIN inv_node AS dn ON dn.arn = e.dst),
sub AS (
  SELECT st.*,
         CASE WHEN on_target THEN dst_account ELSE src_account END AS resource_account,
         CASE WHEN on_target THEN dst_rcps ELSE src_rcps END AS rcps,
         CASE WHEN on_target THEN dst_keys ELSE src_keys END AS org_keys,
         CASE WHEN resource_policy IS NOT NULL
                THEN replace(replace(replace(replace(resource_policy, '${account}', src_account), '${source}', src_arn),
                       '${target_account}', dst_account), '${target}', dst_arn)
              WHEN on_target AND dst_kind = 'role' AND lower(substr(action, 1, 4)) = 'sts:' THEN trust
              ELSE (SELECT p.document FROM inv_resource_policy AS p WHERE p.arn = st.resource) END AS policy_doc,
         CASE WHEN resource_policy IS NOT NULL THEN 'the trust policy the source would write'
              WHEN on_target AND dst_kind = 'role' AND lower(substr(action, 1, 4)) = 'sts:' THEN 'trust policy of ' || dst_arn
              WHEN EXISTS (SELECT 1 FROM inv_resource_policy AS p WHERE p.arn = st.resource) THEN 'resource policy of ' || resource
         END AS policy,
         replace(replace(replace(replace(replace(context, '${account}', src_account), '${source}', src_arn),
           '${target_account}', dst_account), '${target}', dst_arn), '${region}', region) AS step_ctx
  FROM st)
SELECT s.src, s.dst, s.rule, s.via, s.step, s.src_request ->> '$.principal' AS caller, s.action, s.resource,
       json_patch(json_patch(json_patch(json_object('aws:RequestedRegion', s.region), s.src_ctx), s.org_keys),
                  s.step_ctx) AS ctx,
       json_set(s.src_request, '$.resource_policy', json(s.policy_doc), '$.resource_account', s.resource_account,
                '$.rcps', json(s.rcps)) AS request,
       s.policy
FROM sub AS s
UNION ALL
-- the trust requirement: the service, as the caller, assumes the role for src's account: the
-- context is the rule's trust_context, after aws:SourceOrgID and aws:SourceOrgPaths of src's
-- account when it is in the organization (a service acting for an account sets them)
SELECT e.src, e.dst, e.rule, e.via, 0, r.trust_service, 'sts:AssumeRole', dn.arn,
       json_patch(json_patch(json_object('aws:RequestedRegion', coalesce((SELECT value FROM esc_setting WHERE key = 'region'), 'us-east-1')),
                             CASE WHEN sn.org_keys ->> '$."aws:ResourceOrgID"' IS NULL THEN '{}'
                                  ELSE json_object('aws:SourceOrgID', sn.org_keys ->> '$."aws:ResourceOrgID"',
                                                   'aws:SourceOrgPaths', json(sn.org_keys -> '$."aws:ResourceOrgPaths"')) END),
                  replace(replace(r.trust_context, '${account}', sn.account_id), '${target_account}', dn.account_id)),
       json_object('principal', r.trust_service, 'resource_policy', json(dn.trust), 'resource_account', dn.account_id,
                   'rcps', json(dn.rcps)),
       'trust policy of ' || dn.arn
FROM inv_edge AS e
JOIN esc_rule AS r ON r.name = e.rule AND r.trust_service IS NOT NULL
JOIN inv_node AS sn ON sn.arn = e.src
JOIN inv_node AS dn ON dn.arn = e.dst;

-- The iam_explain rows of every request behind an edge (filter on src, dst, rule first):
--   SELECT step, action, policy_type, statement_index, decisive, step_reason
--   FROM inv_edge_explain WHERE src = :src AND dst = :dst AND rule = 'PassRoleToECSTask';
CREATE VIEW IF NOT EXISTS inv_edge_explain AS
SELECT r.src, r.dst, r.rule, r.via, r.step AS edge_step, r.caller, r.action, r.resource, r.policy, x.*
FROM inv_edge_request AS r, iam_explain(r.request, r.action, r.resource, r.ctx) AS x;

-- Who reaches whom through act edges (assume, run as, take over, join), shortest first: the closure
-- of the last build, one row per pair (src, dst) with the number of hops and the last node before
-- dst on a shortest path (via). The build fills it breadth first, level by level up to max_hops:
-- a pair keeps the first (shortest) number of hops it was reached with, so cycles are cut; among
-- shortest paths the one through the smallest ARNs is kept.
CREATE TABLE IF NOT EXISTS inv_reach_hop (
  src  TEXT NOT NULL,
  dst  TEXT NOT NULL,
  hops INTEGER NOT NULL CHECK (hops >= 1),
  via  TEXT NOT NULL,
  PRIMARY KEY (src, dst)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_reach_hop_by_hops ON inv_reach_hop (hops);

-- Every pair of inv_reach_hop with its shortest path as text
-- ('100000000004:user/dev =PassRoleToECSTask=> 100000000004:role/task') and as JSON (an array of
-- hops {"from", "to", "rule", "steps"}: the edge's evidence), walked back from dst to src through
-- via by a recursive CTE (on each hop the rule first in name order). A filter does not reach
-- inside the recursion: a query of this view walks every pair (count with inv_reach_hop).
CREATE VIEW IF NOT EXISTS inv_reach AS
WITH RECURSIVE
back (src, dst, node, text, json) AS (
  SELECT r.src, r.dst, r.dst, '', ''
  FROM inv_reach_hop AS r
  UNION ALL
  SELECT k.src, k.dst, p.via, ' =' || e.rule || '=> ' || n.label || k.text,
         json_object('from', p.via, 'to', k.node, 'rule', e.rule, 'steps', json(e.evidence) -> '$.steps')
           || CASE WHEN k.json = '' THEN '' ELSE ',' || k.json END
  FROM back AS k
  JOIN inv_reach_hop AS p ON p.src = k.src AND p.dst = k.node
  JOIN inv_node AS n ON n.arn = k.node
  JOIN inv_edge AS e ON e.src = p.via AND e.dst = k.node AND e.effect = 'act'
   AND e.rule = (SELECT min(x.rule) FROM inv_edge AS x WHERE x.src = p.via AND x.dst = k.node AND x.effect = 'act')
  WHERE k.node <> k.src)
SELECT b.src, b.dst, r.hops, s.label || b.text AS path, '[' || b.json || ']' AS path_json
FROM back AS b
JOIN inv_reach_hop AS r ON r.src = b.src AND r.dst = b.dst
JOIN inv_node AS s ON s.arn = b.src
WHERE b.node = b.src;

-- Who can become an administrator, and how: every user and role that is not one, with the
-- shortest path (act edges) to a principal that is one, or that can grant itself (or a
-- principal it reaches) any permission (a grant edge closes the path). Columns: src, label,
-- hops (act hops, plus 1 for a closing grant), admin (the node that ends the act hops), how
-- ('admin': it is one; the rule of the closing grant edge otherwise), path, path_json (as
-- inv_reach, with the closing grant hop). Ties: a path to an administrator before a grant, then
-- by ARN. A recursive CTE walks each chosen path back from its end.
CREATE VIEW IF NOT EXISTS inv_admin_path AS
WITH RECURSIVE
grant_edge AS MATERIALIZED (
  SELECT g.src, g.dst, g.rule, g.evidence,
         row_number() OVER (PARTITION BY g.src ORDER BY g.src <> g.dst, g.rule, g.dst, g.via) AS k
  FROM inv_edge AS g
  WHERE g.effect = 'grant' AND g.evidence IS NOT NULL
    AND (g.src = g.dst OR EXISTS (SELECT 1 FROM inv_reach_hop AS r WHERE r.src = g.src AND r.dst = g.dst))),
goal (node, how, rule, grant_json) AS MATERIALIZED (
  SELECT arn, 'admin', NULL, NULL FROM inv_node WHERE admin
  UNION ALL
  SELECT g.src, 'grant', g.rule,
         json_object('from', g.src, 'to', g.dst, 'rule', g.rule, 'steps', json(g.evidence) -> '$.steps')
  FROM grant_edge AS g JOIN inv_node AS n ON n.arn = g.src
  WHERE g.k = 1 AND NOT n.admin),
cand (src, hops, admin, how, rule, grant_json) AS (
  SELECT n.arn, 0, n.arn, g.how, g.rule, g.grant_json
  FROM inv_node AS n JOIN goal AS g ON g.node = n.arn AND g.how = 'grant'
  WHERE n.kind IN ('user', 'role') AND NOT n.admin
  UNION ALL
  SELECT r.src, r.hops, r.dst, g.how, g.rule, g.grant_json
  FROM inv_reach_hop AS r JOIN goal AS g ON g.node = r.dst
  JOIN inv_node AS n ON n.arn = r.src
  WHERE n.kind IN ('user', 'role') AND NOT n.admin),
best AS MATERIALIZED (
  SELECT * FROM (SELECT c.*, row_number() OVER (PARTITION BY c.src ORDER BY c.hops + (c.how = 'grant'), c.how = 'grant', c.admin) AS k
                 FROM cand AS c)
  WHERE k = 1),
back (src, node, text, json) AS (
  SELECT b.src, b.admin, '', '' FROM best AS b
  UNION ALL
  SELECT k.src, p.via, ' =' || e.rule || '=> ' || n.label || k.text,
         json_object('from', p.via, 'to', k.node, 'rule', e.rule, 'steps', json(e.evidence) -> '$.steps')
           || CASE WHEN k.json = '' THEN '' ELSE ',' || k.json END
  FROM back AS k
  JOIN inv_reach_hop AS p ON p.src = k.src AND p.dst = k.node
  JOIN inv_node AS n ON n.arn = k.node
  JOIN inv_edge AS e ON e.src = p.via AND e.dst = k.node AND e.effect = 'act'
   AND e.rule = (SELECT min(x.rule) FROM inv_edge AS x WHERE x.src = p.via AND x.dst = k.node AND x.effect = 'act')
  WHERE k.node <> k.src)
SELECT b.src, n.label, b.hops + (b.how = 'grant') AS hops, b.admin,
       CASE b.how WHEN 'admin' THEN 'admin' ELSE b.rule END AS how,
       n.label || k.text || CASE b.how WHEN 'grant' THEN ' =' || b.rule || '=> ' ||
                   CASE WHEN b.grant_json ->> '$.to' = b.admin THEN '(itself: admin)'
                        ELSE (SELECT label FROM inv_node WHERE arn = b.grant_json ->> '$.to') || ' (admin)' END
                 ELSE ' (admin)' END AS path,
       CASE b.how WHEN 'grant' THEN json_insert('[' || k.json || ']', '$[#]', json(b.grant_json))
                  ELSE json('[' || k.json || ']') END AS path_json
FROM best AS b
JOIN back AS k ON k.src = b.src AND k.node = b.src
JOIN inv_node AS n ON n.arn = b.src;

COMMIT;
