-- SPDX-License-Identifier: MIT
-- sql/org/build-paths.sql: build the escalation graph of an inventory (inv_node, inv_edge and
-- esc_build of sql/org/paths-schema.sql) from the edge rules, deciding every step with the
-- evaluator (iam_decision on the whole request of inv_edge_request).
--
-- Needs:     the extension; sql/inventory/schema.sql, sql/org/schema.sql and
--            sql/org/paths-schema.sql applied.
-- Run:       by scripts/build-paths.sh, inside one transaction that it commits only when every
--            statement succeeded (all or nothing). Makes TEMP tables named esc_*.
--
-- How. 1. Nodes: every user and role with its whole request as a caller (identity policies in a
-- fixed order with their names, boundary, the SCP levels of its account), the RCP levels and
-- organization keys of its account as a resource owner; every group with its policies. 2. Admins:
-- the evaluator allows '*' or 'iam:*' on '*'. 3. Candidates, cut cheaply but never wrongly: a
-- source is a candidate for a rule only if an Allow statement of its identity policies names
-- each step's action (or is a NotAction statement), except for sts steps on the target, which a
-- trust policy may grant on its own; a role is a target of such a step only if its trust policy
-- names the source's account or holds a '*' (and, when the source's own policies cannot allow
-- the step, names the source itself or holds a '*'); of a pass-role rule only if it names the
-- service.
-- Administrators take only AssumeRole-like rules (family 'assume'): they need no other way up.
-- 4. Every step of every candidate is decided through inv_edge_request, step 0 (the trust
-- requirement) first; a candidate with a step not allowed is dropped at once. 5. Evidence.
-- 6. The closure (inv_reach_hop), breadth first.

DELETE FROM esc_build;
DELETE FROM inv_reach_hop;
DELETE FROM inv_edge;
DELETE FROM inv_node;

-- 1. Nodes ----------------------------------------------------------------------------------
CREATE TEMP TABLE esc_pdoc AS
SELECT principal_arn AS arn, policy_kind, via, policy_type, policy_name, policy_arn, document,
       quote(policy_name) || ' (' || policy_type ||
         CASE WHEN via GLOB 'group:*' THEN ', ' || replace(via, ':', ' ') ELSE '' END || ')' AS label,
       row_number() OVER (PARTITION BY principal_arn, policy_kind ORDER BY via, policy_type, policy_name, policy_arn) - 1 AS idx
FROM inv_effective_policy
WHERE document IS NOT NULL;
CREATE INDEX temp.esc_pdoc_by_arn ON esc_pdoc (arn, policy_kind, idx);

CREATE TEMP TABLE esc_region AS
SELECT coalesce((SELECT value FROM esc_setting WHERE key = 'region'), 'us-east-1') AS region;

INSERT INTO inv_node (arn, account_id, kind, name, label, request, ctx, names, boundary, trust, rcps, org_keys)
SELECT p.arn, p.account_id, p.kind, p.name, p.account_id || ':' || p.kind || '/' || p.name,
       json_object('principal', o.caller,
                   'identity', json(coalesce((SELECT json_group_array(json(d.document))
                                              FROM (SELECT document FROM esc_pdoc AS d
                                                    WHERE d.arn = p.arn AND d.policy_kind = 'identity' ORDER BY d.idx) AS d), '[]')),
                   'boundary', json((SELECT d.document FROM esc_pdoc AS d WHERE d.arn = p.arn AND d.policy_kind = 'boundary')),
                   'scps', json(c.scps)),
       o.ctx,
       coalesce((SELECT json_group_array(d.label)
                 FROM (SELECT label FROM esc_pdoc AS d WHERE d.arn = p.arn AND d.policy_kind = 'identity' ORDER BY d.idx) AS d), '[]'),
       (SELECT quote(d.policy_name) FROM esc_pdoc AS d WHERE d.arn = p.arn AND d.policy_kind = 'boundary'),
       r.trust_policy, c.rcps,
       CASE WHEN c.account_id IS NULL THEN '{}'
            ELSE json_object('aws:ResourceOrgID', c.org_id, 'aws:ResourceOrgPaths', json_array(c.org_path)) END
