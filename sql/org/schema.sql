-- SPDX-License-Identifier: MIT
-- sql/org/schema.sql: an AWS Organization (its tree of root, OUs and accounts, its SCPs and
-- RCPs with their attachments) and the resource-based policies of resources (bucket, key,
-- queue, topic, secret, function and repository policies), in the inventory database beside
-- the accounts that GAAD exports fill (sql/inventory/schema.sql); and the views that turn
-- them into whole requests (ext/README.md, "Whole requests").
--
-- Purpose:   tables org_organization, org_node (root, OUs and accounts as one tree),
--            org_account, org_root_policy_type, org_policy, org_attachment (filled by
--            scripts/import-org.sh) and inv_resource_policy (scripts/import-resource-policies.sh);
--            views org_tree, org_account_controls, org_principal_request, inv_resource_policy_all,
--            inv_request_resource, org_who_can.
-- Needs:     sql/inventory/schema.sql applied first (inv_meta, inv_question, the principal views).
--            The views that decide (org_who_can) need the extension (.load ./dist/iam).
-- Run:       by scripts/import-gaad.sh, import-org.sh and import-resource-policies.sh after
--            sql/inventory/schema.sql, before each import. Idempotent (IF NOT EXISTS), one
--            transaction that changes nothing when everything is there. By hand: sqlite3
--            inventory.db < sql/inventory/schema.sql, then the same with this file.
--
-- Version: this file makes an inventory of schema version 2 (the row ('schema_version', '2') of
-- inv_meta): version 1 plus these tables and views. An inventory of version 1 gets them the
-- next time an import script runs on it. (A later version that changes a view drops it in its
-- upgrade step: CREATE VIEW IF NOT EXISTS keeps an old definition.)
--
-- The organization. One organization per database: an import replaces what the database held
-- of it (deleting the org_organization row deletes everything below it, ON DELETE CASCADE).
-- Accounts of the organization need not be in the inventory (inv_account) and the other way
-- round: the two meet on the account id. Policies are stored as written in describe-policy's
-- Content, minified; the SCP and RCP levels of each account come from the attachments along its
-- path from the root (org_account_controls).
--
-- Resource policies are keyed by the resource's ARN; an import replaces the policy of each ARN
-- it holds. Role trust policies stay in inv_role (GAAD) and appear beside them in
-- inv_resource_policy_all as the resource policies of sts actions on their role.

BEGIN;

UPDATE inv_meta SET value = '2' WHERE key = 'schema_version' AND value = '1';

-- describe-organization. source: the folder it was imported from; imported: when (UTC).
CREATE TABLE IF NOT EXISTS org_organization (
  org_id                   TEXT PRIMARY KEY NOT NULL CHECK (org_id GLOB 'o-[a-z0-9]*' AND org_id NOT GLOB 'o-*[^a-z0-9]*'),
  arn                      TEXT NOT NULL CHECK (arn GLOB 'arn:aws*:organizations::*:organization/*'),
  feature_set              TEXT NOT NULL CHECK (feature_set IN ('ALL', 'CONSOLIDATED_BILLING')),
  management_account_id    TEXT NOT NULL CHECK (length(management_account_id) = 12 AND management_account_id NOT GLOB '*[^0-9]*'),
  management_account_arn   TEXT,
  management_account_email TEXT,
  source                   TEXT NOT NULL,
  imported                 TEXT NOT NULL
) WITHOUT ROWID;

