-- SPDX-License-Identifier: MIT
-- Who can assume each role? For every role, the users and roles of the inventory whose request
-- sts:AssumeRole on it is allowed, decided as a whole request (iam_decision on the object form:
-- the caller's identity policies and boundary, and the role's trust policy as the resource
-- policy, which must allow even within the role's account), with the step that decided; then what
-- the trust policy names outside the inventory: other accounts and their principals, AWS
-- services, identity providers, and everyone ("*"), with the statement's conditions.
-- Needs: the extension. A role is assumed by a session, so the caller for a role is
-- arn:aws:sts::ACCOUNT:assumed-role/NAME/sqlite-iam (inv_principal_request); requests carry no
-- context keys beyond the principal's own (aws:MultiFactorAuthPresent, aws:SourceIp, ... absent).
-- JSON columns: conditions
-- Section: Who can
WITH trust AS (
  SELECT t.account_id, t.role_name, t.role_arn, t.document,
         -- a trust policy that names everyone (or excludes some) can let any principal in
         EXISTS (SELECT 1 FROM iam_statements(t.document) AS s
                 WHERE s.not_principal = 1 OR s.principal_json = '"*"'
                    OR EXISTS (SELECT 1 FROM json_each(s.principal_json, '$.AWS') AS a WHERE a.value = '*'))
           AS open
  FROM inv_role_trust AS t),
pair AS (
  -- candidates: every AWS value that names a principal holds its account number
  SELECT t.account_id AS role_account, t.role_name, t.role_arn, p.kind, p.arn, p.caller,
         json_set(p.request, '$.resource_policy', json(t.document)) AS request, p.ctx
  FROM trust AS t
  JOIN inv_principal_request AS p ON (t.open OR instr(t.document, p.account_id) > 0) AND p.arn <> t.role_arn),
allowed AS (
  SELECT * FROM pair WHERE iam_allows(request, 'sts:AssumeRole', role_arn, ctx)),
named AS (
  -- what each Allow statement of a trust policy names, one value per row
  SELECT t.account_id, t.role_name, s.condition_json,
         CASE WHEN json_type(s.principal_json) = 'text' THEN '*' ELSE k.key END AS type,
         CASE WHEN json_type(s.principal_json) = 'text' THEN '*' ELSE coalesce(v.value, k.value) END AS value
  FROM inv_role_trust AS t, iam_statements(t.document) AS s
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
  FROM named AS n
  WHERE n.type IS NOT 'AWS' OR n.value = '*'
     OR NOT EXISTS (SELECT 1 FROM inv_account AS a
                    WHERE n.value = a.account_id OR n.value GLOB 'arn:*:*::' || a.account_id || ':*'))
SELECT a.role_account AS account, a.role_name AS role, a.arn AS "assumable by",
       a.kind AS "principal kind", e.step,
       replace(replace(replace(e.step_reason, 'resource_policy.', ''), 'resource policy', 'trust policy'),
               'the role''s trust policy must allow, also within its account: it', 'the trust policy') AS why,
       NULL AS conditions
FROM allowed AS a, iam_explain(a.request, 'sts:AssumeRole', a.role_arn, a.ctx) AS e
WHERE e.decisive
UNION ALL
SELECT o.account_id, o.role_name, o.value, o.who, 'named by the trust policy',
       CASE o.who WHEN 'anyone' THEN 'every caller, anonymous included, as far as the conditions allow'
                  WHEN 'AWS service' THEN 'the service acts on this grant alone, as far as the conditions allow'
                  WHEN 'identity provider' THEN 'users of that provider, through sts:AssumeRoleWithWebIdentity or SAML'
                  ELSE 'outside the inventory: its own policies must allow it too' END,
       json(o.condition_json)
FROM outside AS o
ORDER BY 1, 2, 4 DESC, 3;
