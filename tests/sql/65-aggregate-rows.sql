-- The aggregates parse each row on its own: one complete document or one array of documents per
-- row, nothing more, nothing less. Rows that are each invalid can never combine into a policy.
.echo on
.headers off
.mode list
.nullvalue NULL
-- a document split across two rows: each row is malformed, so the group is an error, never Allow
SELECT iam_decision_agg(d, 's3:GetObject', '*') FROM (SELECT '{"Version":"2012-10-17"' AS d UNION ALL SELECT '"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}');
SELECT iam_allows_agg(d, 's3:GetObject', '*') FROM (SELECT '[{"Version":"2012-10-17","Statement":[]}' AS d UNION ALL SELECT '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]');
-- two documents in one row (not an array)
SELECT iam_decision_agg(d, 's3:GetObject', '*') FROM (SELECT '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},{"Statement":[]}' AS d);
-- a row cannot inject a member of the policy object: the object form is not a document
SELECT iam_decision_agg(d, 's3:GetObject', '*') FROM (SELECT '{"identity":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]}' AS d);
SELECT iam_decision_agg(d, 's3:GetObject', '*') FROM (SELECT '{"Statement":[]}' AS d UNION ALL SELECT '{"Statement":[]}],"boundary":null,"x":[{"Statement":[]}');
-- an identity row that closes the identity array and opens a boundary
SELECT iam_decision_agg(d, 's3:GetObject', '*', NULL, k) FROM (SELECT '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' AS d, 'identity' AS k UNION ALL SELECT '{"Statement":[]}],"boundary":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' AS d, 'identity' AS k);
-- the error names the row (in step order) that is wrong
SELECT iam_decision_agg(d, 's3:GetObject', '*') FROM (SELECT '{"Statement":[]}' AS d UNION ALL SELECT '{"Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}');
-- arrays of documents, whitespace around them and empty arrays are still fine
SELECT iam_decision_agg(d, 's3:GetObject', '*') FROM (SELECT char(9) || ' [ {"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} ] ' || char(10) AS d UNION ALL SELECT '[]' UNION ALL SELECT ' [ ] ');
SELECT iam_decision_agg(d, 's3:GetObject', '*', NULL, 'boundary') FROM (SELECT '[]' AS d);
-- the same argument checks as the scalars: text only, never cut at a NUL
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A' || char(0) || 'x', '*');
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A' || char(0) || 'x', '*');
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', '*', '{}' || char(0) || 'junk');
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', CAST('s3:A' AS BLOB), '*');
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', CAST('*' AS BLOB));
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', '*', CAST('{}' AS BLOB));
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', '*', '{}', CAST('boundary' AS BLOB));
SELECT iam_decision_agg(CAST('{"Statement":[]}' AS BLOB), 's3:A', '*');
SELECT iam_decision_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' || char(0) || 'junk', 's3:A', '*');
-- rows that differ only after a NUL byte are different rows
SELECT iam_decision_agg(d, a, '*') FROM (SELECT '{"Statement":[]}' AS d, 's3:A' AS a UNION ALL SELECT '{"Statement":[]}', 's3:A' || char(0));
-- invalid UTF-8 and over-long request values, in the scalars as in the aggregates
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', CAST(x'61ff' AS TEXT));
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:' || CAST(x'c0af' AS TEXT), '*');
SELECT iam_allows_agg('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', 'arn:' || CAST(x'eda080' AS TEXT));
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:' || printf('%.2000c', 'A'), '*');
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 's3:A', 'arn:' || printf('%.5000c', 'x'));
SELECT iam_resource_matches('*', CAST(x'ff' AS TEXT));
