-- SPDX-License-Identifier: MIT
-- Who outside the organization can act on our resources? Every Allow statement of an imported
-- resource policy or role trust policy that names a principal outside the organization (the
-- accounts of the imported organization; without one, the inventory's accounts): anyone ("*",
-- or NotPrincipal), another account or a principal of one, an AWS service whose grant no
-- aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition ties to the organization, an
-- identity provider (service-linked roles aside: their trust is AWS's). For each, the actions of
-- the resource's service the statement covers
-- (expanded with the action catalog), and two decisions per action and resource pattern with
-- iam_decision on a whole request by an outsider (a user, the root or the service of an account
-- outside, 999999999999, with nothing in its own way): does the policy let it in, and do the
-- resource account's RCPs keep it out. A grant whose conditions need keys the outsider's request
-- does not carry (aws:SourceIp, sts:ExternalId, ...) is shown with those keys; one that only the
-- organization's own keys open (aws:PrincipalOrgID, aws:SourceAccount of ours, ...) is not.
-- Needs: the extension and the action catalog. Identity providers and canonical users are listed
-- without a decision (the evaluator has no such callers).
-- JSON columns: conditions
-- Section: External access
-- Summary: external access = count(DISTINCT resource) FILTER (WHERE "grantee kind" <> 'AWS service')
WITH
trusted (account_id) AS (
  SELECT n.node_id FROM org_node AS n JOIN org_organization AS o ON o.org_id = n.org_id WHERE n.kind = 'account'
  UNION SELECT account_id FROM inv_account WHERE NOT EXISTS (SELECT 1 FROM org_organization)),
outsider (account_id) AS (
  SELECT min(column1) FROM (VALUES ('999999999999'), ('999999999998'), ('999999999997'))
  WHERE column1 NOT IN (SELECT account_id FROM trusted)),
org (org_id) AS (SELECT org_id FROM org_organization),
stmts AS (
  SELECT p.arn, p.account_id, p.service, p.kind, p.document, s.statement_index, s.sid, s.not_principal,
         s.principal_json, s.condition_json, s.action_json, s.not_action,
         (SELECT json_group_array(json(e.value))
          FROM json_each(CASE json_type(p.document, '$.Statement') WHEN 'array' THEN p.document -> '$.Statement'
                              ELSE json_array(json(p.document -> '$.Statement')) END) AS e
          WHERE e.value ->> '$.Effect' = 'Deny') AS denies,
         (SELECT e.value
          FROM json_each(CASE json_type(p.document, '$.Statement') WHEN 'array' THEN p.document -> '$.Statement'
                              ELSE json_array(json(p.document -> '$.Statement')) END) AS e
          WHERE e.key = s.statement_index) AS this
  FROM inv_resource_policy_all AS p, iam_statements(p.document) AS s
  WHERE s.effect = 'Allow'
    -- a service-linked role trusts its service, as AWS made it and no one can change
    AND NOT (p.kind = 'trust' AND p.arn GLOB 'arn:aws*:iam::*:role/aws-service-role/*')),
-- granting: the statement with the Deny statements of its policy (which still apply), so that
-- what is decided is what this statement grants; it is statement gi of that document
stmt AS MATERIALIZED (
  SELECT arn, account_id, service, kind, statement_index, sid, not_principal, principal_json, condition_json,
         action_json, not_action, json_array_length(denies) AS gi,
         json_patch(json_object('Statement', json_insert(denies, '$[#]', json(this))),
                    CASE WHEN document ->> '$.Version' IS NOT NULL THEN json_object('Version', document ->> '$.Version') ELSE '{}' END)
           AS document
  FROM stmts),
named AS (
  -- what each statement names, one value per row (NotPrincipal: everyone but those listed)
  SELECT st.*,
         CASE WHEN st.not_principal OR json_type(st.principal_json) = 'text' THEN '*' ELSE k.key END AS type,
         CASE WHEN st.not_principal OR json_type(st.principal_json) = 'text' THEN '*' ELSE coalesce(v.value, k.value) END AS value
  FROM stmt AS st
  LEFT JOIN json_each(CASE WHEN NOT st.not_principal AND json_type(st.principal_json) = 'object' THEN st.principal_json END) AS k
  LEFT JOIN json_each(CASE k.type WHEN 'array' THEN k.value END) AS v),
classified AS (
  SELECT n.*,
         CASE WHEN n.value = '*' THEN 'anyone'
              WHEN n.type = 'Service' THEN 'AWS service'
              WHEN n.type = 'Federated' THEN 'identity provider'
              WHEN n.type = 'CanonicalUser' THEN 'canonical user'
              WHEN n.value GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                   OR n.value GLOB 'arn:*:iam::[0-9]*:root' THEN 'external account'
              ELSE 'external principal' END AS who,
         CASE WHEN n.value GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN n.value
              WHEN n.type = 'AWS' AND n.value GLOB 'arn:*:*::[0-9]*:*'
                THEN substr(substr(n.value, instr(n.value, '::') + 2), 1, instr(substr(n.value, instr(n.value, '::') + 2), ':') - 1)
         END AS grantee_account
  FROM named AS n),
-- the service grants that a condition ties to the organization: aws:SourceAccount (or
-- AWS:SourceOwner) with only our accounts, aws:SourceOrgID with only our organization, or
-- aws:SourceArn
tied AS (
  SELECT c.arn, c.statement_index
  FROM classified AS c, iam_conditions(c.document) AS k
  WHERE c.who = 'AWS service' AND k.statement_index = c.gi
  GROUP BY c.arn, c.statement_index, k.condition_index
  HAVING max(k.key_lower IN ('aws:sourcearn', 'aws:sourceorgpaths'))
      OR (max(k.key_lower IN ('aws:sourceaccount', 'aws:sourceowner'))
          AND count(*) = sum(k.value IN (SELECT account_id FROM trusted)))
      OR (max(k.key_lower = 'aws:sourceorgid') AND count(*) = sum(k.value IN (SELECT org_id FROM org)))),
outside AS (
  SELECT c.*,
         CASE c.who
           WHEN 'anyone' THEN 'arn:aws:iam::' || (SELECT account_id FROM outsider) || ':user/outsider'
           WHEN 'external account' THEN 'arn:aws:iam::' || c.grantee_account || ':root'
           WHEN 'external principal' THEN CASE WHEN c.value GLOB 'arn:aws*:iam::[0-9]*:user/?*' OR c.value GLOB 'arn:aws*:iam::[0-9]*:role/?*'
                                                    OR c.value GLOB 'arn:aws*:sts::[0-9]*:assumed-role/?*/?*' THEN c.value END
           WHEN 'AWS service' THEN c.value
         END AS caller
  FROM classified AS c
  WHERE (c.who IN ('anyone', 'identity provider', 'canonical user'))
     OR (c.who = 'AWS service' AND NOT EXISTS (SELECT 1 FROM tied AS t WHERE t.arn = c.arn AND t.statement_index = c.statement_index))
     OR (c.who IN ('external account', 'external principal')
         AND coalesce(c.grantee_account, '') NOT IN (SELECT account_id FROM trusted))),
-- the concrete actions of the resource's service the statement covers, and the resources to ask
-- about: each Resource pattern as a literal (it matches itself), or the resource's ARN
request AS (
  SELECT o.arn, o.statement_index, o.type, o.value, a.full_name AS action, r.resource
  FROM outside AS o
  JOIN action AS a ON a.service = CASE o.kind WHEN 'trust' THEN 'sts' ELSE o.service END
  JOIN (SELECT o2.arn, o2.statement_index, coalesce(x.pattern, o2.arn) AS resource
        FROM (SELECT DISTINCT arn, statement_index, gi, document FROM outside) AS o2
        LEFT JOIN iam_resources(o2.document) AS x ON x.statement_index = o2.gi AND NOT x.negated) AS r
    ON r.arn = o.arn AND r.statement_index = o.statement_index
  WHERE o.caller IS NOT NULL
    AND (o.not_action = 0) = EXISTS (SELECT 1 FROM json_each(o.action_json) AS p WHERE iam_action_matches(p.value, a.full_name))),
decided AS (
  SELECT q.arn, q.statement_index, q.type, q.value, q.action, q.resource,
         iam_decision(json_object('principal', o.caller, 'resource_account', o.account_id,
                                  'identity', json(CASE WHEN o.who IN ('anyone', 'external principal')
                                                        THEN '[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]' END),
                                  'resource_policy', json(o.document)),
                      q.action, q.resource,
                      CASE WHEN o.who = 'AWS service' THEN json_object('aws:SourceAccount', (SELECT account_id FROM outsider)) ELSE '{}' END) = 'Allow' AS granted,
         iam_decision(json_object('principal', o.caller, 'resource_account', o.account_id,
                                  'identity', json(CASE WHEN o.who IN ('anyone', 'external principal')
                                                        THEN '[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]' END),
                                  'resource_policy', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}'),
                                  'rcps', json(c.rcps)),
                      q.action, q.resource,
                      CASE WHEN o.who = 'AWS service' THEN json_object('aws:SourceAccount', (SELECT account_id FROM outsider)) ELSE '{}' END) <> 'Allow' AS rcp_blocks
  FROM request AS q
  JOIN outside AS o ON o.arn = q.arn AND o.statement_index = q.statement_index AND o.type IS q.type AND o.value = q.value
  LEFT JOIN org_account_controls AS c ON c.account_id = o.account_id),