FROM inv_principal AS p
JOIN org_principal_request AS o ON o.arn = p.arn
LEFT JOIN org_account_controls AS c ON c.account_id = p.account_id
LEFT JOIN inv_role AS r ON p.kind = 'role' AND r.arn = p.arn;

-- a group: its own policies, as a member would have them (the member's own policies and boundary
-- are not known here; the path that joins it is decided for the member)
INSERT INTO inv_node (arn, account_id, kind, name, label, request, ctx, names, rcps, org_keys)
WITH gdoc AS (
  SELECT i.account_id, i.owner_name AS grp, i.document, quote(i.policy_name) || ' (inline)' AS label, 0 AS o, i.policy_name AS k
  FROM inv_inline_policy AS i WHERE i.owner_kind = 'group'
  UNION ALL
  SELECT a.account_id, a.principal_name, d.document, quote(coalesce(d.name, a.policy_name)) || ' (managed)', 1, a.policy_arn
  FROM inv_attachment AS a JOIN inv_policy_document AS d ON d.account_id = a.account_id AND d.arn = a.policy_arn
  WHERE a.principal_kind = 'group')
SELECT g.arn, g.account_id, 'group', g.name, g.account_id || ':group/' || g.name,
       json_object('principal', 'arn:aws:iam::' || g.account_id || ':user/member-of-' || g.name,
                   'identity', json(coalesce((SELECT json_group_array(json(x.document))
                                              FROM (SELECT document FROM gdoc WHERE gdoc.account_id = g.account_id AND gdoc.grp = g.name
                                                    ORDER BY o, k) AS x), '[]')),
                   'scps', json(c.scps)),
       CASE WHEN c.account_id IS NULL THEN json_object('aws:PrincipalAccount', g.account_id)
            ELSE json_object('aws:PrincipalAccount', g.account_id, 'aws:PrincipalOrgID', c.org_id,
                             'aws:PrincipalOrgPaths', json_array(c.org_path)) END,
       coalesce((SELECT json_group_array(x.label)
                 FROM (SELECT label FROM gdoc WHERE gdoc.account_id = g.account_id AND gdoc.grp = g.name ORDER BY o, k) AS x), '[]'),
       c.rcps,
       CASE WHEN c.account_id IS NULL THEN '{}'
            ELSE json_object('aws:ResourceOrgID', c.org_id, 'aws:ResourceOrgPaths', json_array(c.org_path)) END
FROM inv_group AS g
LEFT JOIN org_account_controls AS c ON c.account_id = g.account_id;

-- 2. Administrators ---------------------------------------------------------------------------
-- ('*:*' is the literal action that only a pattern matching every action matches: "*", "*:*",
-- or a NotAction that leaves it)
UPDATE inv_node SET admin = 1, admin_by = '*:*'
WHERE iam_decision(request, '*:*', '*', json_patch(json_object('aws:RequestedRegion', (SELECT region FROM esc_region)), ctx)) = 'Allow';
UPDATE inv_node SET admin = 1, admin_by = 'iam:*'
WHERE NOT admin
  AND iam_decision(request, 'iam:*', '*', json_patch(json_object('aws:RequestedRegion', (SELECT region FROM esc_region)), ctx)) = 'Allow';

-- 3. Candidates -------------------------------------------------------------------------------
-- the actions of the rules, and for every distinct identity document the ones an Allow statement
-- of it may grant (a NotAction statement may grant any)
CREATE TEMP TABLE esc_action AS SELECT DISTINCT lower(action) AS action FROM esc_rule_step;
CREATE TEMP TABLE esc_udoc (id INTEGER PRIMARY KEY, document TEXT NOT NULL UNIQUE);
INSERT OR IGNORE INTO esc_udoc (document) SELECT document FROM esc_pdoc WHERE policy_kind = 'identity';
CREATE TEMP TABLE esc_doc_action AS
SELECT DISTINCT u.id, a.action
FROM esc_udoc AS u, iam_actions(u.document) AS x, esc_action AS a
WHERE x.effect = 'Allow' AND (x.negated = 1 OR iam_action_matches(x.pattern, a.action));
CREATE TEMP TABLE esc_may (arn TEXT NOT NULL, action TEXT NOT NULL, PRIMARY KEY (arn, action)) WITHOUT ROWID;
INSERT OR IGNORE INTO esc_may
SELECT d.arn, da.action
FROM esc_pdoc AS d JOIN esc_udoc AS u ON u.document = d.document JOIN esc_doc_action AS da ON da.id = u.id
WHERE d.policy_kind = 'identity';

