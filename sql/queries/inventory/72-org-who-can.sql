-- SPDX-License-Identifier: MIT
-- Who in the organization can do what the questions ask? Every question of inv_question asked by
-- every user and role of the inventory, decided as a whole request across accounts (as the view
-- org_who_can decides it: the principal's policies and boundary and its account's SCPs, the
-- resource's policy and owner and that account's RCPs), grouped by question and decision: how
-- many principals, which ones, the step that decided (iam_explain) and the policy that did (an
-- SCP or RCP by name and node, the resource or trust policy, the identity side).
-- Needs: the extension; setup: principal-sets-setup.sql. Edit inv_question to ask your own
-- questions (${account} is the principal's account; aws:ResourceAccount in the context names the
-- owner of a resource whose policy is not imported, such as a bucket).
-- Each distinct policy set is decided once per account, kind and question (ps_class), and per
-- principal when a statement of its set covering the action, the resource policy, or the SCPs or
-- RCPs in the way read the principal's own keys or a policy variable, or the resource policy
-- names principals (users, roles, sessions) or uses NotPrincipal. The column who names an answer's
-- first 100 principals (by account, kind and name) and says how many more there are: at the scale of
-- an organization an answer holds hundreds of thousands (a spreadsheet cell holds 32,767 characters).
-- Section: Organization
WITH q AS MATERIALIZED (
  SELECT q.name AS question, q.action, a.account_id,
         replace(q.resource, '${account}', a.account_id) AS resource,
         replace(q.context, '${account}', a.account_id) AS context
  FROM inv_question AS q, (SELECT DISTINCT account_id FROM ps_principal) AS a),
qr AS MATERIALIZED (
  SELECT q.*, rp.arn AS policy_arn, rp.kind AS policy_kind, rp.document AS policy,
         coalesce(rp.account_id, q.context ->> '$."aws:ResourceAccount"', rr.account, q.account_id) AS resource_account
  FROM q
  JOIN inv_request_resource AS rr ON rr.resource = q.resource
  LEFT JOIN inv_resource_policy_all AS rp
    ON rp.arn = rr.policy_arn
   AND (rp.kind = 'resource' OR lower(substr(q.action, 1, 4)) = 'sts:')),
ctl AS MATERIALIZED (
  SELECT c.*, lower(coalesce(c.scps, '') || ' ' || coalesce(c.rcps, '')) AS t FROM org_account_controls AS c),
shape AS MATERIALIZED (
  -- does anything but the principal's set tell principals of one account and kind apart?
  SELECT qr.*, sc.scps, rc.rcps, rc.org_id AS r_org_id, rc.org_path AS r_org_path, rc.account_id AS r_account,
         sc.org_id AS p_org_id, sc.org_path AS p_org_path, sc.account_id AS p_account,
         sc.scp_names, rc.rcp_names, sc.levels AS scp_levels, rc.levels AS rcp_levels,
         (lower(coalesce(qr.policy, '')) || ' ' || coalesce(sc.t, '') || ' ' || coalesce(rc.t, '')) AS t
  FROM qr
  LEFT JOIN ctl AS sc ON sc.account_id = qr.account_id
  LEFT JOIN ctl AS rc ON rc.account_id = qr.resource_account),
shaped AS MATERIALIZED (
  -- one row per question and account; rest: the members of its requests that are not the
  -- principal's (iam_explain's members argument)
  SELECT row_number() OVER () AS sid, s.question, s.action, s.account_id, s.resource, s.context, s.policy_kind,
         s.p_account, s.p_org_id, s.p_org_path, s.r_account, s.r_org_id, s.r_org_path,
         s.scp_names, s.rcp_names, s.scp_levels, s.rcp_levels,
         json_object('resource_policy', json(s.policy), 'resource_account', s.resource_account,
                     'scps', json(s.scps), 'rcps', json(s.rcps)) AS rest,
         (s.t LIKE '%${%' OR s.t LIKE '%aws:principal%' OR s.t LIKE '%aws:username%' OR s.t LIKE '%aws:userid%'
          OR s.t LIKE '%notprincipal%' OR s.t LIKE '%:user/%' OR s.t LIKE '%:role/%' OR s.t LIKE '%assumed-role/%'
          OR s.t LIKE '%federated-user/%') AS fine
  FROM shape AS s),
req AS (
  -- what to decide, class by class with each one's questions together (its policy set is compiled
  -- once for them all); n: the principals the decision holds for
  SELECT s.sid, c.set_id, c.kind, '' AS who, c.rep, c.members AS n
  FROM ps_class AS c CROSS JOIN shaped AS s ON s.account_id = c.account_id
  WHERE NOT s.fine AND NOT EXISTS (SELECT 1 FROM ps_question_specific AS x WHERE x.question = s.question AND x.set_id = c.set_id)
  UNION ALL
  SELECT s.sid, p.set_id, p.kind, p.arn, p.arn, 1
  FROM shaped AS s JOIN ps_principal AS p ON p.account_id = s.account_id
  WHERE s.fine
  UNION ALL
  SELECT s.sid, p.set_id, p.kind, p.arn, p.arn, 1
  FROM ps_question_specific AS x CROSS JOIN ps_principal AS p CROSS JOIN shaped AS s
  WHERE p.set_id = x.set_id AND s.question = x.question AND s.account_id = p.account_id AND NOT s.fine),
