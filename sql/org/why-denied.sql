-- SPDX-License-Identifier: MIT
-- sql/org/why-denied.sql: explain an access-denied message with what the inventory knows. The
-- message (aws sts decode-authorization-message) gives the request (iam_authz_message); the
-- inventory adds the caller's identity policies and boundary (in a fixed order, so that each
-- document is named), the SCPs of its account, the resource's policy and owner and the RCPs of
-- that account, and the organization's context keys. iam_explain then says which step and policy
-- decided, and which Allow statements came closest (action and resource matched; a condition or
-- the Principal did not), with the keys the request lacked.
--
-- Needs:  the extension; an inventory (scripts/import-gaad.sh, import-org.sh,
--         import-resource-policies.sh: whatever of it is there is used).
-- Run:    by scripts/why-denied.sh, read-only, with the TEMP table why_param (file): the message file.
-- Output: the explanation, one line per row ("key<TAB>text"): request, caller, resource, aws,
--         decision, decided, closest, note.

CREATE TEMP TABLE msg AS
SELECT req, req ->> '$.principal' AS principal, req ->> '$.action' AS action, req ->> '$.resource' AS resource,
       req -> '$.context' AS ctx,
       CASE json_type(raw, '$.DecodedMessage') WHEN 'text' THEN raw ->> '$.DecodedMessage'
                                               WHEN 'object' THEN raw -> '$.DecodedMessage' ELSE raw END AS decoded
FROM (SELECT iam_authz_message(raw) AS req, raw FROM (SELECT CAST(readfile((SELECT file FROM why_param)) AS TEXT) AS raw));

-- The caller: its account and kind from its ARN, and the user or role of the inventory it is.
CREATE TEMP TABLE caller AS
WITH p (principal, rest) AS (
  SELECT principal, CASE WHEN principal GLOB 'arn:*:*::[0-9]*:*' THEN substr(principal, instr(principal, '::') + 2) END FROM msg),
q (principal, account, tail) AS (SELECT principal, substr(rest, 1, instr(rest, ':') - 1), substr(rest, instr(rest, ':') + 1) FROM p)
SELECT q.principal, nullif(q.account, '') AS account,
       CASE WHEN q.tail GLOB 'user/*' THEN 'user' WHEN q.tail GLOB 'assumed-role/*/*' THEN 'role session'
            WHEN q.tail GLOB 'role/*' THEN 'role' WHEN q.tail = 'root' THEN 'root'
            WHEN q.tail GLOB 'federated-user/*' THEN 'federated user' ELSE 'other' END AS kind,
       (SELECT pr.arn FROM inv_principal AS pr
        WHERE (q.tail GLOB 'user/*' AND pr.kind = 'user' AND pr.arn = q.principal)
           OR (q.tail GLOB 'role/*' AND pr.kind = 'role' AND pr.arn = q.principal)
           OR (q.tail GLOB 'assumed-role/*/*' AND pr.kind = 'role' AND pr.account_id = q.account
               AND pr.name = substr(q.tail, 14, instr(substr(q.tail, 14), '/') - 1))) AS inventory_arn
FROM q;

-- Its identity policies in a fixed order (document i of the request is row i), and its boundary.
CREATE TEMP TABLE idoc AS
SELECT row_number() OVER (ORDER BY e.via, e.policy_type, e.policy_name, e.policy_arn) - 1 AS i,
       e.policy_name, e.via, e.policy_type, e.document
FROM inv_effective_policy AS e, caller AS c
WHERE e.principal_arn = c.inventory_arn AND e.policy_kind = 'identity' AND e.document IS NOT NULL;
CREATE TEMP TABLE bdoc AS
SELECT e.policy_name, e.document
FROM inv_effective_policy AS e, caller AS c
WHERE e.principal_arn = c.inventory_arn AND e.policy_kind = 'boundary' AND e.document IS NOT NULL;

