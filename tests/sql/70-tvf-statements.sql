-- iam_statements(policy): one row per statement, Action/Resource/Condition as normalised JSON.
.echo on
.headers off
.mode list
.nullvalue NULL
-- one document, Statement as a bare object (index 0), Action as a bare string
SELECT * FROM iam_statements('{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}');
-- several statements: Sid, NotAction/NotResource, condition values normalised to text, Principal kept
SELECT * FROM iam_statements('{"Version":"2012-10-17","Statement":[
  {"Sid":"Tagged","Effect":"Allow","Action":["ecs:RunTask","ecs:StartTask"],"Resource":"arn:aws:ecs:*:*:task-definition/web:*",
   "Condition":{"StringEquals":{"aws:ResourceTag/team":["web",7,true]},"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"team*","aws:CalledVia":[]},"Bool":{"aws:SecureTransport":false}}},
  {"Effect":"Deny","NotAction":["iam:*","s3:Get\"Quoted\\Object"],"NotResource":"arn:aws:s3:::b/*"},
  {"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole","Resource":"*","Condition":{}}]}');
-- an array of documents: policy_index; an empty Statement array adds no rows
SELECT policy_index, statement_index, effect, action_json FROM iam_statements('[
  {"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]},
  {"Statement":[]},
  {"Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}]');
SELECT count(*) FROM iam_statements('[]');
-- the condition JSON is valid JSON
SELECT json_valid(condition_json), condition_json ->> '$.StringEquals.aws:ResourceTag/team[1]'
FROM iam_statements('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":["a",1.50]}}}}');
-- NULL policy: no rows; the hidden column gives the argument back
SELECT count(*) FROM iam_statements(NULL);
SELECT policy FROM iam_statements('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}');
-- errors: the message of iam_decision, named iam_statements, with the location
SELECT * FROM iam_statements('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Alow","Action":"*","Resource":"*"}]}');
SELECT * FROM iam_statements('[{"Statement":[]},{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}]}]');
SELECT * FROM iam_statements('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},]}');
SELECT * FROM iam_statements('{"Statement":[{"Effect":"Allow","NotPrincipal":"ecs","Action":"*","Resource":"*"}]}');
SELECT * FROM iam_statements(42);
SELECT * FROM iam_statements(CAST('{"Statement":[]}' AS BLOB));
SELECT * FROM iam_statements;
SELECT * FROM iam_statements WHERE policy > 'a';
-- a join over a table of policies, with WHERE on visible columns
CREATE TABLE pol(name TEXT PRIMARY KEY, doc TEXT);
INSERT INTO pol VALUES
  ('admin', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'),
  ('readonly', '{"Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"},{"Sid":"NoSecrets","Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}]}'),
  ('none', NULL);
SELECT p.name, s.statement_index, s.sid, s.effect FROM pol p, iam_statements(p.doc) s ORDER BY 1, 2;
SELECT p.name, s.sid FROM pol p, iam_statements(p.doc) s WHERE s.effect = 'Deny';
SELECT p.name, count(*) FROM iam_statements(p.doc) s JOIN pol p GROUP BY 1 ORDER BY 1;
SELECT name FROM pol WHERE EXISTS (SELECT 1 FROM iam_statements(doc) WHERE action_json = '["*"]');
-- a bad row stops the query
INSERT INTO pol VALUES ('broken', '{"Statement":{"Effect":"Allow","Action":"*"}}');
SELECT count(*) FROM pol p, iam_statements(p.doc);
DELETE FROM pol WHERE name = 'broken';
-- usable in a view with trusted_schema off (the module is innocuous)
PRAGMA trusted_schema = OFF;
CREATE VIEW pol_statements AS SELECT p.name, s.* FROM pol p, iam_statements(p.doc) s;
SELECT name, statement_index, effect FROM pol_statements ORDER BY 1, 2;
-- NotPrincipal is told apart from Principal
SELECT principal_json, not_principal FROM iam_statements('{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}}');
