-- Smoke test: the extension loads and answers (exercises scripts/run_sql_tests.sh).
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT iam_version() IS NOT NULL;
