-- SPDX-License-Identifier: MIT
-- Which statements let a principal escalate its privileges? One finding per user and role that
-- can take at least one escalation path of the report above: the paths, the statements that
-- allow their steps (all of them, so that taking them away closes the paths) and how to close
-- them. A principal whose only path is sts:AssumeRole on every role is a medium finding: what
-- it reaches depends on the roles' trust policies.
-- Needs: the extension; setup: policy-setup.sql, privesc-setup.sql. The statements come from
-- iam_explain() on each allowed step.
-- Severity: high
-- JSON columns: statement text
WITH step AS (
  SELECT d.* FROM pe_decided AS d JOIN pe_taken AS t ON t.rule = d.rule AND t.arn = d.arn
  WHERE d.decision = 'Allow'),
explained AS MATERIALIZED (
  SELECT DISTINCT s.arn, x.document_index, x.statement_index, x.sid
  FROM step AS s JOIN pp_obj AS o ON o.arn = s.arn, iam_explain(o.obj, s.action, s.resource, s.ctx) AS x
  WHERE x.policy_type = 'identity' AND x.applies AND x.effect = 'Allow'),
grant AS (
  SELECT e.arn, e.statement_index, e.sid, d.policy_name, d.label, d.aws_managed,
         CASE json_type(d.document, '$.Statement') WHEN 'array' THEN d.document -> ('$.Statement[' || e.statement_index || ']')
              ELSE d.document -> '$.Statement' END AS stmt
  FROM explained AS e
  JOIN pp_doc AS d ON d.arn = e.arn AND d.part = 'identity' AND d.idx = e.document_index
  ORDER BY e.arn, e.document_index, e.statement_index),
principal AS (
  SELECT t.arn, count(*) AS rules, max(t.rule <> 'AssumeAnyRole') AS beyond_assume
  FROM pe_taken AS t GROUP BY t.arn)
SELECT CASE WHEN pr.beyond_assume THEN 'high' ELSE 'medium' END AS severity,
       'Privilege escalation' AS finding, p.account_id AS account, p.kind, p.name AS principal,
       'escalate its own privileges by ' || pr.rules || CASE pr.rules WHEN 1 THEN ' path: ' ELSE ' paths: ' END
         || (SELECT group_concat(r.name || ': ' || r.description, '; ')
             FROM pe_taken AS t JOIN privesc_rule AS r ON r.name = t.rule WHERE t.arn = pr.arn) AS "can do",
       (SELECT group_concat(label, '; ') FROM (SELECT DISTINCT label FROM grant AS g WHERE g.arn = pr.arn)) AS policy,
       (SELECT group_concat(policy_name || ' Statement[' || statement_index || ']' || coalesce(' Sid ' || sid, ''), '; ')
        FROM grant AS g WHERE g.arn = pr.arn) AS statement,
       (SELECT json_group_array(json(stmt)) FROM grant AS g WHERE g.arn = pr.arn) AS "statement text",
       'Take ' || (SELECT group_concat(action, ', ') FROM (SELECT DISTINCT s.action FROM step AS s WHERE s.arn = pr.arn ORDER BY 1))
         || ' out of the statements above, or limit their Resource to the roles, users and policies ' || p.name
         || ' must manage'
         || CASE WHEN EXISTS (SELECT 1 FROM step AS s WHERE s.arn = pr.arn AND s.action = 'iam:PassRole')
                 THEN ' (for iam:PassRole, name the roles and the service in iam:PassedToService).' ELSE '.' END
         || coalesce(' AWS managed policies cannot be edited: detach '
                     || (SELECT group_concat(policy_name, ', ') FROM (SELECT DISTINCT policy_name FROM grant AS g
                                                                      WHERE g.arn = pr.arn AND g.aws_managed))
                     || ' and grant what it needs in a policy of your own.', '')
         || ' A permissions boundary without these actions closes every path at once.' AS fix
FROM principal AS pr JOIN inv_principal AS p ON p.arn = pr.arn
ORDER BY pr.beyond_assume DESC, pr.rules DESC, p.account_id, p.kind DESC, p.name;
