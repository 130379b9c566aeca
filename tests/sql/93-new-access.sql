-- iam_new_access(old, new [, policy_type]) and iam_grants_new_access: what new allows that old
-- does not, one row per catalog action. A small catalog made here (the columns of
-- sql/catalog/actions.sql). A missing row is exact; a row may be a false alarm where conditional = 1.
.echo on
.headers off
.mode list
.nullvalue NULL
-- without a catalog every row is at the level of patterns
SELECT action, kind, conditional, resource, pattern, statement_index FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}');
CREATE TABLE service (service TEXT PRIMARY KEY COLLATE NOCASE, service_name TEXT);
CREATE TABLE action (service TEXT COLLATE NOCASE, name TEXT COLLATE NOCASE, access_level TEXT, PRIMARY KEY (service, name));
CREATE TABLE resource_type (service TEXT COLLATE NOCASE, name TEXT COLLATE NOCASE, arn_pattern TEXT, PRIMARY KEY (service, name));
CREATE TABLE action_resource_type (service TEXT COLLATE NOCASE, action TEXT COLLATE NOCASE, resource_type TEXT COLLATE NOCASE, required INTEGER);
CREATE TABLE condition_key (service TEXT COLLATE NOCASE, name TEXT COLLATE NOCASE, type TEXT, PRIMARY KEY (service, name));
CREATE TABLE action_condition_key (service TEXT COLLATE NOCASE, action TEXT COLLATE NOCASE, resource_type TEXT COLLATE NOCASE, condition_key TEXT COLLATE NOCASE);
INSERT INTO service VALUES ('s3', 'Amazon S3'), ('iam', 'IAM'), ('ecs', 'Amazon ECS');
INSERT INTO action VALUES ('s3', 'GetObject', 'Read'), ('s3', 'PutObject', 'Write'), ('s3', 'DeleteObject', 'Write'), ('s3', 'ListBucket', 'List'),
  ('iam', 'PassRole', 'Write'), ('iam', 'GetRole', 'Read'), ('iam', 'ListRoles', 'List'), ('iam', 'AttachRolePolicy', 'Permissions management'),
  ('ecs', 'RunTask', 'Write'), ('ecs', 'ListClusters', 'List');
-- the same policy: nothing new (also with NotAction, NotResource, conditions, variables)
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::home/${aws:username}/*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"StringNotEquals":{"aws:username":"admin"}}}]}',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::home/${aws:username}/*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"StringNotEquals":{"aws:username":"admin"}}}]}');
-- a new action; a new resource pattern for an old action; a narrower grant is nothing new
SELECT action, access_level, kind, conditional, resource, pattern FROM iam_new_access(
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:Put*"],"Resource":"arn:aws:s3:::b/logs/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*"]}]}');
-- resource containment is exact for '*' and '?' globs with the ARN field rules
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:*:111122223333:task-definition/web-*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":["arn:aws:ecs:us-*-1:111122223333:task-definition/web-??:*","arn:aws:ecs:eu-west-1:111122223333:task-definition/web-a:1"]}}');
SELECT action, kind, resource FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:us-*-1:111122223333:*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:*:111122223333:*"}}');
-- a variable in new is read as any text; in old only the same text covers it
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}');
SELECT action, kind, resource FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/alice/*"}}');
SELECT action, kind, resource FROM iam_new_access('{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}');
-- conditions: the same text covers; an unconditional old grant covers a conditional new one
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}');
SELECT action, kind, conditional FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}');
-- Deny: an unconditional Deny of new takes the grant back; an old Deny missing from new is new access
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":["s3:Put*","s3:Delete*","s3:List*"],"Resource":"*"}]}');
SELECT action, kind, conditional FROM iam_new_access('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::audit/*"}]}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}');
-- NotAction and NotResource: excluding less is new; excluding more is not
SELECT action, kind FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:Get*","Resource":"*"}}');
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:Get*","Resource":"*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}');
SELECT action, kind, resource, not_resource FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::a/*"}}');
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::a/*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}}');
-- an action pattern no catalog action matches
SELECT action, kind, pattern FROM iam_new_access('[]', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjekt"],"Resource":"*"}}');
-- resource policies: principals are part of the grant
SELECT action, kind, conditional FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}]}', 'resource');
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}}', 'resource');
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}}', 'trust');
-- an RCP only denies: a Deny dropped is new access
SELECT action, kind, statement_index FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:Delete*","Resource":"*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}', 'rcp');
SELECT count(*) FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:Delete*","Resource":"*"}}', 'rcp');
-- iam_grants_new_access: 1 exactly when iam_new_access has a row
SELECT iam_grants_new_access('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}', '{"Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::x"}}'),
       iam_grants_new_access('{"Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::x"}}', '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}'),
       iam_grants_new_access(NULL, '[]'), iam_grants_new_access('[]', '[]', 'scp');
-- errors: an invalid policy names old or new; objects are not documents here
SELECT * FROM iam_new_access('{"Statement":[]}', '{"Statement":{"Effect":"Alow","Action":"s3:*","Resource":"*"}}');
SELECT * FROM iam_new_access('{"identity":[],"boundary":null}', '[]');
SELECT * FROM iam_new_access('[]', '{"Statement":{"Effect":"Allow","Action":"s3:*"}}', 'scp');
SELECT iam_grants_new_access('[]', 7);
SELECT iam_grants_new_access('[]', '[]', 'role');
SELECT * FROM iam_new_access('[]');
SELECT count(*) FROM iam_new_access(NULL, '[]');
