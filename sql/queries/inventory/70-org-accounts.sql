-- SPDX-License-Identifier: MIT
-- Which accounts does the organization hold, and which SCPs and RCPs govern each? Every account
-- of the imported organization (scripts/import-org.sh) with its place in the tree, the SCPs and
-- RCPs attached at each level from the root down (level: policy, policy; ...), whether the
-- inventory holds its users and roles and its resource policies, and where its SCP levels deny
-- everything (a level where no attached SCP has an Allow statement: AWS attaches FullAWSAccess
-- by default). The management account is governed by neither.
-- Needs: the extension (iam_statements). Empty without an imported organization.
-- Section: Organization
WITH lv AS (
  SELECT c.account_id, CAST(l.key AS INTEGER) AS level, l.value ->> '$.name' AS node,
         l.value ->> '$.kind' AS kind, l.value ->> '$.id' AS node_id,
         c.scp_names -> ('$[' || l.key || ']') AS scps, c.rcp_names -> ('$[' || l.key || ']') AS rcps,
         c.scps -> ('$[' || l.key || ']') AS scp_docs
  FROM org_account_controls AS c, json_each(c.levels) AS l),
lvl AS (
  SELECT lv.*,
         (SELECT count(*) FROM json_each(lv.scp_docs) AS d, iam_statements(d.value) AS s WHERE s.effect = 'Allow') AS allows
  FROM lv)
SELECT c.account_id AS account, c.account_name AS name,
       (SELECT group_concat(node, ' / ') FROM (SELECT node FROM lvl WHERE lvl.account_id = c.account_id AND kind <> 'account' ORDER BY level)) AS "place",
       CASE WHEN c.management THEN 'management' ELSE 'member' END AS role,
       CASE WHEN c.scps IS NULL THEN 'none' ELSE
         (SELECT group_concat(node || ': ' || coalesce(nullif(replace(replace(replace(scps, '","', ', '), '["', ''), '"]', ''), '[]'), '(none)'), '; ')
          FROM (SELECT * FROM lvl WHERE lvl.account_id = c.account_id ORDER BY level)) END AS scps,
       CASE WHEN c.rcps IS NULL THEN 'none' ELSE
         (SELECT group_concat(node || ': ' || coalesce(nullif(replace(replace(replace(rcps, '","', ', '), '["', ''), '"]', ''), '[]'), '(none)'), '; ')
          FROM (SELECT * FROM lvl WHERE lvl.account_id = c.account_id ORDER BY level)) END AS rcps,
       CASE WHEN c.scps IS NOT NULL
            THEN (SELECT 'every request denied: no SCP allows at ' || CASE kind WHEN 'root' THEN 'the root' WHEN 'ou' THEN 'OU ' ELSE 'account ' END
                                  || CASE kind WHEN 'root' THEN '' ELSE quote(node) END
                  FROM lvl WHERE lvl.account_id = c.account_id AND allows = 0 ORDER BY level LIMIT 1) END AS "SCP check",
       (SELECT count(*) FROM inv_principal AS p WHERE p.account_id = c.account_id) AS "users and roles",
       (SELECT count(*) FROM inv_resource_policy AS r WHERE r.account_id = c.account_id) AS "resource policies"
FROM org_account_controls AS c
ORDER BY c.management DESC, "place", c.account_name, c.account_id;
