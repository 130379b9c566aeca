-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/admin-setup.sql: which users and roles are administrators, decided by the
-- evaluator, once for the reports that need it (11-admins.sql lists them; 42-data-access.sql
-- leaves them out, as everything is open to them). scripts/report.sh runs it once, before the
-- first report that names it; by hand: cat policy-setup.sql, this file and the report into one
-- sqlite3 run.
--
-- Needs: the extension, the action catalog (attached as `catalog`), and the TEMP table pp_obj of
-- policy-setup.sql (run first).
-- Makes (TEMP tables):
--   ad_probe (action): the probe list: every IAM action, and for every other service its most
--     privileged action (the highest access level, then the first name).
--   ad_admin (arn, finding, refused): one row per user or role that is
--     'Administrator'        allowed "*:*" on "*" and every probe action on "*";
--     'IAM administrator'    allowed every IAM action on "*" (so it can give itself anything);
--     'Nearly every action'  allowed "*:*" on "*" but refused some probe actions;
--     refused is the JSON array of the probe actions refused (sorted).
-- Decisions are iam_decision() on the principal's object (identity policies and boundary) with
-- its own context keys only.
CREATE TEMP TABLE ad_probe AS
SELECT 'iam:' || name AS action FROM catalog.action WHERE service = 'iam'
UNION
SELECT service || ':' || name
FROM (SELECT service, name, row_number() OVER (PARTITION BY service ORDER BY access_rank DESC, name) AS k
      FROM catalog.action)
WHERE k = 1;

CREATE TEMP TABLE ad_admin AS
WITH candidate AS MATERIALIZED (
  SELECT o.arn, o.obj, o.ctx, iam_decision(o.obj, '*:*', '*', o.ctx) = 'Allow' AS star,
         iam_decision(o.obj, 'iam:AttachUserPolicy', '*', o.ctx) = 'Allow' AS iam_hint
  FROM pp_obj AS o),
checked AS MATERIALIZED (
  SELECT c.arn, c.star,
         (SELECT count(*) FROM ad_probe AS p
          WHERE p.action LIKE 'iam:%' AND iam_decision(c.obj, p.action, '*', c.ctx) <> 'Allow') AS iam_refused,
         (SELECT json_group_array(action) FROM
            (SELECT p.action FROM ad_probe AS p WHERE c.star AND iam_decision(c.obj, p.action, '*', c.ctx) <> 'Allow'
             ORDER BY p.action)) AS refused
  FROM candidate AS c
  WHERE c.star OR c.iam_hint)
SELECT arn,
       CASE WHEN star AND json_array_length(refused) = 0 THEN 'Administrator'
            WHEN iam_refused = 0 THEN 'IAM administrator'
            ELSE 'Nearly every action' END AS finding,
       refused
FROM checked
WHERE star OR iam_refused = 0;
CREATE INDEX temp.ad_admin_arn ON ad_admin (arn);