-- per rule: does a step ask for sts on the target (a trust policy may grant it)?
CREATE TEMP TABLE esc_rule_info AS
SELECT r.*, EXISTS (SELECT 1 FROM esc_rule_step AS s WHERE s.rule = r.name AND lower(substr(s.action, 1, 4)) = 'sts:'
                    AND instr(s.resource, '${target}') > 0 AND s.resource_policy IS NULL) AS trust_step
FROM esc_rule AS r
WHERE EXISTS (SELECT 1 FROM esc_rule_step AS s WHERE s.rule = r.name);

-- (sts_may: the source's own policies may allow the sts steps; when not, only a trust policy that
-- names the source itself, or holds a '*', can let it in)
CREATE TEMP TABLE esc_src_rule AS
SELECT n.arn, n.account_id, r.name AS rule,
       NOT EXISTS (SELECT 1 FROM esc_rule_step AS s
                   WHERE s.rule = r.name AND lower(substr(s.action, 1, 4)) = 'sts:' AND instr(s.resource, '${target}') > 0
                     AND NOT EXISTS (SELECT 1 FROM esc_may AS m WHERE m.arn = n.arn AND m.action = lower(s.action))) AS sts_may
FROM inv_node AS n, esc_rule_info AS r
WHERE n.kind IN ('user', 'role')
  AND (r.source_kind IS NULL OR r.source_kind = n.kind)
  AND (NOT n.admin OR r.family = 'assume')
  AND NOT EXISTS (SELECT 1 FROM esc_rule_step AS s
                  WHERE s.rule = r.name
                    AND NOT (lower(substr(s.action, 1, 4)) = 'sts:' AND instr(s.resource, '${target}') > 0)
                    AND NOT EXISTS (SELECT 1 FROM esc_may AS m WHERE m.arn = n.arn AND m.action = lower(s.action)));

-- the accounts a role's trust policy may let in (it names them, or holds a '*')
CREATE TEMP TABLE esc_trust_account AS
SELECT d.arn AS role, a.account_id
FROM inv_node AS d, (SELECT DISTINCT account_id FROM inv_node) AS a
WHERE d.kind = 'role' AND d.trust IS NOT NULL AND (instr(d.trust, a.account_id) > 0 OR instr(d.trust, '*') > 0);
CREATE INDEX temp.esc_trust_account_by_account ON esc_trust_account (account_id, role);

-- roles
INSERT INTO inv_edge (src, dst, rule, via, effect)
SELECT sr.arn, d.arn, r.name, '', r.effect
FROM esc_src_rule AS sr
JOIN esc_rule_info AS r ON r.name = sr.rule AND r.target = 'role' AND NOT r.trust_step
JOIN inv_node AS d ON d.kind = 'role' AND (r.cross_account OR d.account_id = sr.account_id)
WHERE (r.effect = 'grant' OR d.arn <> sr.arn)
  AND (r.trust_service IS NULL OR instr(d.trust, r.trust_service) > 0 OR instr(d.trust, '*') > 0);
INSERT INTO inv_edge (src, dst, rule, via, effect)
SELECT sr.arn, d.arn, r.name, '', r.effect
FROM esc_src_rule AS sr
JOIN esc_rule_info AS r ON r.name = sr.rule AND r.target = 'role' AND r.trust_step
JOIN esc_trust_account AS t ON t.account_id = sr.account_id
JOIN inv_node AS d ON d.arn = t.role AND (r.cross_account OR d.account_id = sr.account_id)
WHERE (r.effect = 'grant' OR d.arn <> sr.arn)
  AND (r.trust_service IS NULL OR instr(d.trust, r.trust_service) > 0 OR instr(d.trust, '*') > 0)
  AND (sr.sts_may OR instr(d.trust, sr.arn) > 0 OR instr(d.trust, '*') > 0);
