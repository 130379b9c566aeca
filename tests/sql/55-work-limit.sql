-- The work of one call is bounded (ext/core/README.md, "Limits" and "The work limit"): matching
-- counts its work, and a call that needs more than the connection's work limit is an error,
-- never a decision. Context values are capped. iam_config() reads and sets the limit.
.echo on
.headers off
.mode list
.nullvalue NULL
-- the setting, its default, and what iam_config() refuses
SELECT iam_config('work_limit');
SELECT iam_config('work_limit', 0);
SELECT iam_config('work_limit', -5);
SELECT iam_config('work_limit', '100');
SELECT iam_config('work_limit', 1.5);
SELECT iam_config('worklimit');
SELECT iam_config(NULL);
SELECT iam_config(42);
SELECT iam_debug() LIKE '%' || char(10) || 'work_limit=20000000%';
-- ForAnyValue:StringLike, 20,000 policy patterns against 1,024 context values of 1,000 bytes:
-- 127 s in one call before the limit; now an error in milliseconds
CREATE TEMP TABLE a AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
SELECT '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"k":[' || group_concat('"*a*' || i || '*"') || ']}}}}' AS p FROM n;
CREATE TEMP TABLE c AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1024)
SELECT '{"k":[' || group_concat('"' || replace(hex(zeroblob(500)), '0', 'a') || '"') || ']}' AS c FROM n;
SELECT iam_decision(p, 's3:GetObject', 'arn:aws:s3:::b/k', c) FROM a, c;
SELECT iam_allows(p, 's3:GetObject', 'arn:aws:s3:::b/k', c) FROM a, c;
-- 50,000 Resource patterns against a 2,000-character ARN: 8-12 s per row before; now an error
CREATE TEMP TABLE b AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
SELECT '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":[' || group_concat('"arn:aws:s3:::*a*a*a*a*a*b' || i || '"') || ']}}' AS p FROM n;
SELECT iam_decision(p, 's3:GetObject', 'arn:aws:s3:::' || replace(hex(zeroblob(1000)), '0', 'a')) FROM b;
-- patterns whose wildcards may not cross ':' (the position-set matcher)
CREATE TEMP TABLE b2 AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
SELECT '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":[' || group_concat('"arn:aws:s*a*a*b' || i || ':::x"') || ']}}' AS p FROM n;
SELECT iam_decision(p, 's3:GetObject', 'arn:aws:s' || replace(hex(zeroblob(1000)), '0', 'a') || ':::x') FROM b2;
-- the same policies with a higher limit decide; the limit is per connection
SELECT iam_config('work_limit', 4000000000);
SELECT iam_decision(p, 's3:GetObject', 'arn:aws:s' || replace(hex(zeroblob(1000)), '0', 'a') || ':::x') FROM b2;
-- every path counts: with a limit of 20 units, each of these needs more
SELECT iam_config('work_limit', 20);
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:*a*a*b","Resource":"*"}}', 's3:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '*');
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*/a*b"}}', 's3:GetObject', 'arn:aws:s3:::bucket/aaaaaaaaaaaaaaaaaaaab');
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k":["x","y","z"]}}}}', 's3:GetObject', '*', '{"k":"aaaaaaaaaaaaaaaaaaaa"}');
SELECT iam_decision('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}', 's3:GetObject', 'arn:aws:s3:::b/alice/k', '{"aws:username":"alice"}');
SELECT iam_authorize('{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_account":"444455556666","resource_policy":{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":{"AWS":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19","20","21"]}}}}');
SELECT iam_action_matches('s3:*a*a*a*b', 's3:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
SELECT iam_resource_matches('arn:aws:s3:::*a*a*a*b', 'arn:aws:s3:::aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
SELECT iam_decision_agg(d, 's3:GetObject', 'arn:aws:s3:::bucket/aaaaaaaaaaaaaaaaaaaab') FROM (SELECT '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*/a*b"}}' AS d);
SELECT count(*) FROM iam_explain('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*/a*b"}}', 's3:GetObject', 'arn:aws:s3:::bucket/aaaaaaaaaaaaaaaaaaaab');
-- an explicit Deny whose evaluation needs more than the limit is an error, not a step past it
SELECT iam_decision('[{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*/a*a*a*b"}},{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]', 's3:GetObject', 'arn:aws:s3:::bucket/aaaaaaaaaaaaaaaaaaaaaaaaa');
-- the same calls within the limit
SELECT iam_config('work_limit', 20000000);
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:*a*a*b","Resource":"*"}}', 's3:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '*');
SELECT iam_decision('[{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*/a*a*a*b"}},{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]', 's3:GetObject', 'arn:aws:s3:::bucket/aaaaaaaaaaaaaaaaaaaaaaaaa');
SELECT iam_action_matches('s3:*a*a*a*b', 's3:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
-- a long pattern of wildcards against a long resource (the fuzzer's timeout): linear now
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::' || replace(hex(zeroblob(8750)), '00', '*?*?') || 'b"}}', 's3:GetObject', 'arn:aws:s3:::' || replace(hex(zeroblob(2040)), '0', 'a'));
-- context values: 4,096 bytes and 1,024 values per key are fine, one more is not
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":"' || replace(hex(zeroblob(2048)), '0', 'x') || '"}');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":"' || replace(hex(zeroblob(2048)), '0', 'x') || 'x"}');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":["' || replace(hex(zeroblob(2048)), '0', 'x') || 'x"]}');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', json_object('k', (SELECT json_group_array(value) FROM generate_series(1, 1024))));
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', json_object('k', (SELECT json_group_array(value) FROM generate_series(1, 1025))));
SELECT iam_authorize('{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*","context":{"k":"' || replace(hex(zeroblob(2048)), '0', 'x') || 'x"}}');
