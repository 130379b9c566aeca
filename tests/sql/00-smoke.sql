-- Smoke test: the extension loads, reports a version, and decides both ways. Each line below
-- would change if the functions were missing, answered a constant, or ignored their arguments.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT iam_version() GLOB '[0-9]*.[0-9]*.[0-9]*';
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', 's3:GetObject', '*');
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', 's3:PutObject', '*');
SELECT iam_decision('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:Put*","Resource":"*"}]}', 's3:PutObject', '*');
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', 's3:GetObject', '*');
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', 's3:GetObject', NULL);
