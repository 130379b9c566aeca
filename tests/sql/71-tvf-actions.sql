-- iam_actions(policy): one row per Action/NotAction pattern.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT * FROM iam_actions('{"Statement":{"Sid":"S","Effect":"Allow","Action":["ecs:List*","iam:PassRole","*","ec?:Describe*"],"Resource":"*"}}');
-- NotAction is negated; a bare string is a one-element list; patterns kept as written (case, '${')
SELECT * FROM iam_actions('[{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"IAM:${aws:username}","Resource":"*"}]},
  {"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]');
-- a pattern without ':' has no service or name part
SELECT pattern, service IS NULL, name_pattern IS NULL, has_wildcard FROM iam_actions('{"Statement":{"Effect":"Allow","Action":["*","ecs","ecs:"],"Resource":"*"}}');
-- Principal is accepted (expansion functions)
SELECT pattern FROM iam_actions('{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}');
-- NULL and errors
SELECT count(*) FROM iam_actions(NULL);
SELECT * FROM iam_actions('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allw","Action":"*","Resource":"*"}]}');
SELECT * FROM iam_actions('{"Statement":[{"Effect":"Allow","Action":["ecs:*",7],"Resource":"*"}]}');
SELECT * FROM iam_actions('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}');
SELECT * FROM iam_actions('[]', 'extra');
SELECT * FROM iam_actions(1.5);
SELECT * FROM iam_actions;
-- joins over a table of policies; WHERE on visible columns, as in the issue
CREATE TABLE latest_policy(name TEXT PRIMARY KEY, document TEXT);
INSERT INTO latest_policy VALUES
  ('Admin', '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'),
  ('IamRead', '{"Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},{"Effect":"Deny","Action":"iam:Delete*","Resource":"*"}]}'),
  ('Ecs', '{"Statement":[{"Effect":"Allow","Action":["ecs:*","iam:PassRole"],"Resource":"*"}]}'),
  ('Null', NULL);
SELECT p.name, a.effect, a.pattern FROM latest_policy p, iam_actions(p.document) a WHERE a.pattern LIKE 'iam:%' ORDER BY 1, 3;
SELECT a.service, count(*) FROM latest_policy p, iam_actions(p.document) a GROUP BY 1 ORDER BY 1;
SELECT p.name FROM latest_policy p, iam_actions(p.document) a WHERE a.has_wildcard AND a.effect = 'Allow' AND iam_action_matches(a.pattern, 'iam:CreateUser') ORDER BY 1;
SELECT p.name, a.pattern FROM iam_actions(p.document) a, latest_policy p WHERE a.negated = 0 AND a.pattern_index = 1 ORDER BY 1;
-- the same patterns through a subquery and a CTE
WITH d(doc) AS (SELECT document FROM latest_policy WHERE name = 'IamRead')
SELECT group_concat(pattern, ',') FROM d, iam_actions(d.doc);
-- in a view, trusted_schema off
PRAGMA trusted_schema = OFF;
CREATE VIEW granted_actions AS
  SELECT p.name, a.pattern FROM latest_policy p, iam_actions(p.document) a WHERE a.effect = 'Allow' AND NOT a.negated;
SELECT * FROM granted_actions ORDER BY 1, 2;
