-- SPDX-License-Identifier: MIT
-- sql/org/warn-org.sql: what an organization import warns about, one line each. The input is
-- valid, but the organization it describes denies everything somewhere, which an incomplete
-- export also looks like:
--   - an account governed by SCPs, with a node on its path (the root, an OU, the account) where
--     no SCP is attached, or where none of the SCPs attached has an Allow statement: every level
--     needs an Allow that applies, so every request of its users and roles is denied
--     (ImplicitDeny). AWS attaches FullAWSAccess everywhere by default: was it left out?
--   - a policy type that the root has but not ENABLED: its policies are taken as not in force.
--
-- Needs:  the extension (iam_statements), on the staging database of sql/org/stage-org.sql.
-- Run:    by scripts/import-org.sh, read-only, after the staging checks passed.

WITH RECURSIVE up (account_id, account_name, node_id) AS (
  SELECT node_id, name, node_id FROM stage_node WHERE kind = 'account'
  UNION ALL
  SELECT up.account_id, up.account_name, n.parent_id FROM up JOIN stage_node AS n ON n.node_id = up.node_id
  WHERE n.parent_id IS NOT NULL),
level (account_id, account_name, node_id, kind, name, scps, allows) AS (
  SELECT up.account_id, up.account_name, n.node_id, n.kind, n.name,
         (SELECT group_concat(quote(p.name), ', ') FROM stage_attachment AS a JOIN stage_policy AS p ON p.policy_id = a.policy_id
          WHERE a.target_id = n.node_id AND p.type = 'SERVICE_CONTROL_POLICY'),
         (SELECT count(*) FROM stage_attachment AS a JOIN stage_policy AS p ON p.policy_id = a.policy_id,
                 iam_statements(p.document) AS s
          WHERE a.target_id = n.node_id AND p.type = 'SERVICE_CONTROL_POLICY' AND s.effect = 'Allow')
  FROM up JOIN stage_node AS n ON n.node_id = up.node_id
  WHERE up.account_id NOT IN (SELECT management FROM stage_org WHERE management IS NOT NULL)
    AND EXISTS (SELECT 1 FROM stage_policy_type WHERE type = 'SERVICE_CONTROL_POLICY' AND status = 'ENABLED'))
SELECT msg FROM (
  SELECT 1 AS o, account_id AS k, node_id AS k2,
         'account ' || account_id || ' ' || quote(account_name) || ': '
         || CASE WHEN scps IS NULL THEN 'no SCP is attached to ' ELSE 'the SCPs attached to ' END
         || CASE kind WHEN 'root' THEN 'the root' WHEN 'ou' THEN 'OU ' || quote(name) || ' (' || node_id || ')' ELSE 'the account itself' END
         || CASE WHEN scps IS NULL THEN '' ELSE ' (' || scps || ') have no Allow statement' END
         || ': every request of its users and roles is denied (ImplicitDeny). AWS attaches FullAWSAccess by default: is the export complete?' AS msg
  FROM level WHERE allows = 0
  UNION ALL
  SELECT 2, type, '', 'the root has ' || type || ' ' || status || ': '
         || CASE type WHEN 'SERVICE_CONTROL_POLICY' THEN 'SCPs' ELSE 'RCPs' END || ' are taken as not in force'
  FROM stage_policy_type WHERE type IN ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY') AND status <> 'ENABLED'
  UNION ALL
  SELECT 3, f.key, '', f.file || ': ' || CASE f.key WHEN 'SERVICE_CONTROL_POLICY' THEN 'SCPs' ELSE 'RCPs' END
         || ' are imported, but the root does not have the type ENABLED: they are taken as not in force'
  FROM stage_file AS f
  WHERE f.kind = 'list-policies' AND f.key IN ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY')
    AND NOT EXISTS (SELECT 1 FROM stage_policy_type AS t WHERE t.type = f.key)
  ORDER BY 1, 2, 3)
;
