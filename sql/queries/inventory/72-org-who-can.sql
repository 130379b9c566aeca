-- SPDX-License-Identifier: MIT
-- Who in the organization can do what the questions ask? Every question of inv_question asked by
-- every user and role of the inventory, decided as a whole request across accounts (the view
-- org_who_can: the principal's policies and boundary and its account's SCPs, the resource's
-- policy and owner and that account's RCPs), grouped by question and decision: how many
-- principals, which ones, the step that decided (iam_explain) and the policy that did (an SCP or
-- RCP by name and node, the resource or trust policy, the identity side).
-- Needs: the extension. Edit inv_question to ask your own questions (${account} is the
-- principal's account; aws:ResourceAccount in the context names the owner of a resource whose
-- policy is not imported, such as a bucket).
-- Section: Organization
SELECT w.question, w.action, w.decision, w.step,
       w.deciding_policy AS "decided by",
       count(*) AS principals,
       group_concat(coalesce(n.name, w.account_id) || ':' || w.kind || '/' || w.name, ', ') AS who,
       min(w.step_reason) AS "why (first)"
FROM (SELECT * FROM org_who_can ORDER BY question, account_id, kind DESC, name) AS w
LEFT JOIN org_node AS n ON n.node_id = w.account_id
GROUP BY w.question, w.decision, w.step, w.deciding_policy
ORDER BY w.question, CASE w.decision WHEN 'Allow' THEN 0 WHEN 'ExplicitDeny' THEN 1 ELSE 2 END, count(*) DESC, w.step;