-- The resource: the ARN its policy would be stored under (inv_request_resource's rule: a bucket
-- for its objects, a function for its versions), its service and account field.
CREATE TEMP TABLE res AS
WITH r (resource) AS (SELECT resource FROM msg),
f (resource, f1) AS (SELECT resource, CASE WHEN resource GLOB 'arn:*:*:*:*:*' THEN substr(resource, 5) END FROM r),
g (resource, rest) AS (SELECT resource, substr(f1, instr(f1, ':') + 1) FROM f),
h (resource, service, rest) AS (SELECT resource, substr(rest, 1, instr(rest, ':') - 1), substr(rest, instr(rest, ':') + 1) FROM g),
i (resource, service, rest) AS (SELECT resource, service, substr(rest, instr(rest, ':') + 1) FROM h),
j (resource, service, account) AS (SELECT resource, service, substr(rest, 1, instr(rest, ':') - 1) FROM i)
SELECT resource, nullif(service, '') AS service,
       CASE WHEN length(account) = 12 AND account NOT GLOB '*[^0-9]*' THEN account END AS account,
       CASE WHEN service = 's3' AND instr(resource, '/') > 0 THEN substr(resource, 1, instr(resource, '/') - 1)
            WHEN service = 'lambda' AND resource GLOB 'arn:*:lambda:*:*:function:*:*'
              THEN substr(resource, 1, length(resource) - length(replace(resource, rtrim(resource, replace(resource, ':', '')), '')) - 1)
            ELSE resource END AS policy_arn
FROM j;
CREATE TEMP TABLE rpol AS
SELECT p.* FROM inv_resource_policy_all AS p, res AS r, msg AS m
WHERE p.arn = r.policy_arn AND (p.kind = 'resource' OR lower(substr(m.action, 1, 4)) = 'sts:');

-- The whole request.
CREATE TEMP TABLE request AS
SELECT m.action, m.resource,
       coalesce((SELECT account_id FROM rpol), m.ctx ->> '$."aws:ResourceAccount"', r.account, c.account) AS resource_account,
       c.kind, c.inventory_arn,
       (SELECT json_group_array(json(document)) FROM (SELECT document FROM idoc ORDER BY i)) AS identity,
       (SELECT document FROM bdoc) AS boundary,
       sc.scps, sc.scp_names, sc.levels AS scp_levels, sc.org_id, sc.org_path,
       m.ctx AS message_ctx,
       (SELECT ctx FROM inv_principal_context WHERE arn = c.inventory_arn) AS principal_ctx
FROM msg AS m, res AS r, caller AS c
LEFT JOIN org_account_controls AS sc ON sc.account_id = c.account;
ALTER TABLE request ADD COLUMN obj TEXT;
ALTER TABLE request ADD COLUMN ctx TEXT;
ALTER TABLE request ADD COLUMN rcp_names TEXT;
ALTER TABLE request ADD COLUMN rcp_levels TEXT;
UPDATE request SET
  obj = json_object('principal', (SELECT principal FROM msg),
                    'identity', json(CASE WHEN kind IN ('user', 'role', 'role session') AND inventory_arn IS NOT NULL THEN identity END),
                    'boundary', json(CASE WHEN kind IN ('user', 'role', 'role session') THEN boundary END),
                    'scps', json(scps),
                    'resource_policy', json((SELECT document FROM rpol)),
                    'resource_account', resource_account,
                    'rcps', json((SELECT rcps FROM org_account_controls WHERE account_id = resource_account))),
  rcp_names = (SELECT rcp_names FROM org_account_controls WHERE account_id = resource_account),
  rcp_levels = (SELECT levels FROM org_account_controls WHERE account_id = resource_account),
  ctx = json_patch(json_patch(json_patch(coalesce(principal_ctx, '{}'),
                                         CASE WHEN org_id IS NULL THEN '{}'
                                              ELSE json_object('aws:PrincipalOrgID', org_id, 'aws:PrincipalOrgPaths', json_array(org_path)) END),
                              coalesce((SELECT json_object('aws:ResourceOrgID', org_id, 'aws:ResourceOrgPaths', json_array(org_path))
                                        FROM org_account_controls WHERE account_id = resource_account), '{}')),
                   message_ctx);

