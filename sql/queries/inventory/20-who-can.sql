-- SPDX-License-Identifier: MIT
-- Who can do what the questions ask? For every question (an action on a resource, with its
-- request context) and every user and role: the principals whose policies, with their
-- permissions boundary, allow the request; the policies that grant it on their own, and the
-- boundary it passed.
-- Needs: the extension. The questions are the rows of the editable table inv_question, decided
-- with iam_decision_agg; edit it to ask your own; ${account} in resource and context is the
-- principal's account. The context also carries the principal's own keys
-- (inv_principal_context: aws:PrincipalArn, aws:username, aws:PrincipalTag/...).
-- Section: Who can
WITH req AS (
  SELECT q.name AS question, q.action, c.account_id, c.kind, c.name, c.arn,
         replace(q.resource, '${account}', c.account_id) AS resource,
         json_patch(c.ctx, replace(q.context, '${account}', c.account_id)) AS ctx
  FROM inv_question AS q, inv_principal_context AS c)
SELECT r.question, r.action, r.resource, r.account_id AS account, r.kind, r.name AS principal,
       group_concat(DISTINCT CASE WHEN e.policy_kind = 'identity' AND iam_allows(e.document, r.action, r.resource, r.ctx)
                                  THEN e.policy_name || CASE WHEN e.via LIKE 'group:%' THEN ' (' || e.via || ')' ELSE '' END END)
         AS "allowed by",
       coalesce(max(CASE WHEN e.policy_kind = 'boundary' THEN e.policy_name END), 'none') AS boundary
FROM req AS r JOIN inv_effective_policy AS e ON e.principal_arn = r.arn
GROUP BY r.question, r.arn
HAVING iam_decision_agg(e.document, r.action, r.resource, r.ctx, e.policy_kind) = 'Allow'
ORDER BY r.question, r.account_id, r.kind DESC, r.name;
