-- iam_explain(policy, action, resource [, ctx]): per statement, what matched and why not.
.echo on
.headers off
.mode list
.nullvalue NULL
-- the example of the issue: a condition value that does not match
SELECT * FROM iam_explain('{"Version":"2012-10-17","Statement":[{"Sid":"PassToEcs","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}',
  'iam:PassRole', 'arn:aws:iam::123456789012:role/app', '{"iam:PassedToService":"ec2.amazonaws.com"}');
-- several documents: the first applicable Deny decides; decision on every row
SELECT policy_index, statement_index, effect, action_matched, resource_matched, conditions_matched, applies, decisive, decision, reason FROM iam_explain('[
  {"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"},{"Effect":"Allow","NotAction":"ecs:*","Resource":"*"}]},
  {"Statement":{"Effect":"Deny","Action":"ecs:RunTask","NotResource":["arn:aws:ecs:*:*:task-definition/web:*","arn:aws:ecs:*:*:task-definition/api:*"]}},
  {"Statement":{"Effect":"Deny","Action":"ecs:RunTask","Resource":"arn:aws:ecs:*:*:task-definition/db:*"}},
  {"Statement":{"Effect":"Deny","Action":"ecs:*","Resource":"*"}}]',
  'ecs:RunTask', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3');
SELECT iam_decision('[{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]},{"Statement":{"Effect":"Deny","Action":"ecs:*","Resource":"*"}}]', 'ecs:RunTask', '*');
-- an Allow decides when nothing denies; without ctx the context is empty
SELECT statement_index, applies, decisive, decision, reason FROM iam_explain('{"Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
  {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
  {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}',
  'S3:getobject', 'arn:aws:s3:::b/key');
-- reasons for conditions
CREATE TABLE req(n INTEGER PRIMARY KEY, ctx TEXT);
INSERT INTO req VALUES
  (1, '{}'),
  (2, '{"aws:ResourceTag/team":"web","aws:TagKeys":["team","owner"],"s3:max-keys":"lots"}'),
  (3, '{"aws:ResourceTag/team":["web"],"aws:TagKeys":[],"s3:max-keys":"5","aws:RequestTag/env":"prod"}'),
  (4, '{"aws:resourcetag/TEAM":"ops","aws:TagKeys":["x","y"],"s3:max-keys":500,"aws:RequestTag/env":"dev","aws:username":"ann"}');
CREATE TABLE cond_pol(name TEXT PRIMARY KEY, doc TEXT);
INSERT INTO cond_pol VALUES
  ('equals', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":["ops","dev"]}}}}'),
  ('not-equals', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceTag/team":["web","ops"]}}}}'),
  ('forall', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}}}'),
  ('forany', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["env*","cost*"]}}}}'),
  ('numeric', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"100"}}}}'),
  ('null', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:RequestTag/env":"false"}}}}'),
  ('ifexists', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:RequestTag/env":"${aws:username}"}}}}');
SELECT p.name, r.n, x.applies, x.failed_condition_index, x.reason, x.missing_keys
FROM cond_pol p, req r, iam_explain(p.doc, 'ecs:TagResource', '*', r.ctx) x ORDER BY 1, 2;
-- missing keys: condition keys and policy variables the statement reads; NULL when the action did not match
SELECT statement_index, action_matched, resource_matched, missing_keys FROM iam_explain('{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/${aws:username}","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/Team}","aws:Username":"x","aws:SourceVpc":"vpc-1"}}},
  {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}]}',
  'iam:GetUser', 'arn:aws:iam::123456789012:user/bob', '{"aws:PrincipalTag/TEAM":"web"}');
-- explain agrees with iam_decision on every request
CREATE TABLE requests(action TEXT, resource TEXT, ctx TEXT);
INSERT INTO requests VALUES ('ecs:RunTask', '*', NULL), ('ecs:TagResource', '*', '{"aws:ResourceTag/team":"ops"}'),
  ('s3:GetObject', 'arn:aws:s3:::b/k', '{}'), ('iam:PassRole', '*', '{"aws:ResourceTag/team":"dev"}');
SELECT q.action, iam_decision(p.doc, q.action, q.resource, q.ctx) AS d,
       (SELECT group_concat(DISTINCT decision) FROM iam_explain(p.doc, q.action, q.resource, q.ctx)) AS e
FROM cond_pol p, requests q WHERE p.name = 'equals' ORDER BY 1;
-- WHERE on visible columns
SELECT p.name, r.n FROM cond_pol p, req r, iam_explain(p.doc, 'ecs:TagResource', '*', r.ctx) x WHERE x.decisive ORDER BY 1, 2;
-- no statements: no rows (the decision is ImplicitDeny)
SELECT count(*) FROM iam_explain('{"Statement":[]}', 'ecs:RunTask', '*');
SELECT count(*) FROM iam_explain('[]', 'ecs:RunTask', '*');
-- NULL policy, action or resource: no rows; NULL ctx: empty context
SELECT count(*) FROM iam_explain(NULL, 'ecs:RunTask', '*');
SELECT count(*) FROM iam_explain('{"Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}', NULL, '*');
SELECT count(*) FROM iam_explain('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 'ecs:RunTask', NULL);
SELECT decision FROM iam_explain('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 'ecs:RunTask', '*', NULL);
-- the hidden columns give the arguments back
SELECT action, resource, ctx FROM iam_explain('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 'ecs:RunTask', '*', '{"a":1}');
-- errors: as iam_decision, named iam_explain
SELECT * FROM iam_explain('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}}', 'ecs:RunTask', '*');
SELECT * FROM iam_explain('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*');
SELECT * FROM iam_explain('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'RunTask', '*');
SELECT * FROM iam_explain('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*', '{"a":"b","A":"c"}');
SELECT * FROM iam_explain('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*', '[]');
SELECT * FROM iam_explain('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*', 5);
SELECT * FROM iam_explain('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', 7);
SELECT * FROM iam_explain('{"Statement":[]}', 'ecs:RunTask');
SELECT * FROM iam_explain;
-- in a view, trusted_schema off
PRAGMA trusted_schema = OFF;
CREATE VIEW tag_denials AS
  SELECT p.name, r.n, x.reason FROM cond_pol p, req r, iam_explain(p.doc, 'ecs:TagResource', '*', r.ctx) x
  WHERE NOT x.applies AND x.missing_keys <> '[]';
SELECT * FROM tag_denials ORDER BY 1, 2;