CREATE TEMP TABLE ex AS
SELECT e.* FROM request AS q, iam_explain(q.obj, q.action, q.resource, q.ctx) AS e;

-- A policy of the request, by name: an identity document, the boundary, an SCP or RCP (with its
-- node), the resource's policy.
CREATE TEMP VIEW label AS
SELECT ex.rowid AS row,
       CASE ex.policy_type
         WHEN 'identity' THEN 'identity policy ' || quote((SELECT policy_name FROM idoc WHERE i = ex.document_index))
                              || ' (' || (SELECT via || ', ' || policy_type FROM idoc WHERE i = ex.document_index) || ')'
         WHEN 'boundary' THEN 'permissions boundary ' || quote((SELECT policy_name FROM bdoc))
         WHEN 'scp' THEN 'SCP ' || quote(q.scp_names ->> printf('$[%d][%d]', ex.level, ex.document_index)) || ' on '
                         || CASE q.scp_levels ->> printf('$[%d].kind', ex.level) WHEN 'root' THEN 'the root'
                                 WHEN 'ou' THEN 'OU ' || quote(q.scp_levels ->> printf('$[%d].name', ex.level))
                                 ELSE 'account ' || quote(q.scp_levels ->> printf('$[%d].name', ex.level)) END
         WHEN 'rcp' THEN 'RCP ' || quote(q.rcp_names ->> printf('$[%d][%d]', ex.level, ex.document_index)) || ' on '
                         || CASE q.rcp_levels ->> printf('$[%d].kind', ex.level) WHEN 'root' THEN 'the root'
                                 WHEN 'ou' THEN 'OU ' || quote(q.rcp_levels ->> printf('$[%d].name', ex.level))
                                 ELSE 'account ' || quote(q.rcp_levels ->> printf('$[%d].name', ex.level)) END
         WHEN 'resource' THEN (SELECT CASE kind WHEN 'trust' THEN 'the trust policy of ' ELSE 'the resource policy of ' END || arn FROM rpol)
       END || CASE WHEN ex.statement_index IS NOT NULL
                   THEN ', Statement[' || ex.statement_index || ']' || coalesce(' (' || ex.sid || ')', '') ELSE '' END AS name
FROM ex, request AS q;

