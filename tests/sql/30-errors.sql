-- Invalid input is an SQL error naming the function and the place; never a decision.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT iam_decision('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}]}', 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"stringEquals":{"a":"b"}}}]}', 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}', 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},]}', 'ecs:RunTask', '*');
SELECT iam_allows('{"Version":"2012-10-18","Statement":[]}', 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*"}]}', 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*');
SELECT iam_allows('[{"Statement":[]},{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]}]', 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'RunTask', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*', '{"a":"b","A":"c"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*', '[]');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:RunTask', '*', '{"a":{"b":1}}');
SELECT iam_allows(CAST('{"Statement":[]}' AS BLOB), 'ecs:RunTask', '*');
SELECT iam_allows(42, 'ecs:RunTask', '*');
SELECT iam_allows('{"Statement":[]}', 'ecs:RunTask', 7);
-- a bad row stops the query: no partial answer
CREATE TABLE p(doc TEXT);
INSERT INTO p VALUES ('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'), ('{"Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}');
SELECT count(*) FROM p WHERE iam_allows(doc, 'ecs:RunTask', '*');
