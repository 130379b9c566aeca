-- iam_decision and iam_allows: decisions, NULLs, multi-document policies, contexts.
.echo on
.headers off
.mode list
.nullvalue NULL
CREATE TABLE p(name TEXT, doc TEXT);
INSERT INTO p VALUES
 ('run', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:*:*:task-definition/web:*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}}}]}'),
 ('pass', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}}'),
 ('deny', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"ecs:Describe*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}');
SELECT iam_decision(doc, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3', '{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}') FROM p WHERE name = 'run';
SELECT iam_decision(doc, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3', '{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/dev"}') FROM p WHERE name = 'run';
SELECT iam_decision(doc, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web') FROM p WHERE name = 'run';
SELECT iam_allows(doc, 'iam:PassRole', 'arn:aws:iam::123456789012:role/ecsTaskRole', '{"iam:PassedToService":"ecs-tasks.amazonaws.com"}') FROM p WHERE name = 'pass';
SELECT iam_allows(doc, 'iam:PassRole', 'arn:aws:iam::123456789012:role/ecsTaskRole', '{"iam:PassedToService":"ec2.amazonaws.com"}') FROM p WHERE name = 'pass';
SELECT iam_decision(doc, 'ecs:RunTask', '*', '{"aws:MultiFactorAuthPresent":false}'), iam_decision(doc, 'ecs:DescribeTasks', '*', '{"aws:MultiFactorAuthPresent":false}'), iam_decision(doc, 'ecs:RunTask', '*') FROM p WHERE name = 'deny';
-- all the documents of one principal, evaluated together
SELECT iam_decision((SELECT json_group_array(json(doc)) FROM p), 'iam:PassRole', '*', '{"iam:PassedToService":"ecs-tasks.amazonaws.com","aws:MultiFactorAuthPresent":"false"}');
SELECT iam_decision('[]', 'ecs:RunTask', '*'), iam_allows('[]', 'ecs:RunTask', '*');
-- action case, request resource '*'
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"IAM:listaccesskeys","Resource":"*"}}', 'iam:ListAccessKeys', '*');
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}}', 's3:ListAllMyBuckets', '*');
-- NULL policy, action or resource gives NULL; NULL context is {}
SELECT iam_decision(NULL, 'ecs:RunTask', '*'), iam_allows('[]', NULL, '*'), iam_allows('[]', 'ecs:RunTask', NULL);
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 'ecs:RunTask', '*', NULL);
-- the policy comes from a column: one parse per distinct document
CREATE TABLE req(action TEXT, resource TEXT, ctx TEXT);
INSERT INTO req VALUES ('ecs:RunTask','*','{}'),('ecs:DescribeTasks','*','{"aws:MultiFactorAuthPresent":"false"}'),('s3:GetObject','arn:aws:s3:::b/k',NULL);
SELECT p.name, r.action, iam_decision(p.doc, r.action, r.resource, r.ctx) FROM p, req r ORDER BY 1, 2;
