-- sql/lint/catalog.sql: lint every stored version of the AWS managed policies into a table, then
-- report the findings by severity and code.
--
-- Needs:  the extension (iam_lint), a catalog database (policy, policy_version; the action tables
--         and the lint_* tables of sql/lint/tables.sql for the data-driven checks).
-- Run:    sqlite3 -cmd '.load ./dist/iam' catalog.db < sql/lint/catalog.sql   (make lint-report)
--         The table is replaced in one transaction: all or nothing.
--
-- lint_policy_finding: one row per finding, with the policy and version it is about; columns as
-- iam_lint's (ext/README.md, "Linting").

BEGIN;
DROP TABLE IF EXISTS lint_policy_finding;
CREATE TABLE lint_policy_finding AS
SELECT v.policy_id, p.name AS policy_name, v.version_id, v.is_default,
       l.code, l.severity, l.path, l.policy_index, l.statement_index, l.sid, l.message, l.value
FROM policy_version AS v JOIN policy AS p USING (policy_id), iam_lint(v.document) AS l
ORDER BY p.name, v.version_num, l.rowid;
CREATE INDEX lint_policy_finding_by_code ON lint_policy_finding (code, severity);
COMMIT;

.headers on
.mode column
SELECT severity, code, count(*) AS findings, count(DISTINCT policy_id || ' ' || version_id) AS versions,
       sum(is_default) AS "in latest versions"
FROM lint_policy_finding
GROUP BY severity, code
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'security_warning' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END,
         findings DESC, code;
