-- sql/lint/inventory.sql: lint the customer policies of an inventory (sql/inventory/schema.sql, filled by
-- scripts/import-gaad.sh) into a table, then report the findings by severity and code: inline
-- policies, every version of the customer managed policies, and roles' trust policies (as
-- policy type trust). AWS managed policies are left to the catalog (sql/lint/catalog.sql).
--
-- Needs:  the extension (iam_lint). For the data-driven checks, the action tables and lint tables:
--         an inventory made in a copy of a catalog has them; otherwise ATTACH a catalog first.
-- Run:    sqlite3 -cmd '.load ./dist/iam' inventory.db < sql/lint/inventory.sql
--         (make lint-report: with the catalog attached). All or nothing.
--
-- inv_lint_finding: one row per finding; source 'inline', 'managed' or 'trust', and the policy it is
-- about (owner and name, the policy ARN and version, or the role ARN).

BEGIN;
DROP TABLE IF EXISTS inv_lint_finding;
CREATE TABLE inv_lint_finding AS
WITH docs(account_id, source, policy, version_id, policy_type, document) AS (
  SELECT account_id, 'inline', owner_kind || ' ' || owner_name || ' ' || policy_name, NULL, 'identity', document
  FROM inv_inline_policy
  UNION ALL
  SELECT v.account_id, 'managed', v.policy_arn, v.version_id, 'identity', v.document
  FROM inv_policy_version AS v JOIN inv_managed_policy AS m ON m.account_id = v.account_id AND m.arn = v.policy_arn
  WHERE NOT m.aws_managed
  UNION ALL
  SELECT account_id, 'trust', arn, NULL, 'trust', trust_policy FROM inv_role WHERE trust_policy IS NOT NULL)
SELECT d.account_id, d.source, d.policy, d.version_id,
       l.code, l.severity, l.path, l.policy_index, l.statement_index, l.sid, l.message, l.value
FROM docs AS d, iam_lint(d.document, d.policy_type) AS l;
COMMIT;

.headers on
.mode column
SELECT severity, code, count(*) AS findings, count(DISTINCT source || ' ' || policy || ' ' || coalesce(version_id, '')) AS policies
FROM inv_lint_finding
GROUP BY severity, code
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'security_warning' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END,
         findings DESC, code;
