-- sql/lint/tables.sql: the editable lists of the linter's data-driven checks (iam_lint(),
-- ext/LINT.md), with their default rows.
--
-- Purpose:   lint_global_condition_key (condition keys valid with every action, with their
--            types), lint_escalation_rule / lint_escalation_action (PRIVILEGE_ESCALATION: sets of
--            actions that together let a principal raise its own privileges),
--            lint_credentials_action (CREDENTIALS_EXPOSURE), lint_sensitive_access
--            (SENSITIVE_ACCESS: action and resource patterns), lint_resource_policy_action
--            (RESOURCE_POLICY_PRIVILEGE_ESCALATION: actions that rewrite a resource's own policy),
--            lint_paired_condition_key (MISSING_PAIRED_CONDITION_KEYS).
-- Needs:     the sqlite3 shell only. iam_lint() reads these tables from the database the query
--            runs in when they are there; a check whose table is missing is skipped and said so.
-- Run:       scripts/build-catalog.sh applies it to every catalog (after sql/catalog/actions.sql). By
--            hand: sqlite3 my.db < sql/lint/tables.sql
--            Idempotent (IF NOT EXISTS), one transaction. The default rows go in once, the first
--            time this file runs on a database (lint_meta 'defaults_inserted'), so that rows you
--            delete or change stay that way when it runs again.
--
-- Version: the row ('schema_version', N) of lint_meta:
--   1  first version.
--
-- Data: the condition keys and action names are AWS facts, from AWS's documentation ("AWS global
-- condition context keys", the Service Authorization Reference); the escalation sets follow
-- Rhino Security Labs' list of IAM privilege-escalation methods, as sql/inventory/schema.sql does.

BEGIN;

CREATE TABLE IF NOT EXISTS lint_meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO lint_meta (key, value) VALUES ('schema_version', '1');

-- Condition keys that every action takes (aws:* and the cross-service keys), as the catalog's
-- condition_key table writes them: a ${...} stands for any name ('aws:PrincipalTag/${TagKey}').
--   type   String, ARN, Bool, Numeric, Date, IPAddress, or ArrayOf... for multivalued keys.
CREATE TABLE IF NOT EXISTS lint_global_condition_key (
  name TEXT PRIMARY KEY NOT NULL COLLATE NOCASE CHECK (name GLOB '?*:?*'),
  type TEXT NOT NULL CHECK (replace(type, 'ArrayOf', '') IN ('String', 'ARN', 'Bool', 'Numeric',
                                                              'Date', 'IPAddress', 'Binary'))
) WITHOUT ROWID;

-- PRIVILEGE_ESCALATION: a rule applies when the policy allows every one of its actions (on any
-- resource, whatever the conditions) and no unconditional Deny on "*" takes one back.
CREATE TABLE IF NOT EXISTS lint_escalation_rule (
  name        TEXT PRIMARY KEY NOT NULL,
  description TEXT NOT NULL,
  reference   TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lint_escalation_action (
  rule   TEXT NOT NULL REFERENCES lint_escalation_rule (name) ON DELETE CASCADE ON UPDATE CASCADE,
  step   INTEGER NOT NULL CHECK (step >= 1),
  action TEXT NOT NULL CHECK (action GLOB '?*:?*' AND action NOT GLOB '*[*?]*'),
  PRIMARY KEY (rule, step)
) WITHOUT ROWID;

-- CREDENTIALS_EXPOSURE: actions whose answer holds credentials, keys, tokens or passwords.
CREATE TABLE IF NOT EXISTS lint_credentials_action (
  action TEXT PRIMARY KEY NOT NULL COLLATE NOCASE CHECK (action GLOB '?*:?*' AND action NOT GLOB '*[*?]*')
) WITHOUT ROWID;

-- SENSITIVE_ACCESS: an Allow statement whose actions overlap `action` on resources that overlap
-- `resource` (both patterns, '*' and '?' wildcards).
CREATE TABLE IF NOT EXISTS lint_sensitive_access (
  action   TEXT NOT NULL CHECK (action GLOB '?*:?*'),
  resource TEXT NOT NULL CHECK (length(resource) > 0),
  PRIMARY KEY (action, resource)
) WITHOUT ROWID;

-- RESOURCE_POLICY_PRIVILEGE_ESCALATION: actions that rewrite a resource's own policy (bucket,
-- queue, topic, key, function, repository, secret policies, a role's trust policy).
CREATE TABLE IF NOT EXISTS lint_resource_policy_action (
  action TEXT PRIMARY KEY NOT NULL COLLATE NOCASE CHECK (action GLOB '?*:?*' AND action NOT GLOB '*[*?]*')
) WITHOUT ROWID;

-- MISSING_PAIRED_CONDITION_KEYS: a condition on condition_key in an Allow statement needs a
-- condition on one of its paired keys too.
CREATE TABLE IF NOT EXISTS lint_paired_condition_key (
  condition_key TEXT NOT NULL COLLATE NOCASE,
  paired_key    TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (condition_key, paired_key)
) WITHOUT ROWID;

-- ---- default rows, once ----------------------------------------------------------------------

INSERT INTO lint_global_condition_key (name, type)
SELECT * FROM (VALUES
  ('aws:CalledVia', 'ArrayOfString'), ('aws:CalledViaFirst', 'String'),
  ('aws:CalledViaLast', 'String'), ('aws:CurrentTime', 'Date'), ('aws:EpochTime', 'Date'),
  ('aws:FederatedProvider', 'String'), ('aws:MultiFactorAuthAge', 'Numeric'),
  ('aws:MultiFactorAuthPresent', 'Bool'), ('aws:PrincipalAccount', 'String'),
  ('aws:PrincipalArn', 'ARN'), ('aws:PrincipalIsAWSService', 'Bool'),
  ('aws:PrincipalOrgID', 'String'), ('aws:PrincipalOrgPaths', 'ArrayOfString'),
  ('aws:PrincipalServiceName', 'String'), ('aws:PrincipalServiceNamesList', 'ArrayOfString'),
  ('aws:PrincipalTag/${TagKey}', 'String'), ('aws:PrincipalType', 'String'),
  ('aws:AssumedRoot', 'String'), ('aws:referer', 'String'), ('aws:RequestedRegion', 'String'),
  ('aws:RequestTag/${TagKey}', 'String'), ('aws:ResourceAccount', 'String'),
  ('aws:ResourceOrgID', 'String'), ('aws:ResourceOrgPaths', 'ArrayOfString'),
  ('aws:ResourceTag/${TagKey}', 'String'), ('aws:SecureTransport', 'Bool'),
  ('aws:SourceAccount', 'String'), ('aws:SourceArn', 'ARN'), ('aws:SourceIdentity', 'String'),
  ('aws:SourceIp', 'IPAddress'), ('aws:SourceOrgID', 'String'),
  ('aws:SourceOrgPaths', 'ArrayOfString'), ('aws:SourceVpc', 'String'),
  ('aws:SourceVpcArn', 'ARN'), ('aws:SourceVpce', 'String'), ('aws:TagKeys', 'ArrayOfString'),
  ('aws:TokenIssueTime', 'Date'), ('aws:UserAgent', 'String'), ('aws:userid', 'String'),
  ('aws:username', 'String'), ('aws:ViaAWSService', 'Bool'), ('aws:VpcSourceIp', 'IPAddress'),
  ('aws:VpceAccount', 'String'), ('aws:VpceOrgID', 'String'),
  ('aws:VpceOrgPaths', 'ArrayOfString'), ('aws:Ec2InstanceSourceVpc', 'String'),
  ('aws:Ec2InstanceSourcePrivateIPv4', 'IPAddress'), ('ec2:RoleDelivery', 'Numeric'),
  ('ec2:SourceInstanceArn', 'ARN'), ('glue:RoleAssumedBy', 'String'),
  ('glue:CredentialIssuingService', 'String'), ('lambda:SourceFunctionArn', 'ARN'),
  ('ssm:SourceInstanceArn', 'ARN'), ('identitystore:UserId', 'String'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT INTO lint_escalation_rule (name, description, reference)
SELECT * FROM (VALUES
  ('CreatePolicyVersion', 'write a new default version of a managed policy', 'rhino-1'),
  ('SetDefaultPolicyVersion', 'make an older, broader version of a policy the default', 'rhino-2'),
  ('PassRoleToEC2', 'launch an instance with an existing role', 'rhino-3'),
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
  ('PassRoleToLambdaEventSource', 'create a Lambda function with an existing role and trigger it', 'rhino-16'),
  ('UpdateLambdaCode', 'replace the code of a function that runs as its role', 'rhino-17'),
  ('PassRoleToGlueDevEndpoint', 'create a Glue development endpoint with an existing role', 'rhino-18'),
  ('UpdateGlueDevEndpoint', 'add an SSH key to a Glue development endpoint', 'rhino-19'),
  ('PassRoleToCloudFormation', 'create a stack that runs as an existing role', 'rhino-20'),
  ('PassRoleToDataPipeline', 'create a pipeline that runs as an existing role', 'rhino-21'),
  ('PassRoleToECSTask', 'register a task definition with an existing role and run it', 'ecs'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT INTO lint_escalation_action (rule, step, action)
SELECT * FROM (VALUES
  ('CreatePolicyVersion', 1, 'iam:CreatePolicyVersion'),
  ('SetDefaultPolicyVersion', 1, 'iam:SetDefaultPolicyVersion'),
  ('PassRoleToEC2', 1, 'iam:PassRole'), ('PassRoleToEC2', 2, 'ec2:RunInstances'),
  ('CreateAccessKey', 1, 'iam:CreateAccessKey'),
  ('CreateLoginProfile', 1, 'iam:CreateLoginProfile'),
  ('UpdateLoginProfile', 1, 'iam:UpdateLoginProfile'),
  ('AttachUserPolicy', 1, 'iam:AttachUserPolicy'),
  ('AttachGroupPolicy', 1, 'iam:AttachGroupPolicy'),
  ('AttachRolePolicy', 1, 'iam:AttachRolePolicy'),
  ('PutUserPolicy', 1, 'iam:PutUserPolicy'),
  ('PutGroupPolicy', 1, 'iam:PutGroupPolicy'),
  ('PutRolePolicy', 1, 'iam:PutRolePolicy'),
  ('AddUserToGroup', 1, 'iam:AddUserToGroup'),
  ('UpdateAssumeRolePolicy', 1, 'iam:UpdateAssumeRolePolicy'),
  ('UpdateAssumeRolePolicy', 2, 'sts:AssumeRole'),
  ('PassRoleToLambda', 1, 'iam:PassRole'), ('PassRoleToLambda', 2, 'lambda:CreateFunction'),
  ('PassRoleToLambda', 3, 'lambda:InvokeFunction'),
  ('PassRoleToLambdaEventSource', 1, 'iam:PassRole'),
  ('PassRoleToLambdaEventSource', 2, 'lambda:CreateFunction'),
  ('PassRoleToLambdaEventSource', 3, 'lambda:CreateEventSourceMapping'),
  ('UpdateLambdaCode', 1, 'lambda:UpdateFunctionCode'),
  ('PassRoleToGlueDevEndpoint', 1, 'iam:PassRole'),
  ('PassRoleToGlueDevEndpoint', 2, 'glue:CreateDevEndpoint'),
  ('UpdateGlueDevEndpoint', 1, 'glue:UpdateDevEndpoint'),
  ('PassRoleToCloudFormation', 1, 'iam:PassRole'),
  ('PassRoleToCloudFormation', 2, 'cloudformation:CreateStack'),
  ('PassRoleToDataPipeline', 1, 'iam:PassRole'),
  ('PassRoleToDataPipeline', 2, 'datapipeline:CreatePipeline'),
  ('PassRoleToDataPipeline', 3, 'datapipeline:PutPipelineDefinition'),
  ('PassRoleToECSTask', 1, 'iam:PassRole'), ('PassRoleToECSTask', 2, 'ecs:RegisterTaskDefinition'),
  ('PassRoleToECSTask', 3, 'ecs:RunTask'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT INTO lint_credentials_action (action)
SELECT * FROM (VALUES
  ('chime:CreateApiKey'), ('codeartifact:GetAuthorizationToken'), ('codepipeline:PollForJobs'),
  ('cognito-identity:GetCredentialsForIdentity'), ('cognito-identity:GetOpenIdToken'),
  ('cognito-identity:GetOpenIdTokenForDeveloperIdentity'), ('connect:GetFederationToken'),
  ('ec2:GetPasswordData'), ('ecr:GetAuthorizationToken'), ('gamelift:GetInstanceAccess'),
  ('gamelift:RequestUploadCredentials'), ('iam:CreateAccessKey'), ('iam:CreateLoginProfile'),
  ('iam:CreateServiceSpecificCredential'), ('iam:ResetServiceSpecificCredential'),
  ('iam:UpdateAccessKey'), ('lightsail:GetInstanceAccessDetails'),
  ('lightsail:GetRelationalDatabaseMasterUserPassword'),
  ('mediapackage:RotateIngestEndpointCredentials'), ('rds-db:connect'),
  ('redshift:GetClusterCredentials'), ('redshift:GetClusterCredentialsWithIAM'),
  ('sso:GetRoleCredentials'), ('sts:AssumeRole'), ('sts:AssumeRoleWithSAML'),
  ('sts:AssumeRoleWithWebIdentity'), ('sts:GetFederationToken'), ('sts:GetSessionToken'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT INTO lint_sensitive_access (action, resource)
SELECT * FROM (VALUES
  ('secretsmanager:GetSecretValue', '*'), ('ssm:GetParameter', '*'), ('ssm:GetParameters', '*'),
  ('ssm:GetParametersByPath', '*'), ('kms:Decrypt', '*'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT INTO lint_resource_policy_action (action)
SELECT * FROM (VALUES
  ('backup:PutBackupVaultAccessPolicy'), ('codeartifact:PutRepositoryPermissionsPolicy'),
  ('ecr:SetRepositoryPolicy'), ('efs:PutFileSystemPolicy'), ('events:PutPermission'),
  ('glacier:SetVaultAccessPolicy'), ('glue:PutResourcePolicy'), ('iam:UpdateAssumeRolePolicy'),
  ('kms:PutKeyPolicy'), ('lambda:AddLayerVersionPermission'), ('lambda:AddPermission'),
  ('logs:PutResourcePolicy'), ('s3:PutAccessPointPolicy'), ('s3:PutBucketAcl'),
  ('s3:PutBucketPolicy'), ('s3:PutObjectAcl'), ('secretsmanager:PutResourcePolicy'),
  ('sns:AddPermission'), ('sns:SetTopicAttributes'), ('sqs:AddPermission'),
  ('sqs:SetQueueAttributes'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT INTO lint_paired_condition_key (condition_key, paired_key)
SELECT * FROM (VALUES ('aws:VpcSourceIp', 'aws:SourceVpc'), ('aws:VpcSourceIp', 'aws:SourceVpce'))
WHERE NOT EXISTS (SELECT 1 FROM lint_meta WHERE key = 'defaults_inserted');

INSERT OR IGNORE INTO lint_meta (key, value) VALUES ('defaults_inserted', '1');

COMMIT;