-- users and groups
INSERT INTO inv_edge (src, dst, rule, via, effect)
SELECT sr.arn, d.arn, r.name, '', r.effect
FROM esc_src_rule AS sr
JOIN esc_rule_info AS r ON r.name = sr.rule AND r.target IN ('user', 'group')
JOIN inv_node AS d ON d.kind = r.target AND (r.cross_account OR d.account_id = sr.account_id)
WHERE r.effect = 'grant' OR d.arn <> sr.arn;
-- the customer-managed policies a principal has (directly or through a group), and the
-- non-default versions of them that allow '*' or 'iam:*' on '*'
INSERT OR IGNORE INTO inv_edge (src, dst, rule, via, effect)
SELECT sr.arn, d.arn, r.name, p.policy_arn, r.effect
FROM esc_src_rule AS sr
JOIN esc_rule_info AS r ON r.name = sr.rule AND r.target IN ('policy', 'policy-version')
JOIN inv_node AS d ON d.kind IN ('user', 'role') AND (r.cross_account OR d.account_id = sr.account_id)
JOIN esc_pdoc AS p ON p.arn = d.arn AND p.policy_kind = 'identity' AND p.policy_arn IS NOT NULL
  AND p.policy_arn NOT GLOB 'arn:aws*:iam::aws:policy/*'
WHERE (r.effect = 'grant' OR d.arn <> sr.arn)
  AND (r.target = 'policy'
       OR EXISTS (SELECT 1 FROM inv_policy_version AS v
                  WHERE v.account_id = d.account_id AND v.policy_arn = p.policy_arn AND NOT v.is_default
                    AND (iam_decision(v.document, '*:*', '*') = 'Allow' OR iam_decision(v.document, 'iam:*', '*') = 'Allow')));

-- A first cut, cheaper, never wrong: an sts step on a role of the source's own account whose
-- trust policy neither names the source nor holds a '*' can be allowed only if the source's own
-- side allows it (the trust policy can then only let it in by naming the account): the same
-- request with a trust policy that names the account is decided first. Its object is one per
-- source (compiled once), where the real request's differs per role (compiled per row); a
-- candidate that it denies goes.
CREATE TEMP TABLE esc_candidates AS SELECT count(*) AS n FROM inv_edge;
CREATE TEMP TABLE esc_cut (src TEXT, dst TEXT, rule TEXT, via TEXT, PRIMARY KEY (src, dst, rule, via)) WITHOUT ROWID;
INSERT OR IGNORE INTO esc_cut
SELECT r.src, r.dst, r.rule, r.via
FROM inv_edge_request AS r
CROSS JOIN inv_node AS s ON s.arn = r.src
CROSS JOIN inv_node AS d ON d.arn = r.dst
WHERE r.step >= 1 AND lower(substr(r.action, 1, 4)) = 'sts:' AND r.resource = d.arn AND d.kind = 'role'
  AND r.policy = 'trust policy of ' || d.arn AND d.account_id = s.account_id
  AND instr(d.trust, s.arn) = 0 AND instr(d.trust, '*') = 0
  AND iam_decision(json_set(r.request, '$.resource_policy',
        json_object('Version', '2012-10-17', 'Statement', json_array(json_object('Effect', 'Allow',
          'Principal', json_object('AWS', s.account_id), 'Action', r.action)))), r.action, r.resource, r.ctx) <> 'Allow';
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_cut AS c
  WHERE c.src = inv_edge.src AND c.dst = inv_edge.dst AND c.rule = inv_edge.rule AND c.via = inv_edge.via);

-- 4. Decisions, step by step ----------------------------------------------------------------
CREATE TEMP TABLE esc_dec (
  src TEXT, dst TEXT, rule TEXT, via TEXT, step INTEGER, caller TEXT, action TEXT, resource TEXT, ctx TEXT,
  policy TEXT, decision TEXT,
  PRIMARY KEY (src, dst, rule, via, step)) WITHOUT ROWID;
CREATE TEMP TABLE esc_step (k INTEGER PRIMARY KEY);
INSERT INTO esc_step SELECT DISTINCT step FROM esc_rule_step UNION SELECT 0;

-- one statement pair per step number (0 .. 8); a candidate leaves at its first step not allowed
INSERT INTO esc_dec SELECT src, dst, rule, via, step, caller, action, resource, ctx, policy, iam_decision(request, action, resource, ctx)
FROM inv_edge_request WHERE step = 0;
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_dec AS d WHERE d.src = inv_edge.src AND d.dst = inv_edge.dst
  AND d.rule = inv_edge.rule AND d.via = inv_edge.via AND d.step = 0 AND d.decision <> 'Allow');
