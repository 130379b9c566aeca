-- SPDX-License-Identifier: MIT
-- sql/catalog/schema.sql: schema of the managed-policy catalog (catalog.db, catalog-full.db).
--
-- Purpose:   tables for AWS managed policies, every stored version of each, the ECS change
--            log, and views for "latest document" and "version in force at a time".
-- Needs:     the sqlite3 shell only (JSON1 is built in). The example queries in sql/queries/
--            also need the extension (.load ./dist/iam).
-- Run:       scripts/build-catalog.sh applies it to a fresh temporary database; by hand:
--              sqlite3 my.db < sql/catalog/schema.sql
--            Idempotent (IF NOT EXISTS), one transaction. Foreign keys are declared; turn them
--            on per connection with PRAGMA foreign_keys = ON.
--
-- Version history of this schema (PRAGMA user_version):
--   1  first version.
--
-- Dates are ISO-8601 UTC text, 'YYYY-MM-DDTHH:MM:SSZ' (change_log: 'YYYY-MM-DD'), so text
-- comparison orders them. The CHECKs round-trip through julianday() so that impossible dates
-- such as 2020-02-30 are rejected. A date that the source does not know is NULL, never a guess.

BEGIN;

PRAGMA user_version = 1;

-- Where the data came from: key/value pairs (npm_package, npm_version, npm_integrity, license,
-- catalog = 'default' | 'full', ...). No build time is stored, so rebuilding gives the same bytes.
CREATE TABLE IF NOT EXISTS catalog_source (
  key   TEXT PRIMARY KEY NOT NULL CHECK (key GLOB '[a-z]*' AND key NOT GLOB '*[^a-z0-9_]*'),
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per managed policy.
--   path        the IAM path, '/' or '/x/.../'; the ARN is arn:aws:iam::aws:policy<path><name>.
--   kind        'service-linked' for path /aws-service-role/, 'service-role' for /service-role/,
--               else 'aws-managed' (this includes /job-function/ and the other paths).
--   attachable  whether IAM users, groups and roles can attach it: 0 for service-linked role
--               policies, else 1 (derived from the path; the source has no such field).
--   versions_reported  how many versions AWS had created (the source's versionsCount); the
--               stored versions may be fewer (see policy_version).
--   default_version_id the default (latest) version; it must be a stored version.
CREATE TABLE IF NOT EXISTS policy (
  policy_id          INTEGER PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 128
                                                 AND name NOT GLOB '*[^A-Za-z0-9+=,.@_-]*'),
  path               TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  arn                TEXT NOT NULL UNIQUE CHECK (arn = 'arn:aws:iam::aws:policy' || path || name),
  kind               TEXT NOT NULL CHECK (kind IN ('aws-managed', 'service-role', 'service-linked')),
  attachable         INTEGER NOT NULL CHECK (attachable IN (0, 1)),
  created_date       TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  last_updated_date  TEXT CHECK (last_updated_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(last_updated_date))),
  versions_reported  INTEGER CHECK (versions_reported >= 1),
  default_version_id TEXT NOT NULL,
  FOREIGN KEY (policy_id, default_version_id)
    REFERENCES policy_version (policy_id, version_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX IF NOT EXISTS policy_by_kind ON policy (kind, name);

-- One row per stored version. Versions need not be contiguous or complete: the source lacks
-- some (v16..v18 of AmazonECSServiceRolePolicy, say), and a version's date may be unknown.
--   version_num   the number in version_id ('v12' -> 12), for ordering.
--   created_date  when the version was created, or NULL if the source does not know it.
--   date_source   'version'  : the source's date for this version;
--                 'policy-last-updated' : the source gave a placeholder, but this is the default
--                 version, whose creation is the policy's last update;
--                 'unknown'  : the source gave a placeholder (see source_created_date).
--   source_created_date the date exactly as the source gave it (normalised to second precision).
--                 The npm package gives the policy's creation date for versions it did not
--                 date itself; such placeholders are kept here and not used as created_date.
--   is_default    1 for the default version (at most one per policy; equals policy.default_version_id).
--   document      the policy document as minified JSON text.
CREATE TABLE IF NOT EXISTS policy_version (
  policy_id           INTEGER NOT NULL REFERENCES policy (policy_id) ON DELETE CASCADE,
  version_id          TEXT NOT NULL CHECK (version_id GLOB 'v[1-9]*' AND version_id NOT GLOB 'v*[^0-9]*'),
  version_num         INTEGER NOT NULL GENERATED ALWAYS AS (CAST(substr(version_id, 2) AS INTEGER)) VIRTUAL,
  created_date        TEXT CHECK (created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(created_date))),
  date_source         TEXT NOT NULL CHECK (date_source IN ('version', 'policy-last-updated', 'unknown')),
  source_created_date TEXT CHECK (source_created_date IS strftime('%Y-%m-%dT%H:%M:%SZ', julianday(source_created_date))),
  is_default          INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  document            TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
  PRIMARY KEY (policy_id, version_id),
  CHECK ((date_source = 'unknown') = (created_date IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS policy_version_one_default ON policy_version (policy_id) WHERE is_default;
CREATE INDEX IF NOT EXISTS policy_version_by_num ON policy_version (policy_id, version_num);
CREATE INDEX IF NOT EXISTS policy_version_by_date ON policy_version (created_date) WHERE created_date IS NOT NULL;

-- Named sets of policies ('ecs': the ECS-related policies of the default catalog), so that the
-- example queries give the same answers on catalog.db and catalog-full.db.
CREATE TABLE IF NOT EXISTS policy_set_member (
  set_name  TEXT NOT NULL CHECK (length(set_name) > 0),
  policy_id INTEGER NOT NULL REFERENCES policy (policy_id) ON DELETE CASCADE,
  PRIMARY KEY (set_name, policy_id)
) WITHOUT ROWID;

-- The dated change history of the ECS managed policies (from the AWS ECS developer guide page
-- on managed policies), summarised in our own words. policy_name is NULL for an entry about
-- the history itself (such as the date AWS started tracking changes).
--   change_kind 'new-policy' | 'permissions-added' | 'permissions-removed' | 'tracking-started' | 'other'
CREATE TABLE IF NOT EXISTS change_log (
  change_id   INTEGER PRIMARY KEY,
  change_date TEXT NOT NULL CHECK (change_date IS date(julianday(change_date))),
  policy_name TEXT REFERENCES policy (name) ON UPDATE CASCADE,
  change_kind TEXT NOT NULL CHECK (change_kind IN ('new-policy', 'permissions-added',
                                   'permissions-removed', 'tracking-started', 'other')),
  summary     TEXT NOT NULL CHECK (length(summary) > 0),
  UNIQUE (change_date, policy_name, change_kind)
);
CREATE INDEX IF NOT EXISTS change_log_by_policy ON change_log (policy_name, change_date);

-- The default (latest) version of each policy: one row per policy.
CREATE VIEW IF NOT EXISTS latest_policy AS
SELECT p.policy_id, p.name, p.arn, p.path, p.kind, p.attachable,
       p.created_date, p.last_updated_date,
       v.version_id, v.version_num, v.created_date AS version_created_date, v.document
FROM policy AS p
JOIN policy_version AS v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id;

-- When each stored version was in force: from its created_date (valid_from) until the creation
-- of the next stored version (valid_until; NULL for the default version, which is still in force).
-- exact = 1 when both ends are known and no version is missing in between; otherwise the span
-- is only an upper bound (the version may have been replaced earlier, by a version the source
-- lacks or whose date it does not know).
--
-- The version in force at a time T (ISO-8601 text; for a calendar day D use D || 'T23:59:59Z'):
--   SELECT * FROM policy_version_span
--   WHERE valid_from <= :t AND (valid_until IS NULL OR valid_until > :t)
--     AND (exact OR is_default);
-- A policy with no row is unknown at T (or did not exist yet: compare policy.created_date).
-- Drop the last line to also get the uncertain candidates (exact = 0). sql/queries/catalog/50-* uses it.
CREATE VIEW IF NOT EXISTS policy_version_span AS
SELECT s.policy_id, s.name, s.version_id, s.version_num, s.is_default,
       s.created_date AS valid_from,
       s.next_date AS valid_until,
       (s.created_date IS NOT NULL
        AND (s.is_default OR (s.next_num = s.version_num + 1 AND s.next_date IS NOT NULL))) AS exact,
       s.document
FROM (SELECT v.policy_id, p.name, v.version_id, v.version_num, v.is_default, v.created_date, v.document,
             lead(v.version_num) OVER w AS next_num,
             lead(v.created_date) OVER w AS next_date
      FROM policy_version AS v JOIN policy AS p USING (policy_id)
      WINDOW w AS (PARTITION BY v.policy_id ORDER BY v.version_num)) AS s;

-- One row per statement of every stored version, with Action/NotAction/Resource/NotResource
-- normalised to JSON arrays (a bare string becomes a one-element array) and Statement given as
-- an object treated as a one-element array.
CREATE VIEW IF NOT EXISTS policy_statement AS
SELECT v.policy_id, p.name, v.version_id, v.is_default,
       CAST(s.key AS INTEGER) AS stmt_index,
       s.value ->> '$.Sid' AS sid,
       s.value ->> '$.Effect' AS effect,
       CASE json_type(s.value, '$.Action') WHEN 'array' THEN s.value -> '$.Action'
            WHEN 'text' THEN json_array(s.value ->> '$.Action') END AS action,
       CASE json_type(s.value, '$.NotAction') WHEN 'array' THEN s.value -> '$.NotAction'
            WHEN 'text' THEN json_array(s.value ->> '$.NotAction') END AS not_action,
       CASE json_type(s.value, '$.Resource') WHEN 'array' THEN s.value -> '$.Resource'
            WHEN 'text' THEN json_array(s.value ->> '$.Resource') END AS resource,
       CASE json_type(s.value, '$.NotResource') WHEN 'array' THEN s.value -> '$.NotResource'
            WHEN 'text' THEN json_array(s.value ->> '$.NotResource') END AS not_resource,
       s.value -> '$.Condition' AS condition,
       s.value AS statement
FROM policy_version AS v
JOIN policy AS p USING (policy_id),
     json_each(CASE json_type(v.document, '$.Statement') WHEN 'array' THEN v.document -> '$.Statement'
                    ELSE json_array(v.document -> '$.Statement') END) AS s;

COMMIT;
