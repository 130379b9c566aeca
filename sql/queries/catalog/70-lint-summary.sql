-- What does the linter say about the latest version of every AWS managed policy? Findings by
-- code and severity (iam_lint, ext/LINT.md), with how many policies have each and one example.
-- Every version is a valid AWS policy, so no finding is an error. The data-driven checks read
-- the catalog's action tables and the lint_* tables (sql/lint/tables.sql) of this database.
-- Needs: the extension.
SELECT l.severity, l.code, count(*) AS findings, count(DISTINCT p.policy_id) AS policies,
       min(p.name || ' ' || l.path) AS example
FROM latest_policy AS p, iam_lint(p.document) AS l
GROUP BY l.severity, l.code
ORDER BY CASE l.severity WHEN 'error' THEN 0 WHEN 'security_warning' THEN 1 WHEN 'warning' THEN 2
         ELSE 3 END, findings DESC, l.code;
