-- iam_lint: grammar problems are 'error' rows, all of them, never an SQL error; exactly when
-- iam_policy_error (and iam_decision) reject the text.
.echo on
.headers off
.mode list
.nullvalue NULL
-- MALFORMED_JSON: one row, with line and column
SELECT code, severity, path, message FROM iam_lint('{"Version":"2012-10-17",
  "Statement":[{"Effect":"Allow",}]}');
SELECT code, message FROM iam_lint('{"Statement":[');
SELECT code, message FROM iam_lint(CAST(X'7B2261223A22FF227D' AS TEXT));
SELECT code, message FROM iam_lint(replace('{"a":"\u0000"}', 'u0000', 'u' || '0000'));
-- near miss: a valid text has no error row (the catalog is not in this database: one suggestion)
SELECT code, severity FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}');
-- INVALID_VERSION and UNKNOWN_OPERATOR, then their near misses
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringEquals":{"aws:username":"a"}}}}') WHERE severity = 'error';
SELECT count(*) FROM iam_lint('{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}}}') WHERE severity = 'error';
-- every problem at once, each with its place
SELECT code, path, statement_index, message, value FROM iam_lint('{"Version":"2012-10-18","Id":7,"Statements":[],
  "Statement":[
    {"Sid":"A","Effect":"allow","Action":"s3:GetObject","Resource":"*"},
    {"Effect":"Allow","Action":["s3:GetObject",7],"NotAction":"s3:x","Resource":"*","Color":"red"},
    {"Effect":"Deny","Action":"s3:*","Resource":"*","Resource":"x","Condition":{"StringEqualz":{"k":"v"},"NullIfExists":{"k":"true"},"StringLike":{"k":"a","K":"b"},"Bool":{"k":[null]},"NumericEquals":"5"}},
    "not a statement",
    {"Effect":"Allow","Principal":"*","Action":"s3:*"}]}') WHERE severity = 'error';
SELECT iam_policy_error('{"Version":"2012-10-18","Statement":[]}');
-- the parser's first problem is always among the rows
SELECT count(*) FROM iam_lint('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"n":1e999}}}]}') WHERE severity = 'error';
SELECT iam_policy_error('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"n":1e999}}}]}');
-- documents, arrays of documents and policy objects, as iam_decision reads them
SELECT code, path, policy_index, statement_index FROM iam_lint('[{"Statement":[]},{"Statement":{"Effect":"Allow"}},3]') WHERE severity = 'error';
SELECT code, path, message FROM iam_lint('{"identity":{"Statement":[]},"boundary":{"Statement":[{"Effect":"Deny","Action":"*"}]},"extra":1}') WHERE severity = 'error';
SELECT code, path, message FROM iam_lint('{"principal":"arn:aws:iam::111122223333:group/g","scps":[{"Statement":[]}],"resource_policy":[],"session":{"Statement":[]},"action":"s3:x"}') WHERE severity = 'error';
SELECT code, path, message FROM iam_lint('{"principal":"arn:aws:iam::111122223333:user/u","session":{"Statement":[]},"scps":[[{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}]],"rcps":[[{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}]]}') WHERE severity = 'error';
-- policy types: by the type's rules
SELECT code, path, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', 'resource') WHERE severity = 'error';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}}', 'trust') WHERE severity = 'error';
SELECT code, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}', 'rcp') WHERE severity = 'error';
SELECT code, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}', 'scp') WHERE severity = 'error';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}', 'rcp') WHERE severity = 'error';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}', 'endpoint') WHERE severity = 'error';
SELECT code, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}', 'session') WHERE severity = 'error';
SELECT code, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}') WHERE severity = 'error';
-- iam_policy_error: NULL when valid; the message iam_decision raises, without its prefix
SELECT iam_policy_error('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}') IS NULL;
SELECT iam_policy_error('{"Statement":{"Effect":"Allow","Action":"s3:*"}}');
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:*"}}', 's3:x', '*');
SELECT iam_policy_error('{"Statement":{"Effect":"Allow","Action":"s3:*"}}', 'resource');
SELECT iam_policy_error('{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}', 'resource') IS NULL;
SELECT iam_policy_error('{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}', 'trust') IS NULL;
SELECT iam_policy_error('{"principal":"anonymous","identity":[{"Statement":[]}]}');
SELECT iam_policy_error('{"principal":"anonymous","identity":[]}') IS NULL;
SELECT iam_policy_error('{"identity":[],"boundary":[]}', 'identity') IS NULL;
SELECT iam_policy_error('{"identity":[],"boundary":[]}', 'boundary');
SELECT iam_policy_error(NULL), iam_policy_error(NULL, 'scp');
SELECT iam_policy_error('{"Statement":[]}', NULL) IS NULL;
-- misuse of the arguments is an SQL error, not a finding
SELECT iam_policy_error('{"Statement":[]}', 'role');
SELECT iam_policy_error(42);
SELECT * FROM iam_lint('{"Statement":[]}', 'role');
SELECT * FROM iam_lint(42);
SELECT * FROM iam_lint(CAST('{"Statement":[]}' AS BLOB));
SELECT * FROM iam_lint;
SELECT count(*) FROM iam_lint(NULL);
SELECT count(*) FROM iam_lint(NULL, 'scp');
-- the hidden columns give the arguments back
SELECT DISTINCT policy, policy_type FROM iam_lint('{"Statement":[]}', 'scp');
-- a table of documents: one query, bad rows do not stop it
CREATE TABLE docs(name TEXT, doc TEXT);
INSERT INTO docs VALUES ('ok', '{"Version":"2012-10-17","Statement":[]}'), ('bad', '{"Statement":[{"Effect":"Alow","Action":"s3:*","Resource":"*"}]}'), ('broken', '{"Statement":'), ('none', NULL);
SELECT d.name, l.code, l.path FROM docs d, iam_lint(d.doc) l WHERE l.severity = 'error' ORDER BY 1, 3;
SELECT name, iam_policy_error(doc) FROM docs ORDER BY 1;
-- usable in a view with trusted_schema off
PRAGMA trusted_schema = OFF;
CREATE VIEW doc_errors AS SELECT d.name, count(*) AS n FROM docs d, iam_lint(d.doc) l WHERE l.severity = 'error' GROUP BY 1;
SELECT * FROM doc_errors ORDER BY 1;
SELECT name FROM docs WHERE iam_policy_error(doc) IS NOT NULL ORDER BY 1;