INSERT INTO esc_dec SELECT src, dst, rule, via, step, caller, action, resource, ctx, policy, iam_decision(request, action, resource, ctx)
FROM inv_edge_request WHERE step = 1;
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_dec AS d WHERE d.src = inv_edge.src AND d.dst = inv_edge.dst
  AND d.rule = inv_edge.rule AND d.via = inv_edge.via AND d.step = 1 AND d.decision <> 'Allow');
INSERT INTO esc_dec SELECT src, dst, rule, via, step, caller, action, resource, ctx, policy, iam_decision(request, action, resource, ctx)
FROM inv_edge_request WHERE step = 2;
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_dec AS d WHERE d.src = inv_edge.src AND d.dst = inv_edge.dst
  AND d.rule = inv_edge.rule AND d.via = inv_edge.via AND d.step = 2 AND d.decision <> 'Allow');
INSERT INTO esc_dec SELECT src, dst, rule, via, step, caller, action, resource, ctx, policy, iam_decision(request, action, resource, ctx)
FROM inv_edge_request WHERE step = 3;
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_dec AS d WHERE d.src = inv_edge.src AND d.dst = inv_edge.dst
  AND d.rule = inv_edge.rule AND d.via = inv_edge.via AND d.step = 3 AND d.decision <> 'Allow');
INSERT INTO esc_dec SELECT src, dst, rule, via, step, caller, action, resource, ctx, policy, iam_decision(request, action, resource, ctx)
FROM inv_edge_request WHERE step = 4;
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_dec AS d WHERE d.src = inv_edge.src AND d.dst = inv_edge.dst
  AND d.rule = inv_edge.rule AND d.via = inv_edge.via AND d.step = 4 AND d.decision <> 'Allow');
INSERT INTO esc_dec SELECT src, dst, rule, via, step, caller, action, resource, ctx, policy, iam_decision(request, action, resource, ctx)
FROM inv_edge_request WHERE step BETWEEN 5 AND 8;
DELETE FROM inv_edge WHERE EXISTS (SELECT 1 FROM esc_dec AS d WHERE d.src = inv_edge.src AND d.dst = inv_edge.dst
  AND d.rule = inv_edge.rule AND d.via = inv_edge.via AND d.decision <> 'Allow');

-- 5. Evidence ---------------------------------------------------------------------------------
-- what allowed each step: the identity policies of the caller that allow it on their own, its
-- boundary, the resource or trust policy, the SCPs and RCPs in force
CREATE TEMP TABLE esc_why AS
SELECT d.src, d.dst, d.rule, d.via, d.step,
       json_object('step', d.step, 'caller', d.caller, 'action', d.action, 'resource', d.resource, 'decision', d.decision,
         'allowed_by', json(CASE WHEN d.step = 0 THEN json_array(d.policy) ELSE (
           SELECT json_group_array(w) FROM (
             SELECT 'identity policy ' || p.label AS w FROM esc_pdoc AS p
             WHERE p.arn = d.src AND p.policy_kind = 'identity'
               AND iam_decision(p.document, d.action, d.resource, d.ctx) = 'Allow'
             UNION ALL SELECT 'boundary ' || n.boundary FROM inv_node AS n WHERE n.arn = d.src AND n.boundary IS NOT NULL
             UNION ALL SELECT d.policy WHERE d.policy IS NOT NULL
             UNION ALL SELECT 'the SCPs of account ' || n.account_id FROM inv_node AS n
               WHERE n.arn = d.src AND n.request -> '$.scps' IS NOT NULL AND json_type(n.request, '$.scps') <> 'null')) END)) AS why
FROM esc_dec AS d
WHERE EXISTS (SELECT 1 FROM inv_edge AS e WHERE e.src = d.src AND e.dst = d.dst AND e.rule = d.rule AND e.via = d.via);
CREATE INDEX temp.esc_why_by_edge ON esc_why (src, dst, rule, via, step);

