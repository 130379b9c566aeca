-- sql/queries/inventory/access-levels-setup.sql: the actions each user and role is granted,
-- for the reports 30-access-levels.sql and 31-access-levels-by-service.sql (scripts/report.sh
-- runs this file before them; by hand: cat this file and the report into one sqlite3 run).
--
-- Needs: the extension, and the action catalog (tables action/service of sql/catalog/actions.sql) in a
-- database attached as `catalog` (scripts/report.sh attaches CATALOG_DB).
--
-- "Granted" is an upper bound computed from the statements, not a request: an action counts
-- when an Allow statement of the principal's identity policies names it (Action patterns, or
-- every action outside a NotAction list) on any resource, whatever its conditions; when the
-- principal has a permissions boundary, an Allow statement of the boundary must name it too;
-- and no Deny statement of either that applies to every resource ("Resource": "*") without
-- conditions names it. Actions are those of the catalog; patterns matching none count nothing.

-- Each distinct document once.
CREATE TEMP TABLE al_doc AS
SELECT DISTINCT document FROM inv_effective_policy WHERE document IS NOT NULL;

CREATE TEMP TABLE al_stmt AS
SELECT d.rowid AS doc, s.statement_index AS st, s.effect, s.not_action,
       (s.not_resource = 0 AND s.resource_json = '["*"]' AND s.condition_json IS NULL) AS blanket
FROM al_doc AS d, iam_statements(d.document) AS s;

-- Actions matched by each pattern: within its service when the service part is literal.
CREATE TEMP TABLE al_pattern AS
SELECT d.rowid AS doc, x.statement_index AS st, x.pattern, x.service,
       (x.service IS NULL OR x.service GLOB '*[*?]*') AS any_service
FROM al_doc AS d, iam_actions(d.document) AS x;

CREATE TEMP TABLE al_match AS
SELECT p.doc, p.st, a.service, a.name
FROM al_pattern AS p JOIN catalog.action AS a ON a.service = p.service
WHERE NOT p.any_service AND iam_action_matches(p.pattern, a.service || ':' || a.name)
UNION
SELECT p.doc, p.st, a.service, a.name
FROM al_pattern AS p JOIN catalog.action AS a
WHERE p.any_service AND iam_action_matches(p.pattern, a.service || ':' || a.name);
CREATE INDEX temp.al_match_key ON al_match (doc, st, service, name);

-- The actions each statement names (NotAction: every action its patterns do not match).
CREATE TEMP TABLE al_stmt_action AS
SELECT s.doc, s.effect, s.blanket, m.service, m.name
FROM al_stmt AS s JOIN al_match AS m ON m.doc = s.doc AND m.st = s.st
WHERE NOT s.not_action
UNION
SELECT s.doc, s.effect, s.blanket, a.service, a.name
FROM al_stmt AS s JOIN catalog.action AS a
WHERE s.not_action
  AND NOT EXISTS (SELECT 1 FROM al_match AS m WHERE m.doc = s.doc AND m.st = s.st
                  AND m.service = a.service AND m.name = a.name);
CREATE INDEX temp.al_stmt_action_key ON al_stmt_action (doc, effect, service, name);

CREATE TEMP TABLE al_principal_doc AS
SELECT DISTINCT e.account_id, e.principal_kind AS kind, e.principal_name AS name, e.principal_arn AS arn,
       e.policy_kind, d.rowid AS doc
FROM inv_effective_policy AS e JOIN al_doc AS d ON d.document = e.document;
CREATE INDEX temp.al_principal_doc_key ON al_principal_doc (arn, policy_kind, doc);

CREATE TEMP TABLE al_granted AS
SELECT g.account_id, g.kind, g.name, g.arn, g.service, g.action, a.access_level, a.access_rank
FROM (SELECT DISTINCT p.account_id, p.kind, p.name, p.arn, x.service, x.name AS action
      FROM al_principal_doc AS p JOIN al_stmt_action AS x ON x.doc = p.doc AND x.effect = 'Allow'
      WHERE p.policy_kind = 'identity') AS g
JOIN catalog.action AS a ON a.service = g.service AND a.name = g.action
WHERE NOT EXISTS (SELECT 1 FROM al_principal_doc AS p JOIN al_stmt_action AS x ON x.doc = p.doc
                  WHERE p.arn = g.arn AND x.effect = 'Deny' AND x.blanket
                    AND x.service = g.service AND x.name = g.action)
  AND (NOT EXISTS (SELECT 1 FROM al_principal_doc AS p WHERE p.arn = g.arn AND p.policy_kind = 'boundary')
       OR EXISTS (SELECT 1 FROM al_principal_doc AS p JOIN al_stmt_action AS x ON x.doc = p.doc
                  WHERE p.arn = g.arn AND p.policy_kind = 'boundary' AND x.effect = 'Allow'
                    AND x.service = g.service AND x.name = g.action));
