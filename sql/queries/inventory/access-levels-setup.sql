-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/access-levels-setup.sql: the actions each user and role is granted, for
-- the reports 30-access-levels.sql and 31-access-levels-by-service.sql. scripts/report.sh runs it
-- once, before the first of them, in the session that runs them all; by hand: cat this file and
-- the reports into one sqlite3 run.
--
-- Needs: the extension, and the action catalog (table action of sql/catalog/actions.sql) in a
-- database attached as `catalog` (scripts/report.sh attaches it).
-- Makes (TEMP tables): al_principal (account_id, kind, name, arn, has_boundary, set_id): every
-- user and role with policies; al_set_action (set_id, service, action, access_level,
-- access_rank): the actions granted to the principals of each set; al_set_service (set_id,
-- service, list, read, write, tagging, pm, actions): their counts per service.
--
-- "Granted" is an upper bound computed from the statements, not a request: an action counts
-- when an Allow statement of the principal's identity policies names it (Action patterns, or
-- every action outside a NotAction list) on any resource, whatever its conditions; when the
-- principal has a permissions boundary, an Allow statement of the boundary must name it too;
-- and no Deny statement of either that applies to every resource ("Resource": "*") without
-- conditions names it. Actions are those of the catalog; patterns matching none count nothing.
--
-- The work is done once per distinct thing, not per principal: each distinct document is read
-- once; each distinct statement signature (NotAction or not, and its patterns) is expanded once;
-- each distinct pattern is matched against the actions once; and principals whose policies give
-- the same signatures share one set of granted actions. An inventory of many similar accounts
-- (the same roles and policies in each) costs little more than one of them.
-- Each distinct document once, then the effective policies with their documents' numbers (the
-- view joins every attachment: it is read twice, and nothing after this carries a document's text).
CREATE TEMP TABLE al_doc (document TEXT NOT NULL UNIQUE);
INSERT INTO al_doc SELECT DISTINCT document FROM inv_effective_policy WHERE document IS NOT NULL;
CREATE TEMP TABLE al_row AS
SELECT e.principal_arn AS arn, e.account_id, e.principal_kind AS kind, e.principal_name AS name, e.policy_kind,
       d.rowid AS doc
FROM inv_effective_policy AS e LEFT JOIN al_doc AS d ON d.document = e.document;

-- The statements that can change a grant: every Allow, and every Deny that applies to every
-- resource ("Resource": "*") without conditions. What a statement names depends only on
-- whether it is a NotAction list and on its patterns (lowercased, as matching ignores case;
-- distinct; sorted): that is its signature.
-- (The statements are materialised before the WHERE: in a join whose WHERE has an OR over its
-- columns, iam_statements() can fail to plan with "missing policy argument" in this version.)
CREATE TEMP TABLE al_doc_stmt AS
WITH s AS MATERIALIZED (SELECT d.rowid AS doc, x.* FROM al_doc AS d, iam_statements(d.document) AS x)
SELECT s.doc, s.effect, s.not_action,
       (SELECT json_group_array(p) FROM (SELECT DISTINCT lower(j.value) AS p FROM json_each(s.action_json) AS j
                                         ORDER BY 1)) AS patterns
FROM s
WHERE s.effect = 'Allow' OR (s.not_resource = 0 AND s.resource_json = '["*"]' AND s.condition_json IS NULL);

CREATE TEMP TABLE al_sig AS
SELECT DISTINCT not_action, patterns FROM al_doc_stmt;
CREATE UNIQUE INDEX temp.al_sig_key ON al_sig (not_action, patterns);

-- Each distinct pattern once, with the actions it matches: within its service when the service
-- part is literal, else against every action.
CREATE TEMP TABLE al_pattern AS
SELECT DISTINCT j.value AS pattern,
       CASE WHEN instr(j.value, ':') > 0 AND substr(j.value, 1, instr(j.value, ':') - 1) NOT GLOB '*[*?]*'
            THEN substr(j.value, 1, instr(j.value, ':') - 1) END AS service
FROM al_sig AS s, json_each(s.patterns) AS j;

CREATE TEMP TABLE al_pattern_action AS
SELECT p.pattern, a.service, a.name
FROM al_pattern AS p JOIN catalog.action AS a ON a.service = p.service
WHERE p.service IS NOT NULL AND iam_action_matches(p.pattern, a.service || ':' || a.name)
UNION ALL
SELECT p.pattern, a.service, a.name
FROM al_pattern AS p JOIN catalog.action AS a
WHERE p.service IS NULL AND iam_action_matches(p.pattern, a.service || ':' || a.name);
CREATE INDEX temp.al_pattern_action_key ON al_pattern_action (pattern, service, name);

