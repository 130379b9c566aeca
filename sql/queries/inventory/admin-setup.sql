-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/admin-setup.sql: which users and roles are administrators, decided by the
-- evaluator, once for the reports that need it (11-admins.sql lists them; 42-data-access.sql
-- leaves them out, as everything is open to them). scripts/report.sh runs it once, before the
-- first report that names it; by hand: cat principal-sets-setup.sql, policy-setup.sql, this file
-- and the report into one sqlite3 run.
--
-- Needs: the extension, the action catalog (attached as `catalog`), and the TEMP tables of
-- principal-sets-setup.sql (run first).
-- Makes (TEMP tables):
--   ad_probe (action): the probe list: every IAM action, and for every other service its most
--     privileged action (the highest access level, then the first name).
--   ad_unit (set_id, kind, who, rep, finding, refused): one row per policy set and kind (who =
--     '') or, for a set with a statement that reads the principal's own keys or a policy
--     variable, per principal (who = its ARN), that is
--     'Administrator'        allowed "*:*" on "*" and every probe action on "*";
--     'IAM administrator'    allowed every IAM action on "*" (so it can give itself anything);
--     'Nearly every action'  allowed "*:*" on "*" but refused some probe actions;
--     refused is the JSON array of the probe actions refused (sorted); rep the principal whose
--     own keys the decisions carried.
--   ad_admin (arn, finding, refused, set_id, kind, who): the same per user and role.
-- Decisions are iam_decision() on the set's object (identity policies and boundary) with the
-- principal's own context keys only. The requests name no account, so the principals of one set
-- and kind get one decision unless the set reads their own keys.
CREATE TEMP TABLE ad_probe AS
SELECT 'iam:' || name AS action FROM catalog.action WHERE service = 'iam'
UNION
SELECT service || ':' || name
FROM (SELECT service, name, row_number() OVER (PARTITION BY service ORDER BY access_rank DESC, name) AS k
      FROM catalog.action)
WHERE k = 1;

CREATE TEMP TABLE ad_unit AS
WITH unit AS (
  SELECT c.set_id, c.kind, '' AS who, min(c.rep) AS rep
  FROM ps_class AS c WHERE NOT EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = c.set_id)
  GROUP BY c.set_id, c.kind
  UNION ALL
  SELECT p.set_id, p.kind, p.arn, p.arn
  FROM ps_principal AS p WHERE EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = p.set_id)),
candidate AS MATERIALIZED (
  -- (keys only: the set's text is read again where it is needed, not copied for every unit)
  SELECT u.set_id, u.kind, u.who, u.rep,
         iam_decision(s.policy, '*:*', '*', p.ctx) = 'Allow' AS star,
         iam_decision(s.policy, 'iam:AttachUserPolicy', '*', p.ctx) = 'Allow' AS iam_hint
  FROM unit AS u JOIN ps_set AS s ON s.set_id = u.set_id JOIN ps_principal AS p ON p.arn = u.rep),
checked AS MATERIALIZED (
  SELECT c.set_id, c.kind, c.who, c.rep, c.star,
         (SELECT count(*) FROM ad_probe AS x
          WHERE x.action LIKE 'iam:%' AND iam_decision(s.policy, x.action, '*', p.ctx) <> 'Allow') AS iam_refused,
         (SELECT json_group_array(action) FROM
            (SELECT x.action FROM ad_probe AS x WHERE c.star AND iam_decision(s.policy, x.action, '*', p.ctx) <> 'Allow'
             ORDER BY x.action)) AS refused
  FROM candidate AS c JOIN ps_set AS s ON s.set_id = c.set_id JOIN ps_principal AS p ON p.arn = c.rep
  WHERE c.star OR c.iam_hint)
SELECT set_id, kind, who, rep,
       CASE WHEN star AND json_array_length(refused) = 0 THEN 'Administrator'
            WHEN iam_refused = 0 THEN 'IAM administrator'
            ELSE 'Nearly every action' END AS finding,
       refused
FROM checked
WHERE star OR iam_refused = 0;

CREATE TEMP TABLE ad_admin AS
SELECT p.arn, u.finding, u.refused, u.set_id, u.kind, u.who
FROM ad_unit AS u JOIN ps_principal AS p ON p.set_id = u.set_id AND p.kind = u.kind
WHERE u.who = ''
UNION ALL
SELECT u.who, u.finding, u.refused, u.set_id, u.kind, u.who FROM ad_unit AS u WHERE u.who <> '';
CREATE INDEX temp.ad_admin_arn ON ad_admin (arn);
