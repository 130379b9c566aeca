-- SPDX-License-Identifier: MIT
-- Which principals are administrators? The access evaluator decides, not policy names: a user
-- or role is an administrator when its policies, with its permissions boundary, allow "*:*" on
-- "*" and every action of a probe list on "*" (every IAM action, and for every other service
-- its most privileged action); an IAM administrator when they allow every IAM action on "*", so
-- that it can give itself any permission. A principal allowed "*:*" but refused some probe
-- actions (a NotAction list, a Deny of some services) can do nearly every action. Each finding
-- names the statements that grant the access and how to take it away. Conditions are decided
-- with the principal's own context keys only: access that needs MFA or a network location is
-- not counted.
-- Needs: the extension and the action catalog.
-- setup: principal-sets-setup.sql, policy-setup.sql, admin-setup.sql
-- The statements are those iam_explain() finds applying (every Allow statement that applies, not
-- only the first), explained once per policy set as decided.
-- Severity: critical
-- Summary: administrators = count(*) FILTER (WHERE finding <> 'Nearly every action')
-- JSON columns: statement text
WITH probe (action) AS (SELECT action FROM ad_probe),
finding AS (
  SELECT p.account_id, p.kind, p.name, p.arn, a.finding, a.refused, a.set_id, a.who
  FROM ad_admin AS a JOIN ps_principal AS p ON p.arn = a.arn),
request (set_id, kind, who, rep, action) AS (
  -- once per set and kind (or per principal where the set reads its own keys), as decided
  SELECT set_id, kind, who, rep, '*:*' FROM ad_unit WHERE finding <> 'IAM administrator'
  UNION ALL
  SELECT u.set_id, u.kind, u.who, u.rep, p.action FROM ad_unit AS u, probe AS p
  WHERE u.finding = 'IAM administrator' AND p.action LIKE 'iam:%'),
explained AS MATERIALIZED (
  SELECT DISTINCT r.set_id, r.kind, r.who, x.document_index, x.statement_index, x.sid
  FROM request AS r JOIN ps_set AS s ON s.set_id = r.set_id JOIN ps_principal AS p ON p.arn = r.rep,
       iam_explain(s.policy, r.action, '*', p.ctx) AS x
  WHERE x.policy_type = 'identity' AND x.applies AND x.effect = 'Allow'),
grant AS MATERIALIZED (
  SELECT f.arn, e.statement_index, e.sid, d.policy_name, d.policy_type, d.via, d.policy_arn, d.aws_managed, d.label,
         CASE json_type(doc.document, '$.Statement') WHEN 'array' THEN doc.document -> ('$.Statement[' || e.statement_index || ']')
              ELSE doc.document -> '$.Statement' END AS stmt,
         CASE WHEN d.policy_type = 'inline' THEN 'rewrite the inline policy ' || d.policy_name
                   || CASE WHEN d.via LIKE 'group:%' THEN ' of group ' || substr(d.via, 7) ELSE '' END
              WHEN d.via LIKE 'group:%' THEN 'detach ' || d.policy_name || ' from group ' || substr(d.via, 7)
                   || ' (or take the user out of the group)'
              WHEN d.aws_managed THEN 'detach the AWS managed policy ' || d.policy_name
              ELSE 'detach ' || d.policy_name || ' (or narrow it: it is customer managed, and every principal it is attached to changes)' END AS remedy
  FROM finding AS f
  JOIN explained AS e ON e.set_id = f.set_id AND e.kind = f.kind AND e.who = f.who
  JOIN ps_set_doc AS x ON x.set_id = e.set_id AND x.policy_kind = 'identity' AND x.idx = e.document_index
  JOIN pp_doc AS d ON d.arn = f.arn AND d.part = 'identity' AND d.doc_id = x.doc_id
  JOIN ps_doc AS doc ON doc.doc_id = x.doc_id),
-- what is said of each principal, in order (aggregate window functions keep the window's order)
named AS MATERIALIZED (
  SELECT arn, statement, stmt_text, not_action FROM (
    SELECT arn, group_concat(policy_name || ' Statement[' || statement_index || ']' || coalesce(' Sid ' || sid, ''), '; ') OVER w AS statement,
           json_group_array(json(stmt)) OVER w AS stmt_text,
           max(stmt ->> '$.NotAction' IS NOT NULL) OVER w AS not_action,
           row_number() OVER w AS nth
    FROM grant
    WINDOW w AS (PARTITION BY arn ORDER BY via, policy_type, policy_name, policy_arn, statement_index ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
labels AS MATERIALIZED (
  SELECT arn, policy FROM (
    SELECT arn, group_concat(label, '; ') OVER w AS policy,
           row_number() OVER w AS nth
    FROM (SELECT DISTINCT arn, label FROM grant)
    WINDOW w AS (PARTITION BY arn ORDER BY label ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
remedies AS MATERIALIZED (
  SELECT arn, remedy FROM (
    SELECT arn, group_concat(remedy, '; ') OVER w AS remedy,
           row_number() OVER w AS nth
    FROM (SELECT DISTINCT arn, remedy FROM grant)
    WINDOW w AS (PARTITION BY arn ORDER BY remedy ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1)
SELECT CASE WHEN f.finding = 'Nearly every action' THEN 'high' ELSE 'critical' END AS severity,
       f.finding, f.account_id AS account, f.kind, f.name AS principal,
       CASE f.finding
         WHEN 'Administrator' THEN 'every action on every resource ("*" on "*")'
         WHEN 'IAM administrator' THEN 'every IAM action on every resource: it can give itself, or anyone, any permission'
         ELSE 'every action on every resource except ' || json_array_length(f.refused) || ' of the '
              || (SELECT count(*) FROM probe) || ' actions tested ('
              || (SELECT group_concat(value, ', ') FROM (SELECT value FROM json_each(f.refused) LIMIT 5))
              || CASE WHEN json_array_length(f.refused) > 5 THEN ', ...' ELSE '' END || ')' END AS "can do",
       (SELECT policy FROM labels AS l WHERE l.arn = f.arn) AS policy,
       (SELECT statement FROM named AS n WHERE n.arn = f.arn) AS statement,
       coalesce((SELECT stmt_text FROM named AS n WHERE n.arn = f.arn), '[]') AS "statement text",
       'To take it away: ' || (SELECT remedy FROM remedies AS r WHERE r.arn = f.arn)
         || '. Then grant ' || f.name || ' only the actions it uses'
         || CASE WHEN f.finding = 'Nearly every action' AND (SELECT not_action FROM named AS n WHERE n.arn = f.arn)
                 THEN ', by name: a NotAction list also grants every action AWS adds later.'
                 WHEN f.finding = 'Nearly every action' THEN '.'
                 ELSE '. Keep the administrators you need few, behind MFA, and out of daily use.' END AS fix
FROM finding AS f
ORDER BY f.finding = 'Nearly every action', f.account_id, f.kind DESC, f.name;
