-- Permissions boundaries (spec §3.2) and the per-principal aggregates.
.echo on
.headers off
.mode list
.nullvalue NULL
-- allowed only when the identity policies and the boundary both allow; a Deny in either wins
SELECT iam_decision('{"identity":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},"boundary":{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}}', 'ecs:RunTask', '*');
SELECT iam_decision('{"identity":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},"boundary":{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}}', 'iam:CreateUser', '*');
SELECT iam_decision('{"identity":{"Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*"}},"boundary":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}', 'ecs:StopTask', '*');
SELECT iam_decision('{"identity":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],"boundary":[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}]}', 'iam:PassRole', '*');
SELECT iam_decision('{"identity":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],"boundary":null}', 'iam:CreateUser', '*');
SELECT iam_decision('{"identity":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],"boundary":[]}', 'iam:CreateUser', '*');
SELECT iam_allows('{"identity":[],"boundary":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}', 'ecs:RunTask', '*');
-- errors name the part of the object
SELECT iam_decision('{"identity":[],"boundary":[{"Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}]}', 'ecs:RunTask', '*');
SELECT iam_decision('{"identity":[],"boundry":[]}', 'ecs:RunTask', '*');
SELECT iam_decision('{"boundary":[]}', 'ecs:RunTask', '*');
-- aggregates: one row per attached policy, GROUP BY principal
CREATE TABLE attached(principal TEXT, kind TEXT, doc TEXT);
INSERT INTO attached VALUES
 ('alice', 'identity', '{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}'),
 ('alice', 'identity', '{"Statement":{"Effect":"Deny","Action":"ecs:Delete*","Resource":"*"}}'),
 ('bob',   'identity', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'),
 ('bob',   'boundary', '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}'),
 ('carol', 'identity', NULL),
 ('dave',  'identity', '[{"Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*"}},{"Statement":[]}]');
SELECT principal, iam_decision_agg(doc, 'ecs:RunTask', '*', NULL, kind), iam_decision_agg(doc, 'ecs:DeleteCluster', '*', NULL, kind), iam_allows_agg(doc, 's3:GetObject', 'arn:aws:s3:::b/k', '{}', kind) FROM attached GROUP BY principal ORDER BY 1;
SELECT iam_decision_agg(doc, 'ecs:RunTask', '*') FROM attached WHERE 0;
SELECT iam_decision_agg(doc, 'ecs:RunTask', '*', NULL, 'permissions') FROM attached;
SELECT iam_decision_agg(doc, principal || ':x', '*') FROM attached;
SELECT iam_decision_agg(doc, 'ecs:RunTask', '*') FROM (SELECT '{"Statement":{"Effect":"Allow"}}' AS doc);
