-- iam_resources(policy): one row per Resource/NotResource pattern, ARNs split into fields.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT * FROM iam_resources('{"Version":"2012-10-17","Statement":[
  {"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::bucket/${aws:username}/*","arn:aws:s3:::bucket","*"]},
  {"Effect":"Deny","Action":"ecs:*","NotResource":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:12"}]}');
-- resource part keeps its ':'; short or non-ARN patterns have no fields; variables only count under 2012-10-17
SELECT pattern, partition, service, region, account, resource, has_wildcard, has_variable FROM iam_resources('[
  {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":["arn:aws-cn:ecs:*:*:service/c/w?b","arn:aws:ecs:*:cluster/prod","arn:aws:ecs:*","ARN:aws:s3:::b","bucket/*"]}},
  {"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/${aws:username}"}}]');
-- NULL and errors
SELECT count(*) FROM iam_resources(NULL);
SELECT * FROM iam_resources('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]}');
SELECT * FROM iam_resources('{"Statement":[{"Effect":"Allow","Action":"*","Resource":{"a":1}}]}');
SELECT * FROM iam_resources('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Extra":1}]}');
SELECT * FROM iam_resources(x'00');
SELECT * FROM iam_resources;
-- a join over a table of policies with WHERE on visible columns
CREATE TABLE pol(name TEXT, doc TEXT);
INSERT INTO pol VALUES
  ('ecs', '{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":["arn:aws:ecs:*:111122223333:cluster/prod","arn:aws:ecs:eu-west-1:111122223333:service/prod/*"]}]}'),
  ('s3', '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"]}]}'),
  ('all', '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');
SELECT p.name, r.pattern FROM pol p, iam_resources(p.doc) r WHERE r.service = 'ecs' AND r.region = '*';
SELECT p.name, count(*) FROM pol p, iam_resources(p.doc) r WHERE r.partition IS NULL GROUP BY 1;
SELECT p.name, r.resource FROM pol p JOIN iam_resources(p.doc) r ON r.has_wildcard ORDER BY 1, 2;
SELECT p.name FROM pol p WHERE (SELECT count(*) FROM iam_resources(p.doc) WHERE iam_resource_matches(pattern, 'arn:aws:s3:::logs/x')) > 0 ORDER BY 1;
-- in a view, trusted_schema off
PRAGMA trusted_schema = OFF;
CREATE VIEW pol_accounts AS SELECT DISTINCT r.account FROM pol p, iam_resources(p.doc) r WHERE r.account <> '';
SELECT * FROM pol_accounts;