SELECT key || char(9) || text FROM (
  SELECT 1 AS o, 'request' AS key, 'principal ' || principal || ', action ' || action || ', resource ' || resource AS text FROM msg
  UNION ALL
  SELECT 2, 'context', coalesce((SELECT group_concat(key || '=' || CASE type WHEN 'array' THEN value ELSE value END, ', ')
                                 FROM json_each(ctx)), '(no keys)') FROM msg
  UNION ALL
  SELECT 3, 'caller', CASE
           WHEN c.inventory_arn IS NOT NULL THEN
             CASE c.kind WHEN 'role session' THEN 'a session of ' ELSE '' END || c.inventory_arn
             || ': ' || (SELECT count(*) FROM idoc) || ' identity polic' || CASE (SELECT count(*) FROM idoc) WHEN 1 THEN 'y' ELSE 'ies' END
             || CASE WHEN EXISTS (SELECT 1 FROM bdoc) THEN ', boundary ' || quote((SELECT policy_name FROM bdoc)) ELSE ', no boundary' END
             || CASE WHEN c.kind = 'role session' THEN ' (session policies, if the session had any, are not known)' ELSE '' END
           WHEN c.kind = 'root' THEN 'the root user of account ' || c.account
           WHEN c.account IN (SELECT account_id FROM inv_account) THEN 'not in the inventory of account ' || c.account
                || ' (an outdated export?): its identity policies are taken as none'
           ELSE 'not in the inventory (account ' || coalesce(c.account, 'unknown') || ' is not imported): its identity policies are taken as none' END
         || CASE WHEN q.scps IS NOT NULL THEN '; SCPs of account ' || c.account || ' (' || json_array_length(q.scps) || ' levels)'
                 WHEN EXISTS (SELECT 1 FROM org_node WHERE node_id = c.account) THEN '; no SCPs (the management account)'
                 WHEN EXISTS (SELECT 1 FROM org_organization) THEN '; no SCPs (not an account of the organization)'
                 ELSE '; no SCPs (no organization imported)' END
  FROM caller AS c, request AS q
  UNION ALL
  SELECT 4, 'resource', 'owned by account ' || q.resource_account
         || coalesce(' ' || quote((SELECT name FROM org_node WHERE node_id = q.resource_account)), '')
         || coalesce('; ' || (SELECT CASE kind WHEN 'trust' THEN 'the trust policy of ' ELSE 'the resource policy of ' END || arn FROM rpol),
                     '; no resource policy in the inventory')
         || CASE WHEN (SELECT rcps FROM org_account_controls WHERE account_id = q.resource_account) IS NOT NULL
                 THEN '; the RCPs of its account' ELSE '' END
  FROM request AS q
  UNION ALL
  SELECT 5, 'aws', CASE WHEN d.decoded ->> '$.allowed' THEN 'allowed'
                        WHEN d.decoded ->> '$.explicitDeny' THEN 'denied by an explicit Deny (explicitDeny: true)'
                        WHEN d.decoded ->> '$.explicitDeny' IS NOT NULL THEN 'denied: no statement allowed it (explicitDeny: false)'
                        ELSE 'the message does not say' END
  FROM msg AS d
  UNION ALL
  SELECT 6, 'decision', e.decision || CASE
           WHEN d.decoded ->> '$.allowed' IS NULL OR d.decoded ->> '$.explicitDeny' IS NULL THEN ''
           WHEN (e.decision = 'Allow') = (d.decoded ->> '$.allowed' = 1)
                AND (e.decision = 'ExplicitDeny') = (d.decoded ->> '$.explicitDeny' = 1) THEN ' (as AWS decided)'
           ELSE ' (AWS decided otherwise: the inventory may be incomplete or older than the message, or the request carried keys the message leaves out)' END
  FROM ex AS e, msg AS d WHERE e.decisive
  UNION ALL
  SELECT 7, 'decided by', e.step || ': ' || e.step_reason || coalesce(' -> ' || l.name, '')
  FROM ex AS e LEFT JOIN label AS l ON l.row = e.rowid AND e.policy_type IS NOT NULL WHERE e.decisive
  UNION ALL
  SELECT 8, 'closest', l.name || ': ' || e.reason
         || CASE WHEN e.missing_keys IS NOT NULL AND e.missing_keys <> '[]'
                 THEN ' (the request lacks ' || replace(replace(replace(e.missing_keys, '","', ', '), '["', ''), '"]', '') || ')' ELSE '' END
  FROM ex AS e JOIN label AS l ON l.row = e.rowid
  WHERE e.effect = 'Allow' AND e.action_matched AND e.resource_matched AND NOT e.applies AND e.policy_type IS NOT 'rcp'
    AND (SELECT decision FROM ex WHERE decisive) <> 'Allow'
  UNION ALL
  SELECT 9, 'closest', '(none: no Allow statement names this action on this resource)'
  WHERE (SELECT decision FROM ex WHERE decisive) <> 'Allow'
    AND NOT EXISTS (SELECT 1 FROM ex WHERE effect = 'Allow' AND action_matched AND resource_matched AND NOT applies
                    AND policy_type IS NOT 'rcp')
  ORDER BY o);