summary AS (
  SELECT arn, statement_index, type, value,
         count(DISTINCT action) AS n_actions,
         count(DISTINCT CASE WHEN granted THEN action END) AS n_granted,
         count(DISTINCT CASE WHEN granted AND rcp_blocks THEN action END) AS n_blocked,
         count(DISTINCT CASE WHEN rcp_blocks THEN action END) AS n_rcp_blocks,
         replace(group_concat(DISTINCT CASE WHEN granted AND NOT rcp_blocks THEN action END), ',', ', ') AS open_actions,
         min(action) AS first_action, min(resource) AS first_resource
  FROM decided GROUP BY arn, statement_index, type, value),
-- the keys a grant that let nobody in reads and the outsider's request lacks (iam_explain's
-- missing_keys on the statement), leaving out those only the organization's own requests carry
missing AS (
  SELECT s.arn, s.statement_index, s.type, s.value,
         (SELECT json_group_array(m.value) FROM json_each(e.missing_keys) AS m
          WHERE lower(m.value) NOT IN ('aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount',
                                       'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourceowner',
                                       'aws:sourcearn', 'aws:resourceorgid', 'aws:principalarn')) AS keys
  FROM summary AS s
  JOIN outside AS o ON o.arn = s.arn AND o.statement_index = s.statement_index AND o.type IS s.type AND o.value = s.value,
       iam_explain(json_object('principal', o.caller, 'resource_account', o.account_id,
                               'identity', json(CASE WHEN o.who IN ('anyone', 'external principal')
                                                     THEN '[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]' END),
                               'resource_policy', json(o.document)),
                   s.first_action, s.first_resource,
                   CASE WHEN o.who = 'AWS service' THEN json_object('aws:SourceAccount', (SELECT account_id FROM outsider)) ELSE '{}' END) AS e
  WHERE s.n_granted = 0 AND e.policy_type = 'resource' AND e.statement_index = o.gi)