-- The tree: the root (list-roots), OUs (list-organizational-units-for-parent) and accounts
-- (list-accounts-for-parent), each with its parent (NULL for the root). node_id is the id AWS
-- gives: r-..., ou-..., or the 12-digit account id.
CREATE TABLE IF NOT EXISTS org_node (
  node_id   TEXT PRIMARY KEY NOT NULL,
  org_id    TEXT NOT NULL REFERENCES org_organization (org_id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('root', 'ou', 'account')),
  parent_id TEXT REFERENCES org_node (node_id) DEFERRABLE INITIALLY DEFERRED,
  name      TEXT NOT NULL,
  arn       TEXT NOT NULL CHECK (arn GLOB 'arn:aws*:organizations::*'),
  CHECK ((kind = 'root') = (parent_id IS NULL)),
  CHECK (CASE kind WHEN 'root' THEN node_id GLOB 'r-[0-9a-z]*'
                   WHEN 'ou' THEN node_id GLOB 'ou-[0-9a-z]*-[0-9a-z]*'
                   ELSE length(node_id) = 12 AND node_id NOT GLOB '*[^0-9]*' END)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS org_node_by_parent ON org_node (parent_id);

-- What list-accounts-for-parent says of each account besides its name.
CREATE TABLE IF NOT EXISTS org_account (
  account_id    TEXT PRIMARY KEY NOT NULL REFERENCES org_node (node_id) ON DELETE CASCADE,
  email         TEXT,
  status        TEXT,
  state         TEXT,
  joined_method TEXT,
  joined        TEXT
) WITHOUT ROWID;

-- The policy types of the root (list-roots PolicyTypes): SCPs and RCPs apply only where their
-- type is ENABLED.
CREATE TABLE IF NOT EXISTS org_root_policy_type (
  root_id TEXT NOT NULL REFERENCES org_node (node_id) ON DELETE CASCADE,
  type    TEXT NOT NULL,
  status  TEXT NOT NULL,
  PRIMARY KEY (root_id, type)
) WITHOUT ROWID;

-- SCPs and RCPs (list-policies, describe-policy): document is Content, minified.
CREATE TABLE IF NOT EXISTS org_policy (
  policy_id   TEXT PRIMARY KEY NOT NULL CHECK (policy_id GLOB 'p-?*'),
  org_id      TEXT NOT NULL REFERENCES org_organization (org_id) ON DELETE CASCADE,
  type        TEXT NOT NULL CHECK (type IN ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY')),
  name        TEXT NOT NULL,
  arn         TEXT NOT NULL,
  description TEXT,
  aws_managed INTEGER NOT NULL CHECK (aws_managed IN (0, 1)),
  document    TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object')
) WITHOUT ROWID;

-- Where each policy is attached (list-targets-for-policy): the root, an OU or an account.
CREATE TABLE IF NOT EXISTS org_attachment (
  policy_id TEXT NOT NULL REFERENCES org_policy (policy_id) ON DELETE CASCADE,
  target_id TEXT NOT NULL REFERENCES org_node (node_id) ON DELETE CASCADE,
  PRIMARY KEY (policy_id, target_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS org_attachment_by_target ON org_attachment (target_id);

-- Resource-based policies (scripts/import-resource-policies.sh), one per resource ARN:
--   service   the ARN's service (s3, kms, sqs, sns, secretsmanager, lambda, ecr, ...)
--   account   the account that owns the resource (S3 ARNs have none: the import is told it)
--   document  the policy, minified (the CLI's JSON string decoded)
--   source    what the file was: 'generic' or the CLI command ('s3api get-bucket-policy', ...)
--   file      the file it came from
CREATE TABLE IF NOT EXISTS inv_resource_policy (
  arn        TEXT PRIMARY KEY NOT NULL CHECK (arn GLOB 'arn:?*:?*:*:*:?*'),
  account_id TEXT NOT NULL CHECK (length(account_id) = 12 AND account_id NOT GLOB '*[^0-9]*'),
  service    TEXT NOT NULL,
  document   TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
  source     TEXT NOT NULL,
  file       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inv_resource_policy_by_account ON inv_resource_policy (account_id);

-- Every node with its place: depth (the root 0), the ids and names from the root down to it
-- (JSON arrays), and for an account its aws:PrincipalOrgPaths value, the path of its parent:
-- 'o-…/r-…/ou-…/' (AWS's format: the organization, then each node above the account, each
-- followed by '/').
CREATE VIEW IF NOT EXISTS org_tree AS
WITH RECURSIVE t (node_id, org_id, kind, name, parent_id, depth, ids, names, org_path) AS (
  SELECT n.node_id, n.org_id, n.kind, n.name, NULL, 0, json_array(n.node_id), json_array(n.name),
         n.org_id || '/' || n.node_id || '/'
  FROM org_node AS n WHERE n.parent_id IS NULL
  UNION ALL
  SELECT n.node_id, n.org_id, n.kind, n.name, n.parent_id, t.depth + 1,
         json_insert(t.ids, '$[#]', n.node_id), json_insert(t.names, '$[#]', n.name),
         CASE n.kind WHEN 'account' THEN t.org_path ELSE t.org_path || n.node_id || '/' END
  FROM org_node AS n JOIN t ON n.parent_id = t.node_id)
SELECT * FROM t;

-- For every account of the organization, the organization's policies in the shape
-- iam_authorize takes (ext/README.md, "Whole requests"):
--   scps        the SCP levels that govern its principals: one array of documents per node from
--               the root down to the account ([[root's], [OU's], ..., [account's]]); NULL for the
--               management account (SCPs never apply there) and when the root has no ENABLED
--               SERVICE_CONTROL_POLICY type. An empty level means every request is denied.
--   rcps        the RCP levels that govern its resources, the same way (NULL for the management
--               account and when RESOURCE_CONTROL_POLICY is not ENABLED).
--   scp_names, rcp_names   the same levels with each policy's name instead of its document (the
--               same order: scp_names -> '$[L][D]' names scps -> '$[L][D]', which is what
--               iam_explain's level and document_index point at)
--   levels      the nodes from the root down (JSON array of {"id", "kind", "name"})
--   org_id, org_path   aws:PrincipalOrgID and aws:PrincipalOrgPaths of its principals (and
--               aws:ResourceOrgID, aws:ResourceOrgPaths of its resources)
--   SELECT p.arn FROM inv_principal_request AS p JOIN org_account_controls AS c USING (account_id)
--   WHERE iam_allows(json_set(p.request, '$.scps', json(c.scps)), 'ec2:RunInstances', '*', p.ctx);
CREATE VIEW IF NOT EXISTS org_account_controls AS
WITH acct AS (
  SELECT t.node_id AS account_id, t.name, t.org_id, t.org_path, t.ids,
         o.management_account_id = t.node_id AS management,
         EXISTS (SELECT 1 FROM org_root_policy_type AS r
                 WHERE r.root_id = t.ids ->> '$[0]' AND r.type = 'SERVICE_CONTROL_POLICY' AND r.status = 'ENABLED') AS scp_on,
         EXISTS (SELECT 1 FROM org_root_policy_type AS r
                 WHERE r.root_id = t.ids ->> '$[0]' AND r.type = 'RESOURCE_CONTROL_POLICY' AND r.status = 'ENABLED') AS rcp_on
  FROM org_tree AS t JOIN org_organization AS o ON o.org_id = t.org_id
  WHERE t.kind = 'account'),
-- one row per (account, level, policy type), with the level's documents and names in policy-id order
lvl AS (
  SELECT a.account_id, CAST(l.key AS INTEGER) AS level, ty.type,
         (SELECT json_group_array(json(d)) FROM (SELECT p.document AS d FROM org_attachment AS x
            JOIN org_policy AS p ON p.policy_id = x.policy_id
            WHERE x.target_id = l.value AND p.type = ty.type ORDER BY p.policy_id)) AS docs,
         (SELECT json_group_array(nm) FROM (SELECT p.name AS nm FROM org_attachment AS x
            JOIN org_policy AS p ON p.policy_id = x.policy_id
            WHERE x.target_id = l.value AND p.type = ty.type ORDER BY p.policy_id)) AS names
  FROM acct AS a, json_each(a.ids) AS l,
       (SELECT 'SERVICE_CONTROL_POLICY' AS type UNION ALL SELECT 'RESOURCE_CONTROL_POLICY') AS ty),
agg AS (
  SELECT account_id, type, json_group_array(json(docs)) AS docs, json_group_array(json(names)) AS names
  FROM (SELECT * FROM lvl ORDER BY account_id, type, level)
  GROUP BY account_id, type)
SELECT a.account_id, a.name AS account_name, a.management,
       CASE WHEN a.scp_on AND NOT a.management THEN s.docs END AS scps,
       CASE WHEN a.rcp_on AND NOT a.management THEN r.docs END AS rcps,
       CASE WHEN a.scp_on AND NOT a.management THEN s.names END AS scp_names,
       CASE WHEN a.rcp_on AND NOT a.management THEN r.names END AS rcp_names,
       (SELECT json_group_array(json_object('id', n.node_id, 'kind', n.kind, 'name', n.name))
        FROM (SELECT n.* FROM json_each(a.ids) AS l JOIN org_node AS n ON n.node_id = l.value ORDER BY l.key) AS n) AS levels,
       a.org_id, a.org_path
FROM acct AS a
JOIN agg AS s ON s.account_id = a.account_id AND s.type = 'SERVICE_CONTROL_POLICY'
JOIN agg AS r ON r.account_id = a.account_id AND r.type = 'RESOURCE_CONTROL_POLICY';

-- Every user and role of the inventory as the caller of a whole request, with the SCPs of its
-- account (inv_principal_request plus "scps"), and in ctx the organization keys its requests
-- carry: aws:PrincipalOrgID and aws:PrincipalOrgPaths (only for accounts of the organization;
-- scps is then null for the management account and for accounts outside the organization).
-- Add the resource side with json_set ("resource_policy", "rcps", "resource_account"):
--   SELECT p.caller FROM org_principal_request AS p
--   WHERE iam_allows(json_set(p.request, '$.resource_policy', json(:policy), '$.resource_account', :acct,
--                             '$.rcps', json((SELECT rcps FROM org_account_controls WHERE account_id = :acct))),
--                    :action, :resource, p.ctx);
CREATE VIEW IF NOT EXISTS org_principal_request AS
SELECT p.account_id, p.kind, p.name, p.arn, p.caller,
       json_set(p.request, '$.scps', json(c.scps)) AS request,
       CASE WHEN c.account_id IS NULL THEN p.ctx
            ELSE json_patch(json_object('aws:PrincipalOrgID', c.org_id, 'aws:PrincipalOrgPaths', json_array(c.org_path)), p.ctx)
       END AS ctx
FROM inv_principal_request AS p
LEFT JOIN org_account_controls AS c ON c.account_id = p.account_id;

-- Every resource policy by resource ARN, with the account that owns the resource:
--   kind 'resource'  an imported resource policy (inv_resource_policy)
--   kind 'trust'     a role's trust policy (inv_role): the resource policy of sts actions on
--                    the role, and of nothing else (iam:PassRole on a role does not read it)
-- A policy applies to a request whose resource is its arn; for S3 also to the bucket's objects
-- (arn:aws:s3:::bucket/key), for Lambda to a function's versions and aliases (…:function:f:1).
-- inv_request_resource finds it for any request resource.
CREATE VIEW IF NOT EXISTS inv_resource_policy_all AS
SELECT arn, account_id, service, 'resource' AS kind, document, source, file
FROM inv_resource_policy
UNION ALL
SELECT role_arn, account_id, 'iam', 'trust', document, 'iam get-account-authorization-details', NULL
FROM inv_role_trust;

-- For a request resource: the ARN its policy would be stored under (policy_arn), the ARN's
-- service and its account field, read from the ARN alone. Use it as
--   SELECT ... FROM inv_request_resource AS r LEFT JOIN inv_resource_policy_all AS p ON p.arn = r.policy_arn
--   WHERE r.resource = :resource
-- The view lists the resources of inv_question (with ${account} for every account the inventory
-- or the organization holds); its expressions work for any resource (copy them, or insert a
-- question).
CREATE VIEW IF NOT EXISTS inv_request_resource AS
WITH r (resource) AS (
  SELECT DISTINCT replace(q.resource, '${account}', a.account_id)
  FROM inv_question AS q,
       (SELECT account_id FROM inv_account UNION SELECT node_id FROM org_node WHERE kind = 'account') AS a),
f (resource, f1) AS (SELECT resource, CASE WHEN resource GLOB 'arn:*:*:*:*:*' THEN substr(resource, 5) END FROM r),
g (resource, partition, rest) AS (SELECT resource, substr(f1, 1, instr(f1, ':') - 1), substr(f1, instr(f1, ':') + 1) FROM f),
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

-- Who can reach what, org-wide: every question of inv_question asked by every user and role of
-- the inventory, decided as a whole request (iam_explain over the object form: its decisive
-- row) with
--   - the principal's identity policies and boundary, and the SCP levels of its account;
--   - the resource's policy (inv_resource_policy_all; a trust policy only for sts actions), the
--     account that owns the resource (the policy's; else the question's aws:ResourceAccount;
--     else the ARN's; else the principal's own, as iam_authorize takes it), and that account's
--     RCP levels;
--   - the context: the principal's keys (inv_principal_context, aws:PrincipalOrgID/OrgPaths),
--     the resource's organization keys (aws:ResourceOrgID/OrgPaths), then the question's
--     context, which wins.
-- Columns: question, action, resource, resource_account, resource_policy ('bucket policy of
-- …'-like text: the kind and arn of the policy used, NULL without one), account_id, kind, name,
-- arn, caller, decision, step, step_reason, policy_type, level, document_index, sid (the deciding
-- statement, when one decided), deciding_policy (an SCP or RCP by name and node, the resource
-- policy, or the identity side), request and ctx (to rerun or explain it).
CREATE VIEW IF NOT EXISTS org_who_can AS
WITH q AS (
  SELECT q.name AS question, q.action, a.account_id,
         replace(q.resource, '${account}', a.account_id) AS resource,
         replace(q.context, '${account}', a.account_id) AS context
  FROM inv_question AS q,
       (SELECT DISTINCT account_id FROM inv_principal_request) AS a),
qr AS (
  SELECT q.*, rr.service, rp.arn AS policy_arn, rp.kind AS policy_kind, rp.document AS policy,
         coalesce(rp.account_id, q.context ->> '$."aws:ResourceAccount"', rr.account, q.account_id) AS resource_account
  FROM q
  JOIN inv_request_resource AS rr ON rr.resource = q.resource
  LEFT JOIN inv_resource_policy_all AS rp
    ON rp.arn = rr.policy_arn
   AND (rp.kind = 'resource' OR lower(substr(q.action, 1, 4)) = 'sts:')),
pair AS (
  SELECT qr.question, qr.action, qr.resource, qr.resource_account, qr.policy_arn, qr.policy_kind,
         p.account_id, p.kind, p.name, p.arn, p.caller,
         json_set(p.request, '$.resource_policy', json(qr.policy), '$.resource_account', qr.resource_account,
                  '$.rcps', json(rc.rcps)) AS request,
         json_patch(json_patch(p.ctx, CASE WHEN rc.account_id IS NULL THEN '{}'
                                           ELSE json_object('aws:ResourceOrgID', rc.org_id,
                                                            'aws:ResourceOrgPaths', json_array(rc.org_path)) END),
                    qr.context) AS ctx,
         sc.scp_names, rc.rcp_names, sc.levels AS scp_levels, rc.levels AS rcp_levels
  FROM qr
  JOIN org_principal_request AS p ON p.account_id = qr.account_id
  LEFT JOIN org_account_controls AS sc ON sc.account_id = p.account_id
  LEFT JOIN org_account_controls AS rc ON rc.account_id = qr.resource_account),
dec AS (
  SELECT pair.*, e.decision, e.step, e.step_reason, e.policy_type, e.level, e.document_index, e.sid,
         CASE WHEN e.policy_type = 'scp' OR e.step = 'scp-level' THEN pair.scp_levels
              WHEN e.policy_type = 'rcp' THEN pair.rcp_levels END AS lv,
         -- "SCP level N has no Allow statement that applies": the step names the level first
         CASE WHEN e.step = 'scp-level' AND e.policy_type IS NULL THEN CAST(substr(e.step_reason, 11) AS INTEGER)
              ELSE e.level END AS li
  FROM pair, iam_explain(pair.request, pair.action, pair.resource, pair.ctx) AS e
  WHERE e.decisive)
SELECT question, action, resource, resource_account,
       CASE policy_kind WHEN 'trust' THEN 'trust policy of ' || policy_arn
                        WHEN 'resource' THEN 'resource policy of ' || policy_arn END AS resource_policy,
       account_id, kind, name, arn, caller,
       decision, step, step_reason, policy_type, level, document_index, sid,
       CASE WHEN policy_type = 'scp' THEN 'SCP ' || quote(scp_names ->> printf('$[%d][%d]', level, document_index)) || ' on '
            WHEN policy_type = 'rcp' THEN 'RCP ' || quote(rcp_names ->> printf('$[%d][%d]', level, document_index)) || ' on '
            WHEN step = 'scp-level' THEN 'no SCP that allows it on '
            WHEN policy_type = 'resource' THEN CASE policy_kind WHEN 'trust' THEN 'trust policy' ELSE 'resource policy' END
            WHEN policy_type IN ('identity', 'boundary', 'session') THEN policy_type || ' policy'
       END
       || CASE WHEN lv IS NULL THEN ''
               WHEN lv ->> printf('$[%d].kind', li) = 'root' THEN 'the root'
               WHEN lv ->> printf('$[%d].kind', li) = 'ou' THEN 'OU ' || quote(lv ->> printf('$[%d].name', li))
               ELSE 'account ' || quote(lv ->> printf('$[%d].name', li)) END AS deciding_policy,
       request, ctx
FROM dec;

COMMIT;
