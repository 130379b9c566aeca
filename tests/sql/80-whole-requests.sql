-- Whole requests: iam_authorize(request), the object form of iam_decision/iam_allows/iam_explain
-- (ext/core/SEMANTICS.md, "Whole requests"). The README's tour runs here.
.echo on
.headers off
.mode list
.nullvalue NULL
-- NULL request gives NULL; anything but text is an error
SELECT iam_authorize(NULL);
SELECT iam_authorize(42);
-- a cross-account bucket read: the bucket policy names the caller's account and the caller's
-- own policy allows it
CREATE TABLE pol(name TEXT PRIMARY KEY, doc TEXT);
INSERT INTO pol VALUES
 ('read-b', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}'),
 ('bucket-b', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Principal":{"AWS":"111122223333"}}]}'),
 ('deny-outside-org', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}}]}'),
 ('full-access', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'),
 ('no-s3-delete', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}'),
 ('trust-ops', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}');
SELECT iam_authorize(json_object('principal', 'arn:aws:iam::111122223333:user/alice',
  'action', 's3:GetObject', 'resource', 'arn:aws:s3:::b/report.csv', 'resource_account', '444455556666',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'read-b'))),
  'resource_policy', json((SELECT doc FROM pol WHERE name = 'bucket-b'))));
-- the same without the bucket policy: cross-account needs both sides
SELECT iam_authorize(json_object('principal', 'arn:aws:iam::111122223333:user/alice',
  'action', 's3:GetObject', 'resource', 'arn:aws:s3:::b/report.csv', 'resource_account', '444455556666',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'read-b')))));
-- the object form: one compiled object, many actions and resources
CREATE TABLE req(action TEXT, resource TEXT);
INSERT INTO req VALUES ('s3:GetObject', 'arn:aws:s3:::b/a'), ('s3:GetObject', 'arn:aws:s3:::c/a'),
  ('s3:PutObject', 'arn:aws:s3:::b/a'), ('s3:DeleteObject', 'arn:aws:s3:::b/a');
SELECT action, resource, iam_decision(json_object('principal', 'arn:aws:iam::111122223333:user/alice',
  'resource_account', '444455556666', 'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'resource_policy', json((SELECT doc FROM pol WHERE name = 'bucket-b')),
  'scps', json_array(json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
                     json_array(json((SELECT doc FROM pol WHERE name = 'full-access')),
                                json((SELECT doc FROM pol WHERE name = 'no-s3-delete'))))),
  action, resource) FROM req;
-- every SCP level needs an Allow: a level holding only a deny list blocks everything
SELECT iam_decision(json_object('principal', 'arn:aws:iam::111122223333:user/alice',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'scps', json_array(json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
                     json_array(json((SELECT doc FROM pol WHERE name = 'no-s3-delete'))))),
  's3:GetObject', 'arn:aws:s3:::b/a');
-- a role trust check: who can assume ops? bob of 444455556666 with MFA, not alice of 111122223333
SELECT who, mfa, iam_decision(json_object('principal', who, 'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'resource_policy', json((SELECT doc FROM pol WHERE name = 'trust-ops'))),
  'sts:AssumeRole', 'arn:aws:iam::111122223333:role/ops', json_object('aws:MultiFactorAuthPresent', mfa))
FROM (SELECT 'arn:aws:iam::444455556666:user/bob' AS who, 'true' AS mfa UNION ALL
      SELECT 'arn:aws:iam::444455556666:user/bob', 'false' UNION ALL
      SELECT 'arn:aws:iam::111122223333:user/alice', 'true') ORDER BY 1, 2;
-- an SCP that blocks: principals outside the two accounts
SELECT iam_allows(json_object('principal', 'arn:aws:iam::999988887777:role/ci',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'scps', json_array(json_array(json((SELECT doc FROM pol WHERE name = 'full-access')),
                                json((SELECT doc FROM pol WHERE name = 'deny-outside-org'))))),
  's3:ListBucket', 'arn:aws:s3:::b');
-- explain: one row per statement, then the step row
.headers on
SELECT policy_type, level, document_index, statement_index, effect, applies, decisive, principal_match, reason
FROM iam_explain(json_object('principal', 'arn:aws:sts::111122223333:assumed-role/app/s-1',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'boundary', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}'),
  'resource_policy', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":{"AWS":"arn:aws:iam::111122223333:role/svc/app"}}]}')),
  's3:GetObject', 'arn:aws:s3:::b/a');
SELECT DISTINCT decision, step, step_reason FROM iam_explain(json_object('principal', 'arn:aws:sts::111122223333:assumed-role/app/s-1',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'boundary', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}'),
  'resource_policy', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":{"AWS":"arn:aws:iam::111122223333:role/svc/app"}}]}')),
  's3:GetObject', 'arn:aws:s3:::b/a');
SELECT decisive, decision, step, step_reason FROM iam_explain('{"principal":"arn:aws:iam::111122223333:root"}', 'ec2:RunInstances', '*');
SELECT statement_index, policy_type, step, step_reason FROM iam_explain(json_object('principal', 'arn:aws:iam::999988887777:role/ci',
  'identity', json_array(json((SELECT doc FROM pol WHERE name = 'full-access'))),
  'scps', json_array(json_array(json((SELECT doc FROM pol WHERE name = 'full-access')),
                                json((SELECT doc FROM pol WHERE name = 'deny-outside-org'))))),
  's3:ListBucket', 'arn:aws:s3:::b') WHERE decisive;
.headers off
-- the identity forms keep their meaning and get no step row
SELECT count(*), count(step) FROM iam_explain((SELECT doc FROM pol WHERE name = 'full-access'), 'ec2:RunInstances', '*');
SELECT count(*) FROM iam_explain('[]', 'ec2:RunInstances', '*');
-- errors name the member and the place
SELECT iam_authorize('{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","scps":[[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}]]}');
SELECT iam_decision('{"principal":"arn:aws:iam::111122223333:user/a","rcps":[[{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}]]}', 's3:GetObject', '*');
SELECT iam_allows('{"principal":"arn:aws:iam::111122223333:user/a","resource_policy":{"Statement":[{"Effect":"Allow","Action":"*","Principal":"arn:aws:iam::1:root"}]}}', 's3:GetObject', '*');
SELECT iam_decision('{"principal":"arn:aws:iam::111122223333:group/g"}', 's3:GetObject', '*');
SELECT iam_decision('{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject"}', 's3:GetObject', '*');
SELECT iam_authorize('{"principal":"arn:aws:iam::111122223333:user/a","resource":"*"}');
SELECT iam_authorize('{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","session":[]}');
SELECT iam_authorize('{"identity":[]}');
SELECT count(*) FROM iam_explain('{"principal":"anonymous","identity":[{"Statement":[]}]}', 's3:GetObject', '*');
-- the aggregates take documents, never a whole-request object
SELECT iam_decision_agg('{"principal":"arn:aws:iam::111122223333:user/a"}', 's3:GetObject', '*');
-- the expansion functions read resource policies as written: a trust policy needs no Resource
SELECT effect, action_json, resource_json, principal_json FROM iam_statements('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}');
SELECT count(*) FROM iam_resources('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}');
SELECT * FROM iam_actions('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}');
-- ... but an identity policy still does, and iam_decision takes no Principal at all
SELECT count(*) FROM iam_statements('{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}');
SELECT iam_decision('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}', 'sts:AssumeRole', '*');