step AS (
  -- the request in parts: the set's documents, the caller, and the members of the question and account
  SELECT s.question, s.action, s.account_id, s.policy_kind, s.scp_names, s.rcp_names, r.set_id, r.kind, r.who, r.n,
         e.decision, e.step, e.step_reason, e.policy_type, e.level, e.document_index,
         CASE WHEN e.policy_type = 'scp' OR e.step = 'scp-level' THEN s.scp_levels
              WHEN e.policy_type = 'rcp' THEN s.rcp_levels END AS lv,
         CASE WHEN e.step = 'scp-level' AND e.policy_type IS NULL THEN CAST(substr(e.step_reason, 11) AS INTEGER)
              ELSE e.level END AS li
  FROM req AS r JOIN shaped AS s ON s.sid = r.sid JOIN ps_set AS st ON st.set_id = r.set_id
  JOIN ps_principal AS p ON p.arn = r.rep,
  iam_explain(st.policy, s.action, s.resource,
              json_patch(json_patch(CASE WHEN s.p_account IS NULL THEN p.ctx
                                         ELSE json_patch(json_object('aws:PrincipalOrgID', s.p_org_id,
                                                                     'aws:PrincipalOrgPaths', json_array(s.p_org_path)), p.ctx) END,
                                    CASE WHEN s.r_account IS NULL THEN '{}'
                                         ELSE json_object('aws:ResourceOrgID', s.r_org_id, 'aws:ResourceOrgPaths', json_array(s.r_org_path)) END),
                         s.context),
              p.caller, s.rest) AS e
  WHERE e.decisive),
dec AS MATERIALIZED (
  -- each decision with the policy that made it
  SELECT question, action, account_id, set_id, kind, who, n, decision, step, step_reason,
         CASE WHEN policy_type = 'scp' THEN 'SCP ' || quote(scp_names ->> printf('$[%d][%d]', level, document_index)) || ' on '
              WHEN policy_type = 'rcp' THEN 'RCP ' || quote(rcp_names ->> printf('$[%d][%d]', level, document_index)) || ' on '
              WHEN step = 'scp-level' THEN 'no SCP that allows it on '
              WHEN policy_type = 'resource' THEN CASE policy_kind WHEN 'trust' THEN 'trust policy' ELSE 'resource policy' END
              WHEN policy_type IN ('identity', 'boundary', 'session') THEN policy_type || ' policy'
         END
         || CASE WHEN lv IS NULL THEN ''
                 WHEN lv ->> printf('$[%d].kind', li) = 'root' THEN 'the root'
                 WHEN lv ->> printf('$[%d].kind', li) = 'ou' THEN 'OU ' || quote(lv ->> printf('$[%d].name', li))
                 ELSE 'account ' || quote(lv ->> printf('$[%d].name', li)) END AS deciding_policy
  FROM step),
grp AS MATERIALIZED (
  -- each answer once: a question, its decision, the step and the policy that decided
  SELECT row_number() OVER () AS gid, * FROM (
    SELECT question, action, decision, step, deciding_policy, min(step_reason) AS why FROM dec
    GROUP BY question, decision, step, deciding_policy)),
gc AS MATERIALIZED (
  -- the answer of each class (or principal decided on its own), with how many principals it holds
  SELECT g.gid, d.account_id, d.kind, d.set_id, d.who, d.n AS members
  FROM dec AS d JOIN grp AS g ON g.question = d.question AND g.decision = d.decision AND g.step = d.step
                             AND g.deciding_policy IS d.deciding_policy),
part AS MATERIALIZED (
  -- per answer, account and kind: how many of its principals come before them in the list's order
  SELECT gid, account_id, kind,
         sum(n) OVER (PARTITION BY gid ORDER BY account_id, kind DESC ROWS UNBOUNDED PRECEDING) - n AS before
  FROM (SELECT gid, account_id, kind, sum(members) AS n FROM gc GROUP BY gid, account_id, kind)),
names AS (
  -- only the accounts that hold an answer's first 100 principals are listed by name
  SELECT g.gid, p.account_id, p.kind, p.name
  FROM gc AS g JOIN part AS t ON t.gid = g.gid AND t.account_id = g.account_id AND t.kind = g.kind AND t.before < 100
  JOIN ps_principal AS p ON p.set_id = g.set_id AND p.account_id = g.account_id AND p.kind = g.kind
  WHERE g.who = ''
  UNION ALL
  SELECT g.gid, p.account_id, p.kind, p.name
  FROM gc AS g JOIN part AS t ON t.gid = g.gid AND t.account_id = g.account_id AND t.kind = g.kind AND t.before < 100
  JOIN ps_principal AS p ON p.arn = g.who
  WHERE g.who <> ''),
ranked AS MATERIALIZED (
  SELECT x.gid, coalesce(n.name, x.account_id) || ':' || x.kind || '/' || x.name AS label,
         row_number() OVER (PARTITION BY x.gid ORDER BY x.account_id, x.kind DESC, x.name) AS k
  FROM names AS x LEFT JOIN org_node AS n ON n.node_id = x.account_id),
shown AS MATERIALIZED (
  SELECT gid, who FROM (
    SELECT gid, group_concat(label, ', ') OVER w AS who, row_number() OVER w AS nth
    FROM ranked WHERE k <= 100
    WINDOW w AS (PARTITION BY gid ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
total AS MATERIALIZED (
  SELECT gid, sum(members) AS principals FROM gc GROUP BY gid)
SELECT g.question, g.action, g.decision, g.step, g.deciding_policy AS "decided by", t.principals,
       (SELECT who FROM shown AS s WHERE s.gid = g.gid)
         || CASE WHEN t.principals > 100 THEN ', ... and ' || (t.principals - 100) || ' more (the view org_who_can lists them all)'
                 ELSE '' END AS who,
       g.why AS "why (first)"
FROM grp AS g JOIN total AS t ON t.gid = g.gid
ORDER BY g.question, CASE g.decision WHEN 'Allow' THEN 0 WHEN 'ExplicitDeny' THEN 1 ELSE 2 END, t.principals DESC, g.step;