-- The actions each signature names (NotAction: every action none of its patterns matches).
CREATE TEMP TABLE al_sig_action AS
SELECT DISTINCT s.rowid AS sig, m.service, m.name
FROM al_sig AS s, json_each(s.patterns) AS j JOIN al_pattern_action AS m ON m.pattern = j.value
WHERE NOT s.not_action
UNION ALL
SELECT s.rowid, a.service, a.name
FROM al_sig AS s JOIN catalog.action AS a
WHERE s.not_action
  AND NOT EXISTS (SELECT 1 FROM json_each(s.patterns) AS j JOIN al_pattern_action AS m ON m.pattern = j.value
                  WHERE m.service = a.service AND m.name = a.name);
CREATE INDEX temp.al_sig_action_key ON al_sig_action (sig, service, name);

-- Each user and role with what its policies contribute: 'allow' (an Allow statement of an identity
-- policy), 'bound' (an Allow statement of its boundary), 'deny' (a blanket Deny of either), each
-- with a signature. Principals with the same parts (and the same boundary presence) are granted
-- the same actions: they share a set, computed once.
CREATE TEMP TABLE al_principal AS
SELECT arn, min(account_id) AS account_id, min(kind) AS kind,
       min(name) AS name, max(policy_kind = 'boundary' AND doc IS NOT NULL) AS has_boundary, NULL AS set_id
FROM al_row GROUP BY arn;

CREATE INDEX temp.al_doc_stmt_doc ON al_doc_stmt (doc);
CREATE TEMP TABLE al_principal_part AS
SELECT DISTINCT e.arn,
       CASE WHEN st.effect = 'Deny' THEN 'deny' WHEN e.policy_kind = 'boundary' THEN 'bound' ELSE 'allow' END AS part,
       s.rowid AS sig
FROM al_row AS e
JOIN al_doc_stmt AS st ON st.doc = e.doc
JOIN al_sig AS s ON s.not_action = st.not_action AND s.patterns = st.patterns;
CREATE INDEX temp.al_principal_part_key ON al_principal_part (arn, part, sig);

CREATE TEMP TABLE al_principal_key AS
SELECT p.arn, p.has_boundary || coalesce(':' || (SELECT group_concat(part || sig, ' ') FROM
         (SELECT part, sig FROM al_principal_part AS x WHERE x.arn = p.arn ORDER BY part, sig)), '') AS key
FROM al_principal AS p;

CREATE INDEX temp.al_principal_key_arn ON al_principal_key (arn);
CREATE TEMP TABLE al_set AS
SELECT key, min(arn) AS arn, max(substr(key, 1, 1) = '1') AS has_boundary FROM al_principal_key GROUP BY key;
CREATE UNIQUE INDEX temp.al_set_key ON al_set (key);
UPDATE al_principal SET set_id = (SELECT s.rowid FROM al_set AS s JOIN al_principal_key AS k ON k.key = s.key
                                  WHERE k.arn = al_principal.arn);
CREATE INDEX temp.al_principal_set ON al_principal (set_id);

CREATE TEMP TABLE al_set_part AS
SELECT s.rowid AS set_id, x.part, x.sig FROM al_set AS s JOIN al_principal_part AS x ON x.arn = s.arn;
CREATE INDEX temp.al_set_part_key ON al_set_part (set_id, part, sig);

-- The actions each set is granted.
CREATE TEMP TABLE al_set_action AS
SELECT g.set_id, g.service, g.name AS action, a.access_level, a.access_rank
FROM (SELECT DISTINCT p.set_id, x.service, x.name
      FROM al_set_part AS p JOIN al_sig_action AS x ON x.sig = p.sig WHERE p.part = 'allow') AS g
JOIN al_set AS s ON s.rowid = g.set_id
JOIN catalog.action AS a ON a.service = g.service AND a.name = g.name
WHERE NOT EXISTS (SELECT 1 FROM al_set_part AS p JOIN al_sig_action AS x ON x.sig = p.sig
                  WHERE p.set_id = g.set_id AND p.part = 'deny' AND x.service = g.service AND x.name = g.name)
  AND (NOT s.has_boundary
       OR EXISTS (SELECT 1 FROM al_set_part AS p JOIN al_sig_action AS x ON x.sig = p.sig
                  WHERE p.set_id = g.set_id AND p.part = 'bound' AND x.service = g.service AND x.name = g.name));
CREATE INDEX temp.al_set_action_key ON al_set_action (set_id, service);

-- Per set and service, the counts of 31-access-levels-by-service; and the principals in its order,
-- so that its millions of rows (one per principal and service) come out without a sort.
CREATE TEMP TABLE al_set_service (
  set_id INTEGER, service TEXT, list INTEGER, read INTEGER, write INTEGER, tagging INTEGER, pm INTEGER, actions INTEGER,
  PRIMARY KEY (set_id, service)) WITHOUT ROWID;
INSERT INTO al_set_service
SELECT set_id, service,
       sum(access_level = 'List'), sum(access_level = 'Read'), sum(access_level = 'Write'),
       sum(access_level = 'Tagging'), sum(access_level = 'Permissions management'), count(*)
FROM al_set_action GROUP BY set_id, service;
CREATE INDEX temp.al_principal_order ON al_principal (account_id, kind DESC, name);
