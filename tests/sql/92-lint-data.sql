-- iam_lint: the checks that read the action catalog and the lint tables of the database the
-- query runs in. A small catalog made here (the columns sql/actions.sql defines), the lint tables
-- from sql/lint/tables.sql. For each code, a document that triggers it, then a near miss (0).
.echo on
.headers off
.mode list
.nullvalue NULL
-- DATA_CHECKS_SKIPPED: no catalog, no lint tables
SELECT code, severity, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTsk","Resource":"*"}}');
-- the catalog, in an attached database (names resolve as in any query)
ATTACH ':memory:' AS cat;
CREATE TABLE cat.service (service TEXT PRIMARY KEY COLLATE NOCASE, service_name TEXT);
CREATE TABLE cat.action (service TEXT COLLATE NOCASE, name TEXT COLLATE NOCASE, access_level TEXT, PRIMARY KEY (service, name));
CREATE TABLE cat.resource_type (service TEXT COLLATE NOCASE, name TEXT COLLATE NOCASE, arn_pattern TEXT, PRIMARY KEY (service, name));
CREATE TABLE cat.action_resource_type (service TEXT COLLATE NOCASE, action TEXT COLLATE NOCASE, resource_type TEXT COLLATE NOCASE, required INTEGER);
CREATE TABLE cat.condition_key (service TEXT COLLATE NOCASE, name TEXT COLLATE NOCASE, type TEXT, PRIMARY KEY (service, name));
CREATE TABLE cat.action_condition_key (service TEXT COLLATE NOCASE, action TEXT COLLATE NOCASE, resource_type TEXT COLLATE NOCASE, condition_key TEXT COLLATE NOCASE);
INSERT INTO cat.service VALUES ('ecs', 'Amazon ECS'), ('s3', 'Amazon S3'), ('iam', 'IAM'), ('sts', 'AWS STS'), ('ec2', 'Amazon EC2'), ('secretsmanager', 'Secrets Manager');
INSERT INTO cat.action VALUES ('ecs', 'RunTask', 'Write'), ('ecs', 'ListClusters', 'List'), ('ecs', 'RegisterTaskDefinition', 'Write'),
  ('s3', 'GetObject', 'Read'), ('s3', 'PutObject', 'Write'), ('s3', 'DeleteObject', 'Write'), ('s3', 'ListAllMyBuckets', 'List'), ('s3', 'PutBucketPolicy', 'Permissions management'),
  ('iam', 'PassRole', 'Write'), ('iam', 'CreateAccessKey', 'Write'), ('iam', 'ListAccessKeys', 'List'), ('iam', 'AttachUserPolicy', 'Permissions management'),
  ('sts', 'AssumeRole', 'Write'), ('ec2', 'RunInstances', 'Write'), ('ec2', 'DescribeInstances', 'List'),
  ('secretsmanager', 'GetSecretValue', 'Read'), ('secretsmanager', 'ListSecrets', 'List');
INSERT INTO cat.resource_type VALUES ('ecs', 'task-definition', 'arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}'),
  ('ecs', 'cluster', 'arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}'),
  ('s3', 'bucket', 'arn:${Partition}:s3:::${BucketName}'), ('s3', 'object', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'),
  ('iam', 'role', 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}'), ('iam', 'user', 'arn:${Partition}:iam::${Account}:user/${UserNameWithPath}'),
  ('sts', 'role', 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}'), ('ec2', 'instance', 'arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}'),
  ('secretsmanager', 'Secret', 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}');
INSERT INTO cat.action_resource_type VALUES ('ecs', 'RunTask', 'task-definition', 1), ('s3', 'GetObject', 'object', 1), ('s3', 'PutObject', 'object', 1),
  ('s3', 'DeleteObject', 'object', 1), ('s3', 'PutBucketPolicy', 'bucket', 1), ('iam', 'PassRole', 'role', 1), ('iam', 'CreateAccessKey', 'user', 1),
  ('iam', 'AttachUserPolicy', 'user', 1), ('iam', 'ListAccessKeys', 'user', 1), ('sts', 'AssumeRole', 'role', 1), ('ec2', 'RunInstances', 'instance', 1),
  ('secretsmanager', 'GetSecretValue', 'Secret', 1);
