-- SPDX-License-Identifier: MIT
-- Who can assume each role? For every role, the users and roles of the inventory whose request
-- sts:AssumeRole on it is allowed, decided as a whole request (iam_explain on a request in parts:
-- the caller's identity policies and boundary, the caller, and the role's trust policy as the
-- resource policy, which must allow even within the role's account), with the step that decided; then what
-- the trust policy names outside the inventory: other accounts and their principals, AWS
-- services, identity providers, and everyone ("*"), with the statement's conditions.
-- Needs: the extension; setup: principal-sets-setup.sql. A role is assumed by a session, so the
-- caller for a role is arn:aws:sts::ACCOUNT:assumed-role/NAME/sqlite-iam (inv_principal_request);
-- requests carry no context keys beyond the principal's own (aws:MultiFactorAuthPresent,
-- aws:SourceIp, ... absent).
-- Candidates, without trying every principal on every role: a trust policy lets in the principals
-- it names (by account: those whose own policies allow sts:AssumeRole; by ARN: those it names
-- directly), or everyone when it names "*" or uses NotPrincipal. Each distinct trust policy is
-- read once; the principals of one policy set, account and kind are decided once per role
-- (ps_class), and one by one when the trust policy names them, reads their own keys or a policy
-- variable, or names principals with a wildcard.
-- JSON columns: conditions
-- Section: Who can
WITH tdoc AS MATERIALIZED (
  SELECT DISTINCT document FROM inv_role_trust),
tstmt AS MATERIALIZED (
  SELECT t.document, s.effect, s.not_principal, s.principal_json, s.condition_json,
         lower(coalesce(s.resource_json, '') || ' ' || coalesce(s.condition_json, '')) AS reads
  FROM tdoc AS t, iam_statements(t.document) AS s),
tval AS MATERIALIZED (
  -- the AWS values each trust policy names ("*" for a bare "*")
  SELECT s.document, CASE WHEN json_type(s.principal_json) = 'text' THEN s.principal_json ->> '$' ELSE a.value END AS value
  FROM tstmt AS s
  LEFT JOIN json_each(CASE WHEN json_type(s.principal_json, '$.AWS') = 'array' THEN s.principal_json -> '$.AWS'
                           WHEN json_type(s.principal_json, '$.AWS') = 'text' THEN json_array(s.principal_json ->> '$.AWS')
                           ELSE '[]' END) AS a
  WHERE json_type(s.principal_json) = 'text' OR a.value IS NOT NULL),
tinfo AS MATERIALIZED (
  SELECT t.document,
         EXISTS (SELECT 1 FROM tstmt AS s WHERE s.document = t.document AND s.not_principal = 1)
           OR EXISTS (SELECT 1 FROM tval AS v WHERE v.document = t.document AND v.value = '*') AS open,
         EXISTS (SELECT 1 FROM tstmt AS s WHERE s.document = t.document
                 AND (s.reads LIKE '%${%' OR s.reads LIKE '%aws:principal%' OR s.reads LIKE '%aws:username%'
                      OR s.reads LIKE '%aws:userid%'))
           OR EXISTS (SELECT 1 FROM tval AS v WHERE v.document = t.document AND v.value <> '*' AND v.value GLOB '*[*?]*')
           AS fine
  FROM tdoc AS t),
taccount AS MATERIALIZED (
  -- the inventory's accounts each trust policy names: by id, or in an ARN
  SELECT DISTINCT v.document, a.account_id
  FROM tval AS v JOIN inv_account AS a
    ON a.account_id = CASE WHEN v.value GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN v.value
                           WHEN v.value GLOB 'arn:*::[0-9]*:*' THEN substr(v.value, instr(v.value, '::') + 2, 12) END),
tname AS MATERIALIZED (
  -- every '/'-separated part of the named ARNs: a principal with such a name is decided on its own
  SELECT DISTINCT v.document, a.account_id, n.value AS name
  FROM tval AS v JOIN taccount AS a ON a.document = v.document
  JOIN json_each('["' || replace(replace(replace(v.value, '\', '\\'), '"', '\"'), '/', '","') || '"]') AS n
  WHERE v.value GLOB 'arn:*::[0-9]*:*/*' AND n.key > 0),
trust AS MATERIALIZED (
  -- rest: the trust policy as the request's resource policy (iam_explain's members argument)
  SELECT t.account_id AS role_account, t.role_name, t.role_arn, t.document, i.open, i.fine,
         json_object('resource_policy', json(t.document)) AS rest
  FROM inv_role_trust AS t JOIN tinfo AS i ON i.document = t.document),
named AS MATERIALIZED (
  -- principals a trust policy names by name: always one by one
  SELECT DISTINCT t.role_arn, p.arn
  FROM trust AS t JOIN tname AS n ON n.document = t.document JOIN ps_principal AS p ON p.account_id = n.account_id AND p.name = n.name),
pair AS (
  -- by class: the trust policy tells the members apart by account only
  SELECT t.role_account, t.role_name, t.role_arn, t.rest, c.set_id, c.account_id, c.kind, '' AS who, c.rep
  FROM trust AS t JOIN ps_class AS c
  WHERE NOT t.fine AND t.open
    AND NOT EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = c.set_id)
  UNION ALL
  SELECT t.role_account, t.role_name, t.role_arn, t.rest, c.set_id, c.account_id, c.kind, '', c.rep
  FROM trust AS t JOIN taccount AS a ON a.document = t.document
  JOIN ps_class AS c ON c.account_id = a.account_id
  WHERE NOT t.fine AND NOT t.open AND c.set_id IN (SELECT set_id FROM ps_set_assume)
    AND NOT EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = c.set_id)
  UNION ALL
  -- one by one: the trust policy or the policy set reads the principal's own keys, or names it
  SELECT t.role_account, t.role_name, t.role_arn, t.rest, p.set_id, p.account_id, p.kind, p.arn, p.arn
  FROM trust AS t JOIN ps_principal AS p
  WHERE t.open AND (t.fine OR EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = p.set_id))
  UNION ALL
  SELECT t.role_account, t.role_name, t.role_arn, t.rest, p.set_id, p.account_id, p.kind, p.arn, p.arn
  FROM trust AS t JOIN taccount AS a ON a.document = t.document
  JOIN ps_principal AS p ON p.account_id = a.account_id
  WHERE NOT t.open AND p.set_id IN (SELECT set_id FROM ps_set_assume)
    AND (t.fine OR EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = p.set_id))
  UNION ALL
  SELECT t.role_account, t.role_name, t.role_arn, t.rest, p.set_id, p.account_id, p.kind, p.arn, p.arn
  FROM named AS n JOIN trust AS t ON t.role_arn = n.role_arn JOIN ps_principal AS p ON p.arn = n.arn
  WHERE NOT ((t.open OR p.set_id IN (SELECT set_id FROM ps_set_assume))
              AND (t.fine OR EXISTS (SELECT 1 FROM ps_set_reader AS r WHERE r.set_id = p.set_id)))),
