-- iam_conditions(policy): one row per condition value, the operator split into its parts.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT * FROM iam_conditions('{"Statement":[
  {"Sid":"Tags","Effect":"Allow","Action":"ecs:TagResource","Resource":"*",
   "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]},"StringEqualsIfExists":{"aws:RequestTag/env":"prod"},"Null":{"aws:RequestTag/team":false}}},
  {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":100,"S3:Other":1.50},"ForAnyValue:IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:MultiFactorAuthPresent":true}}}]}');
-- an empty value list gives one row with NULL value_index and value; no Condition gives no rows
SELECT statement_index, condition_index, operator, key, value_index, value FROM iam_conditions('[
  {"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k1":[],"k2":"v"},"StringLike":{}}}},
  {"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]');
-- values keep policy variables as written
SELECT value FROM iam_conditions('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}}}');
-- NULL and errors
SELECT count(*) FROM iam_conditions(NULL);
SELECT * FROM iam_conditions('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":"b","A":"c"}}}]}');
SELECT * FROM iam_conditions('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]}');
SELECT * FROM iam_conditions('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":null}}}]}');
SELECT * FROM iam_conditions('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyvalue:StringEquals":{"a":"b"}}}]}');
SELECT * FROM iam_conditions(7);
SELECT * FROM iam_conditions;
-- a join over a table of policies with WHERE on visible columns
CREATE TABLE pol(name TEXT, doc TEXT);
INSERT INTO pol VALUES
  ('tagged', '{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":["a","b"]}}}]}'),
  ('mfa', '{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}'),
  ('plain', '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}');
SELECT p.name, c.key, c.value FROM pol p, iam_conditions(p.doc) c WHERE c.key_lower LIKE 'aws:resourcetag/%' ORDER BY 1, 3;
SELECT p.name, c.base_operator FROM pol p, iam_conditions(p.doc) c WHERE c.if_exists;
SELECT p.name FROM pol p WHERE NOT EXISTS (SELECT 1 FROM iam_conditions(p.doc)) ORDER BY 1;
SELECT c.base_operator, count(*) FROM pol p, iam_conditions(p.doc) c GROUP BY 1 ORDER BY 1;
-- in a view, trusted_schema off
PRAGMA trusted_schema = OFF;
CREATE VIEW condition_keys AS SELECT DISTINCT c.key_lower FROM pol p, iam_conditions(p.doc) c;
SELECT * FROM condition_keys ORDER BY 1;