UPDATE inv_edge SET evidence = json_object('rule', rule, 'effect', effect, 'via', nullif(via, ''),
  'steps', json((SELECT json_group_array(json(w.why)) FROM (SELECT why FROM esc_why AS w
                 WHERE w.src = inv_edge.src AND w.dst = inv_edge.dst AND w.rule = inv_edge.rule AND w.via = inv_edge.via
                 ORDER BY w.step) AS w)));

-- a user acts with the permissions of its groups
INSERT OR IGNORE INTO inv_edge (src, dst, rule, via, effect, evidence)
SELECT u.arn, g.arn, 'MemberOfGroup', '', 'act',
       json_object('rule', 'MemberOfGroup', 'effect', 'act', 'via', NULL, 'steps', json('[]'))
FROM inv_group_member AS m
JOIN inv_user AS u ON u.account_id = m.account_id AND u.name = m.user_name
JOIN inv_group AS g ON g.account_id = m.account_id AND g.name = m.group_name;

SELECT '@@ closure-start ' || CAST(julianday('now') * 86400000 AS INTEGER);
-- 6. The closure, breadth first: level 1 is the act edges, level k the pairs first reached in k
-- hops (a pair already reached keeps its hops: cycles end), up to max_hops (at most 32). A walk
-- stops at an administrator: the goal is reached, and from there every principal of its account
-- is (an administrator's own edges start walks of their own)
DELETE FROM inv_reach_hop;
CREATE TEMP TABLE esc_max_hops AS
SELECT CAST(coalesce((SELECT value FROM esc_setting WHERE key = 'max_hops'), '8') AS INTEGER) AS n;
CREATE TEMP TABLE esc_admin (arn TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO esc_admin SELECT arn FROM inv_node WHERE admin;
CREATE TEMP TABLE esc_e (src TEXT NOT NULL, dst TEXT NOT NULL, PRIMARY KEY (src, dst)) WITHOUT ROWID;
INSERT OR IGNORE INTO esc_e SELECT src, dst FROM inv_edge WHERE effect = 'act' AND src <> dst;
INSERT INTO inv_reach_hop (src, dst, hops, via) SELECT src, dst, 1, src FROM esc_e;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 2, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 1 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 2 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 3, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 2 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 3 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 4, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 3 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 4 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 5, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 4 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 5 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 6, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 5 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 6 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 7, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 6 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 7 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 8, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 7 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 8 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 9, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 8 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 9 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 10, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 9 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 10 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 11, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 10 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 11 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 12, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 11 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 12 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 13, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 12 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 13 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 14, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 13 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 14 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 15, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 14 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 15 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 16, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 15 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 16 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 17, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 16 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 17 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 18, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 17 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 18 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 19, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 18 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 19 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 20, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 19 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 20 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 21, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 20 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 21 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 22, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 21 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 22 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 23, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 22 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 23 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 24, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 23 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 24 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 25, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 24 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 25 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 26, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 25 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 26 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 27, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 26 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 27 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 28, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 27 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 28 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 29, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 28 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 29 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 30, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 29 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 30 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 31, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 30 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 31 GROUP BY r.src, e.dst;
INSERT OR IGNORE INTO inv_reach_hop (src, dst, hops, via)
SELECT r.src, e.dst, 32, min(r.dst) FROM inv_reach_hop AS r JOIN esc_e AS e ON e.src = r.dst
WHERE r.hops = 31 AND e.dst <> r.src AND r.dst NOT IN (SELECT arn FROM esc_admin) AND (SELECT n FROM esc_max_hops) >= 32 GROUP BY r.src, e.dst;

SELECT '@@ closure-end ' || CAST(julianday('now') * 86400000 AS INTEGER);
INSERT INTO esc_build (key, value) VALUES
  ('built', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  ('region', (SELECT region FROM esc_region)),
  ('max_hops', coalesce((SELECT value FROM esc_setting WHERE key = 'max_hops'), '8')),
  ('nodes', (SELECT count(*) FROM inv_node)),
  ('admins', (SELECT count(*) FROM inv_node WHERE admin)),
  ('candidates', (SELECT n FROM esc_candidates)),
  ('cut', (SELECT count(*) FROM esc_cut)),
  ('decisions', (SELECT count(*) FROM esc_dec)),
  ('edges', (SELECT count(*) FROM inv_edge)),
  ('reach_pairs', (SELECT count(*) FROM inv_reach_hop));
