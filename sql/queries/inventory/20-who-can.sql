-- SPDX-License-Identifier: MIT
-- Who can do what the questions ask? For every question of the editable table inv_question
-- (action, resource, context) and every user and role: the principals whose policies allow
-- the request (identity policies and permissions boundary), with the policies that grant it on
-- their own and the boundary they passed.
-- Needs: the extension; setup: principal-sets-setup.sql. Edit inv_question to ask your own
-- questions; ${account} in resource and context is the principal's account. The context also
-- carries the principal's own keys (inv_principal_context: aws:PrincipalArn, aws:username,
-- aws:PrincipalTag/...).
-- Each distinct policy set is decided once per account, kind and question (ps_class), and per
-- principal only when a statement covering the action reads the principal's own keys or a
-- policy variable (ps_set_reader).
-- Section: Who can
WITH q AS MATERIALIZED (
  SELECT name AS question, action, resource, context FROM inv_question),
req AS (
  -- one request per class, or per principal where its own keys count; class by class (CROSS JOIN
  -- keeps that order), so that each set's compiled policy is used for every question while the
  -- extension's cache holds it (an organization has more sets than the cache keeps)
  SELECT q.question, q.action, c.set_id, c.account_id, c.kind, '' AS who, c.rep
  FROM ps_class AS c CROSS JOIN q
  WHERE NOT EXISTS (SELECT 1 FROM ps_question_specific AS x WHERE x.question = q.question AND x.set_id = c.set_id)
  UNION ALL
  SELECT q.question, q.action, p.set_id, p.account_id, p.kind, p.arn, p.arn
  FROM ps_question_specific AS x JOIN q ON q.question = x.question JOIN ps_principal AS p ON p.set_id = x.set_id),
decided AS MATERIALIZED (
  SELECT r.question, r.action, r.set_id, r.account_id, r.kind, r.who,
         replace(q.resource, '${account}', r.account_id) AS resource,
         json_patch(p.ctx, replace(q.context, '${account}', r.account_id)) AS ctx
  FROM req AS r JOIN q ON q.question = r.question JOIN ps_set AS s ON s.set_id = r.set_id
  JOIN ps_principal AS p ON p.arn = r.rep
  WHERE iam_decision(s.policy, r.action, replace(q.resource, '${account}', r.account_id),
                     json_patch(p.ctx, replace(q.context, '${account}', r.account_id))) = 'Allow'),
granting AS MATERIALIZED (
  -- the identity documents that allow it on their own
  SELECT d.question, d.set_id, d.account_id, d.kind, d.who, x.doc_id
  FROM decided AS d JOIN ps_set_doc AS x ON x.set_id = d.set_id AND x.policy_kind = 'identity'
  JOIN ps_doc AS doc ON doc.doc_id = x.doc_id
  WHERE iam_allows(doc.document, d.action, d.resource, d.ctx)),
allowed AS MATERIALIZED (
  SELECT d.question, d.resource, d.set_id, d.account_id, d.kind, d.who, p.arn, p.name
  FROM decided AS d JOIN ps_principal AS p ON p.set_id = d.set_id AND p.account_id = d.account_id AND p.kind = d.kind
  WHERE d.who = ''
  UNION ALL
  SELECT d.question, d.resource, d.set_id, d.account_id, d.kind, d.who, p.arn, p.name
  FROM decided AS d JOIN ps_principal AS p ON p.arn = d.who
  WHERE d.who <> ''),
named_by AS (
  -- for each principal allowed, its policies that allow it on their own
  SELECT a.question, a.arn, group_concat(n) AS names
  FROM (SELECT DISTINCT a.question, a.arn,
               r.policy_name || CASE WHEN r.via LIKE 'group:%' THEN ' (' || r.via || ')' ELSE '' END AS n
        FROM allowed AS a
        JOIN ps_row AS r ON r.arn = a.arn AND r.policy_kind = 'identity'
        JOIN granting AS g ON g.question = a.question AND g.set_id = a.set_id AND g.account_id = a.account_id
                          AND g.kind = a.kind AND g.who = a.who AND g.doc_id = r.doc_id
        ORDER BY 1, 2, 3) AS a
  GROUP BY a.question, a.arn)
SELECT a.question, q.action, a.resource, a.account_id AS account, a.kind, a.name AS principal,
       b.names AS "allowed by",
       coalesce((SELECT max(r.policy_name) FROM ps_row AS r WHERE r.arn = a.arn AND r.policy_kind = 'boundary'), 'none')
         AS boundary
FROM allowed AS a JOIN q ON q.question = a.question
LEFT JOIN named_by AS b ON b.question = a.question AND b.arn = a.arn
WHERE EXISTS (SELECT 1 FROM ps_row AS r WHERE r.arn = a.arn)
ORDER BY a.question, a.account_id, a.kind DESC, a.name;