allowed AS MATERIALIZED (
  -- the request in parts: the set's documents, the caller, and the trust policy
  SELECT x.role_account, x.role_name, x.role_arn, x.set_id, x.account_id, x.kind, x.who, e.step, e.step_reason
  FROM pair AS x JOIN ps_set AS s ON s.set_id = x.set_id JOIN ps_principal AS p ON p.arn = x.rep,
       iam_explain(s.policy, 'sts:AssumeRole', x.role_arn, p.ctx, p.caller, x.rest) AS e
  WHERE iam_allows(s.policy, 'sts:AssumeRole', x.role_arn, p.ctx, p.caller, x.rest) AND e.decisive),
member AS (
  -- the decisions joined back to the principals; those a trust policy names by name only one by one
  SELECT a.role_account, a.role_name, a.role_arn, p.arn, p.kind, a.step, a.step_reason
  FROM allowed AS a JOIN ps_principal AS p ON p.set_id = a.set_id AND p.account_id = a.account_id AND p.kind = a.kind
  WHERE a.who = '' AND NOT EXISTS (SELECT 1 FROM named AS n WHERE n.role_arn = a.role_arn AND n.arn = p.arn)
  UNION ALL
  SELECT a.role_account, a.role_name, a.role_arn, a.who, a.kind, a.step, a.step_reason
  FROM allowed AS a WHERE a.who <> ''),
nameds AS (
  -- what each Allow statement of a trust policy names, one value per row
  SELECT t.account_id, t.role_name, s.condition_json,
         CASE WHEN json_type(s.principal_json) = 'text' THEN '*' ELSE k.key END AS type,
         CASE WHEN json_type(s.principal_json) = 'text' THEN '*' ELSE coalesce(v.value, k.value) END AS value
  FROM inv_role_trust AS t JOIN tstmt AS s ON s.document = t.document
  LEFT JOIN json_each(CASE json_type(s.principal_json) WHEN 'object' THEN s.principal_json END) AS k
  LEFT JOIN json_each(CASE k.type WHEN 'array' THEN k.value END) AS v
  WHERE s.effect = 'Allow' AND s.not_principal = 0),
outside AS (
  SELECT n.account_id, n.role_name, n.value, n.condition_json,
         CASE WHEN n.value = '*' THEN 'anyone'
              WHEN n.type = 'Service' THEN 'AWS service'
              WHEN n.type = 'Federated' THEN 'identity provider'
              WHEN n.type = 'CanonicalUser' THEN 'canonical user'
              WHEN n.value GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                   OR n.value GLOB 'arn:*:iam::[0-9]*:root' THEN 'external account'
              ELSE 'external principal' END AS who
  FROM nameds AS n
  WHERE n.type IS NOT 'AWS' OR n.value = '*'
     OR NOT EXISTS (SELECT 1 FROM inv_account AS a
                    WHERE a.account_id = CASE WHEN n.value GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                                              THEN n.value
                                              WHEN n.value GLOB 'arn:*::[0-9]*:*'
                                              THEN substr(n.value, instr(n.value, '::') + 2, 12) END))
SELECT m.role_account AS account, m.role_name AS role, m.arn AS "assumable by",
       m.kind AS "principal kind", m.step,
       replace(replace(replace(m.step_reason, 'resource_policy.', ''), 'resource policy', 'trust policy'),
               'the role''s trust policy must allow, also within its account: it', 'the trust policy') AS why,
       NULL AS conditions
FROM member AS m WHERE m.arn <> m.role_arn
UNION ALL
SELECT o.account_id, o.role_name, o.value, o.who, 'named by the trust policy',
       CASE o.who WHEN 'anyone' THEN 'every caller, anonymous included, as far as the conditions allow'
                  WHEN 'AWS service' THEN 'the service acts on this grant alone, as far as the conditions allow'
                  WHEN 'identity provider' THEN 'users of that provider, through sts:AssumeRoleWithWebIdentity or SAML'
                  ELSE 'outside the inventory: its own policies must allow it too' END,
       json(o.condition_json)
FROM outside AS o
ORDER BY 1, 2, 4 DESC, 3;