SELECT o.account_id AS account, o.arn AS resource,
       CASE o.kind WHEN 'trust' THEN 'trust policy'
            ELSE CASE o.service WHEN 's3' THEN 'bucket policy' WHEN 'kms' THEN 'key policy' WHEN 'sqs' THEN 'queue policy'
                                WHEN 'sns' THEN 'topic policy' WHEN 'secretsmanager' THEN 'secret policy'
                                WHEN 'lambda' THEN 'function policy' WHEN 'ecr' THEN 'repository policy'
                                ELSE o.service || ' resource policy' END END AS policy,
       coalesce(o.sid, '#' || o.statement_index) AS statement,
       CASE WHEN o.not_principal THEN 'everyone but ' || o.principal_json ELSE o.value END AS grantee,
       o.who AS "grantee kind",
       replace(replace(replace(o.action_json, '","', ' '), '["', CASE WHEN o.not_action THEN 'all but ' ELSE '' END), '"]', '') AS "actions as written",
       CASE WHEN o.caller IS NULL THEN NULL ELSE coalesce(s.n_granted, 0) || ' of ' || coalesce(s.n_actions, 0) END AS "actions open",
       CASE WHEN o.caller IS NULL THEN NULL WHEN c.rcps IS NULL THEN 'none in force'
            WHEN s.n_granted > 0 AND s.n_blocked = s.n_granted THEN 'block all'
            WHEN s.n_granted > 0 AND s.n_blocked > 0 THEN 'block ' || s.n_blocked || ' of ' || s.n_granted
            WHEN s.n_granted > 0 THEN 'block none'
            WHEN s.n_rcp_blocks = s.n_actions THEN 'would block all'
            WHEN s.n_rcp_blocks > 0 THEN 'would block ' || s.n_rcp_blocks || ' of ' || s.n_actions
            ELSE 'would block none' END AS rcps,
       CASE WHEN o.caller IS NULL THEN 'not decided: the evaluator has no ' || o.who || ' callers; see the conditions'
            WHEN s.n_granted > 0 AND s.n_blocked = s.n_granted THEN 'blocked by RCPs'
            WHEN s.n_granted > 0 THEN 'open: ' || s.open_actions
            WHEN s.n_rcp_blocks = s.n_actions THEN 'blocked by RCPs (and open only to requests with ' || replace(replace(replace(m.keys, '","', ', '), '["', ''), '"]', '') || ')'
            ELSE 'open to requests with ' || replace(replace(replace(m.keys, '","', ', '), '["', ''), '"]', '') END AS verdict,
       json(o.condition_json) AS conditions
FROM outside AS o
LEFT JOIN summary AS s ON s.arn = o.arn AND s.statement_index = o.statement_index AND s.type IS o.type AND s.value = o.value
LEFT JOIN missing AS m ON m.arn = o.arn AND m.statement_index = o.statement_index AND m.type IS o.type AND m.value = o.value
LEFT JOIN org_account_controls AS c ON c.account_id = o.account_id
WHERE o.caller IS NULL OR s.n_granted > 0 OR (m.keys IS NOT NULL AND m.keys <> '[]')
ORDER BY o.account_id, o.arn, o.statement_index, o.value;
