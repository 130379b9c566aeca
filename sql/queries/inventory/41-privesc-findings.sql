-- SPDX-License-Identifier: MIT
-- Which statements let a principal escalate its privileges? One finding per user and role that
-- can take at least one escalation path of the report above: the paths, the statements that
-- allow their steps (all of them, so that taking them away closes the paths) and how to close
-- them. A principal whose only path is sts:AssumeRole on every role is a medium finding: what
-- it reaches depends on the roles' trust policies.
-- Needs: the extension.
-- setup: principal-sets-setup.sql, policy-setup.sql, privesc-setup.sql
-- The statements come from iam_explain() on each allowed step, once per policy set as decided.
-- Severity: high
-- JSON columns: statement text
WITH step AS MATERIALIZED (
  -- the allowed steps of each principal's rules, as decided: per class or per principal
  SELECT t.arn, d.rule, d.step, d.action, d.resource, d.ctx, d.set_id, d.account_id, d.kind, d.who
  FROM pe_taken AS t JOIN ps_principal AS p ON p.arn = t.arn
  JOIN pe_allowed AS d ON d.set_id = p.set_id AND d.account_id = p.account_id AND d.kind = p.kind
                      AND d.who IN ('', p.arn) AND d.rule = t.rule),
asked AS MATERIALIZED (
  SELECT DISTINCT set_id, account_id, kind, who, action, resource, ctx FROM step),
explained AS MATERIALIZED (
  SELECT DISTINCT a.set_id, a.account_id, a.kind, a.who, x.document_index, x.statement_index, x.sid
  FROM asked AS a JOIN ps_set AS s ON s.set_id = a.set_id, iam_explain(s.policy, a.action, a.resource, a.ctx) AS x
  WHERE x.policy_type = 'identity' AND x.applies AND x.effect = 'Allow'),
grant AS MATERIALIZED (
  SELECT u.arn, e.statement_index, e.sid, d.policy_name, d.policy_type, d.via, d.policy_arn, d.label, d.aws_managed,
         CASE json_type(doc.document, '$.Statement') WHEN 'array' THEN doc.document -> ('$.Statement[' || e.statement_index || ']')
              ELSE doc.document -> '$.Statement' END AS stmt
  FROM (SELECT DISTINCT arn, set_id, account_id, kind, who FROM step) AS u
  JOIN explained AS e ON e.set_id = u.set_id AND e.account_id = u.account_id AND e.kind = u.kind AND e.who = u.who
  JOIN ps_set_doc AS x ON x.set_id = e.set_id AND x.policy_kind = 'identity' AND x.idx = e.document_index
  JOIN pp_doc AS d ON d.arn = u.arn AND d.part = 'identity' AND d.doc_id = x.doc_id
  JOIN ps_doc AS doc ON doc.doc_id = x.doc_id
  GROUP BY u.arn, d.via, d.policy_type, d.policy_name, d.policy_arn, e.statement_index, e.sid),
principal AS MATERIALIZED (
  SELECT arn, rules, beyond_assume, paths FROM (
    SELECT arn, count(*) OVER w AS rules,
           max(rule <> 'AssumeAnyRole') OVER w AS beyond_assume,
           group_concat(rule || ': ' || description, '; ') OVER w AS paths,
           row_number() OVER w AS nth
    FROM (SELECT t.arn, t.rule, r.description FROM pe_taken AS t JOIN privesc_rule AS r ON r.name = t.rule)
    WINDOW w AS (PARTITION BY arn ORDER BY rule ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
-- what is said of each principal, in order (aggregate window functions keep the window's order)
named AS MATERIALIZED (
  SELECT arn, statement, stmt_text FROM (
    SELECT arn, group_concat(policy_name || ' Statement[' || statement_index || ']' || coalesce(' Sid ' || sid, ''), '; ') OVER w AS statement,
           json_group_array(json(stmt)) OVER w AS stmt_text,
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
managed AS MATERIALIZED (
  SELECT arn, names FROM (
    SELECT arn, group_concat(policy_name, ', ') OVER w AS names,
           row_number() OVER w AS nth
    FROM (SELECT DISTINCT arn, policy_name FROM grant WHERE aws_managed)
    WINDOW w AS (PARTITION BY arn ORDER BY policy_name ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
acts AS MATERIALIZED (
  SELECT arn, actions, pass_role FROM (
    SELECT arn, group_concat(action, ', ') OVER w AS actions,
           max(action = 'iam:PassRole') OVER w AS pass_role,
           row_number() OVER w AS nth
    FROM (SELECT DISTINCT arn, action FROM step)
    WINDOW w AS (PARTITION BY arn ORDER BY action ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1)
SELECT CASE WHEN pr.beyond_assume THEN 'high' ELSE 'medium' END AS severity,
       'Privilege escalation' AS finding, p.account_id AS account, p.kind, p.name AS principal,
       'escalate its own privileges by ' || pr.rules || CASE pr.rules WHEN 1 THEN ' path: ' ELSE ' paths: ' END || pr.paths AS "can do",
       (SELECT policy FROM labels AS l WHERE l.arn = pr.arn) AS policy,
       (SELECT statement FROM named AS n WHERE n.arn = pr.arn) AS statement,
       coalesce((SELECT stmt_text FROM named AS n WHERE n.arn = pr.arn), '[]') AS "statement text",
       'Take ' || (SELECT actions FROM acts AS a WHERE a.arn = pr.arn)
         || ' out of the statements above, or limit their Resource to the roles, users and policies ' || p.name
         || ' must manage'
         || CASE WHEN (SELECT pass_role FROM acts AS a WHERE a.arn = pr.arn) THEN ' (for iam:PassRole, name the roles and the service in iam:PassedToService).' ELSE '.' END
         || coalesce(' AWS managed policies cannot be edited: detach ' || (SELECT names FROM managed AS m WHERE m.arn = pr.arn)
                     || ' and grant what it needs in a policy of your own.', '')
         || ' A permissions boundary without these actions closes every path at once.' AS fix
FROM principal AS pr JOIN inv_principal AS p ON p.arn = pr.arn
ORDER BY pr.beyond_assume DESC, pr.rules DESC, p.account_id, p.kind DESC, p.name;