INSERT INTO cat.condition_key VALUES ('ecs', 'ecs:cluster', 'ARN'), ('ecs', 'aws:ResourceTag/${TagKey}', 'String'), ('s3', 's3:max-keys', 'Numeric'),
  ('s3', 's3:ExistingObjectTag/<key>', 'String'), ('iam', 'iam:PassedToService', 'String'), ('sts', 'sts:ExternalId', 'String'),
  ('secretsmanager', 'secretsmanager:ResourceTag/tag-key', 'String');
INSERT INTO cat.action_condition_key VALUES ('ecs', 'RunTask', NULL, 'ecs:cluster'), ('ecs', 'RunTask', 'task-definition', 'aws:ResourceTag/${TagKey}'),
  ('s3', 'GetObject', NULL, 's3:ExistingObjectTag/<key>'), ('iam', 'PassRole', NULL, 'iam:PassedToService'), ('sts', 'AssumeRole', NULL, 'sts:ExternalId'),
  ('secretsmanager', 'GetSecretValue', NULL, 'secretsmanager:ResourceTag/tag-key');
-- the catalog without the lint tables: their checks are skipped, and said so
SELECT code, severity, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:*:*:task-definition/web:*"}}');
.echo off
.read sql/lint/tables.sql
.echo on
-- near miss: with every table, a clean document gives no row at all
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:*:*:task-definition/web:*"}}');
-- UNKNOWN_PREFIX (Action and NotAction), then the near miss
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecz:RunTask","ex*:RunTask"],"Resource":"*"},{"Effect":"Deny","NotAction":"iaam:*","Resource":"*"}]}') WHERE code = 'UNKNOWN_PREFIX';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ecs:RunTask","ec*:RunTask","*:ListClusters","*"],"Resource":"*"}}') WHERE code = 'UNKNOWN_PREFIX';
-- UNKNOWN_ACTION
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ecs:RunTsk","ecs:Run*Foo","*:NoSuchAction"],"Resource":"*"}}') WHERE code = 'UNKNOWN_ACTION';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ecs:runtask","ecs:Run*","ECS:List?lusters"],"Resource":"*"}}') WHERE code = 'UNKNOWN_ACTION';
-- UNKNOWN_CONDITION_FOR_ACTION
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"StringEquals":{"s3:x-amz-acl":"private","aws:NoSuchKey":"x","ecs:clustr":"x"}}}}') WHERE code = 'UNKNOWN_CONDITION_FOR_ACTION';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"ArnLike":{"ECS:Cluster":"arn:aws:ecs:*:*:cluster/prod"},"StringEquals":{"aws:ResourceTag/team":"web","aws:PrincipalTag/team":"web","token.actions.githubusercontent.com:sub":"repo:o/r:*"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"web"}}},{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:ResourceTag/aws:secretsmanager:owningService":"x"}}},{"Effect":"Allow","NotAction":"iam:*","Resource":"*","Condition":{"StringEquals":{"ec2:Whatever":"x"}}}]}') WHERE code = 'UNKNOWN_CONDITION_FOR_ACTION';
-- MISMATCHED_TYPE by the key's type, MISMATCHED_TYPE_BUT_USABLE
SELECT code, severity, path, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"NumericEquals":{"ecs:cluster":"5"},"StringEquals":{"aws:SourceIp":"10.0.0.1"},"IpAddress":{"aws:username":"10.0.0.1"}}}}') WHERE code LIKE 'MISMATCHED_TYPE%';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"ArnLike":{"ecs:cluster":"arn:aws:ecs:*:*:cluster/*"},"IpAddress":{"aws:SourceIp":"10.0.0.1"},"StringEquals":{"aws:username":"alice"},"Null":{"ecs:cluster":"false"}}}}') WHERE code LIKE 'MISMATCHED_TYPE%';
-- FORALLVALUES_WITH_SINGLE_VALUED_KEY, SINGLE_VALUE_CONDITION_TOO_PERMISSIVE
SELECT code, severity, path FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:username":["alice","bob"]},"ForAnyValue:StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}}') WHERE code IN ('FORALLVALUES_WITH_SINGLE_VALUED_KEY', 'SINGLE_VALUE_CONDITION_TOO_PERMISSIVE');
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]},"ForAnyValue:StringLike":{"aws:CalledVia":"*.amazonaws.com"},"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}}') WHERE code IN ('FORALLVALUES_WITH_SINGLE_VALUED_KEY', 'SINGLE_VALUE_CONDITION_TOO_PERMISSIVE');
-- RESOURCE_MISMATCH: no resource of the statement is one the action can be used on
SELECT code, severity, path, value, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","ecs:ListClusters","s3:PutObject"],"Resource":["arn:aws:s3:::bucket","arn:aws:ecs:us-east-1:111122223333:cluster/prod"]}}') WHERE code = 'RESOURCE_MISMATCH';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:Put*"],"Resource":["arn:aws:s3:::bucket/*"]},{"Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/${aws:username}"}]}') WHERE code = 'RESOURCE_MISMATCH';
-- RESOURCE_STAR: "*" where the actions take named resources
SELECT code, severity, path, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ecs:RunTask","ecs:ListClusters"],"Resource":"*"}}') WHERE code = 'RESOURCE_STAR';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:ListClusters","ec2:DescribeInstances"],"Resource":"*"},{"Effect":"Deny","Action":"ecs:RunTask","Resource":"*"}]}') WHERE code = 'RESOURCE_STAR';
-- PERMISSIONS_MANAGEMENT_ACTIONS
SELECT code, severity, path, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:AttachUserPolicy","iam:PassRole"],"Resource":"arn:aws:iam::111122223333:user/*"}}') WHERE code = 'PERMISSIONS_MANAGEMENT_ACTIONS';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","iam:ListAccessKeys"],"Resource":"arn:aws:iam::111122223333:role/x"},{"Effect":"Deny","Action":"iam:AttachUserPolicy","Resource":"*"}]}') WHERE code = 'PERMISSIONS_MANAGEMENT_ACTIONS';
-- RESOURCE_POLICY_PRIVILEGE_ESCALATION: rewriting the bucket's policy gives what this one leaves out
SELECT code, severity, path, value, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:PutBucketPolicy"],"Resource":"arn:aws:s3:::bucket*"}}') WHERE code = 'RESOURCE_POLICY_PRIVILEGE_ESCALATION';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket*"}}') WHERE code = 'RESOURCE_POLICY_PRIVILEGE_ESCALATION';
-- PRIVILEGE_ESCALATION: every action of a rule allowed
SELECT code, severity, path, value, message FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}') WHERE code = 'PRIVILEGE_ESCALATION';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:*"],"Resource":"*"},{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*"}]}') WHERE code = 'PRIVILEGE_ESCALATION';
-- CREDENTIALS_EXPOSURE
SELECT code, severity, path, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:ListAccessKeys"],"Resource":"arn:aws:iam::111122223333:user/${aws:username}"}}') WHERE code = 'CREDENTIALS_EXPOSURE';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListAccessKeys","Resource":"arn:aws:iam::111122223333:user/${aws:username}"},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}', 'trust') WHERE code = 'CREDENTIALS_EXPOSURE';
-- SENSITIVE_ACCESS
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:Get*","Resource":"arn:aws:secretsmanager:*:*:secret:app-*"}}') WHERE code = 'SENSITIVE_ACCESS';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"}}') WHERE code = 'SENSITIVE_ACCESS';
-- MISSING_PAIRED_CONDITION_KEYS
SELECT code, severity, path FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}}}') WHERE code = 'MISSING_PAIRED_CONDITION_KEYS';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"},"StringEquals":{"aws:SourceVpc":"vpc-1"}}}}') WHERE code = 'MISSING_PAIRED_CONDITION_KEYS';
-- the lists are data: edit them and the checks follow
INSERT INTO lint_credentials_action VALUES ('s3:GetObject');
DELETE FROM lint_escalation_rule WHERE name = 'PassRoleToEC2';
SELECT code, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","iam:PassRole","ec2:RunInstances"],"Resource":"*"}}') WHERE code IN ('CREDENTIALS_EXPOSURE', 'PRIVILEGE_ESCALATION');
-- policy types: what grants nothing is not linted for grants (an SCP allows, it does not grant)
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 'scp') WHERE severity <> 'error';
SELECT code FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}') ORDER BY 1;
