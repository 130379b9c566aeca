-- SPDX-License-Identifier: MIT
-- sql/inventory/stage.sql: read GAAD files into staging tables, one row per entity, and list
-- every problem of the input with the file and the entity it is in.
--
-- Needs:  the sqlite3 shell (readfile(), JSON1) and the iam extension (iam_url_decode()).
-- Run:    by scripts/import-gaad.sh on a scratch staging database (never on the inventory), then
--         sql/inventory/check.sql (documents, references, duplicates, catalog look-up). It
--         expects the table stage_file (file_no, file, txt) to be filled, and the database
--         `catalog` to be attached (an empty one when there is no catalog).
--
-- Cost. Every step is one pass over its rows or an indexed look-up: an organization of 1,000
-- accounts is 511,000 entities and 557,000 documents. A column that holds JSON text comes
-- last in its table, so that reading the columns before it never walks its overflow pages.
--
-- Labels. Every staged row has `at`: "<file>: <List>[i] <kind> '<name>'" plus the place inside
-- the entity, so that an error says where it is, e.g.
--   demo.json: RoleDetailList[2] role 'app': RolePolicyList[0] 'logs': PolicyDocument: not a JSON object
-- Indexes are 0-based. A single object where GAAD has a list counts as a list of one (index 0).

-- Problems: one row each in stage_error, printed and then stopped on by the two statements that
-- end the checks (the loaders' one idiom, sql/README.md "Loaders").
CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- A file must be JSON, an object, and have at least one of the four lists.
INSERT INTO stage_error SELECT file || ': cannot read the file' FROM stage_file WHERE txt IS NULL;
INSERT INTO stage_error SELECT file || ': not valid JSON' FROM stage_file WHERE txt IS NOT NULL AND NOT json_valid(txt);
INSERT INTO stage_error SELECT file || ': the top level is not a JSON object'
FROM stage_file WHERE json_valid(txt) AND json_type(txt) <> 'object';
INSERT INTO stage_error
SELECT file || ': not a get-account-authorization-details export (no UserDetailList, GroupDetailList, RoleDetailList or Policies)'
FROM stage_file
WHERE json_valid(txt) AND json_type(txt) = 'object'
  AND coalesce(json_type(txt, '$.UserDetailList'), json_type(txt, '$.GroupDetailList'),
               json_type(txt, '$.RoleDetailList'), json_type(txt, '$.Policies')) IS NULL;

-- as_list(x): a JSON array as is; null or absent: []; anything else: [x]. Written out inline as
--   CASE coalesce(json_type(x), 'null') WHEN 'array' THEN x WHEN 'null' THEN '[]' ELSE json_array(json(x)) END

-- 1. One row per element of the four top-level lists.
CREATE TABLE stage_entity AS
WITH lists (list, kind, name_key) AS (VALUES ('UserDetailList', 'user', 'UserName'),
                                            ('GroupDetailList', 'group', 'GroupName'),
                                            ('RoleDetailList', 'role', 'RoleName'),
                                            ('Policies', 'policy', 'PolicyName'))
SELECT f.file_no, f.file, l.list, l.kind, CAST(e.key AS INTEGER) AS idx, e.type AS obj_type,
       f.file || ': ' || l.list || '[' || e.key || '] ' || l.kind
         || coalesce(' ' || quote(CASE WHEN e.type = 'object' THEN e.value ->> ('$.' || l.name_key) END), '') AS at,
       e.value AS obj
FROM stage_file AS f
JOIN lists AS l,
     json_each(CASE coalesce(json_type(f.txt, '$.' || l.list), 'null')
                 WHEN 'array' THEN f.txt -> ('$.' || l.list) WHEN 'null' THEN '[]'
                 ELSE json_array(json(f.txt -> ('$.' || l.list))) END) AS e
WHERE json_valid(f.txt) AND json_type(f.txt) = 'object';

INSERT INTO stage_error SELECT at || ': not a JSON object' FROM stage_entity WHERE obj_type <> 'object';
DELETE FROM stage_entity WHERE obj_type <> 'object';

-- Required text members of each kind, and the optional ones that must be text when present. The
-- members of each entity are read in one pass (json_each), not one JSON parse per member.
CREATE TABLE stage_member_type AS
SELECT e.rowid AS entity_rowid, j.key AS member, j.type FROM stage_entity AS e, json_each(e.obj) AS j;
CREATE INDEX stage_member_type_key ON stage_member_type (entity_rowid, member);
INSERT INTO stage_error
WITH r (kind, member, required) AS (VALUES
  ('user', 'UserName', 1), ('user', 'UserId', 1), ('user', 'Arn', 1), ('user', 'Path', 0), ('user', 'CreateDate', 0),
  ('group', 'GroupName', 1), ('group', 'GroupId', 1), ('group', 'Arn', 1), ('group', 'Path', 0), ('group', 'CreateDate', 0),
  ('role', 'RoleName', 1), ('role', 'RoleId', 1), ('role', 'Arn', 1), ('role', 'Path', 0), ('role', 'CreateDate', 0),
  ('role', 'Description', 0),
  ('policy', 'PolicyName', 1), ('policy', 'Arn', 1), ('policy', 'DefaultVersionId', 1), ('policy', 'PolicyId', 0),
  ('policy', 'Path', 0), ('policy', 'CreateDate', 0), ('policy', 'UpdateDate', 0), ('policy', 'Description', 0))
SELECT e.at || ': ' || r.member || ' is ' || coalesce(m.type, 'missing') || ', not text'
FROM stage_entity AS e JOIN r ON r.kind = e.kind
LEFT JOIN stage_member_type AS m ON m.entity_rowid = e.rowid AND m.member = r.member
WHERE m.type IS NOT 'text' AND (r.required OR coalesce(m.type, 'null') <> 'null');
DROP TABLE stage_member_type;

-- Accounts. A user, group, role or customer-managed policy belongs to the account of its ARN
-- (a real export holds one account, but files put together by hand may hold several). An
-- AWS-managed policy (account 'aws' in its ARN) is stored for every account of its file.
CREATE TABLE stage_entity_account AS
SELECT rowid AS entity_rowid,
       CASE WHEN obj ->> '$.Arn' GLOB 'arn:aws*:iam::[0-9]*:*'
            THEN substr(obj ->> '$.Arn', instr(obj ->> '$.Arn', ':iam::') + 6,
                        instr(substr(obj ->> '$.Arn', instr(obj ->> '$.Arn', ':iam::') + 6), ':') - 1) END AS account_id
FROM stage_entity;
INSERT INTO stage_error
SELECT e.at || ': account ' || quote(a.account_id) || ' of its Arn is not 12 digits'
FROM stage_entity AS e JOIN stage_entity_account AS a ON a.entity_rowid = e.rowid
WHERE length(a.account_id) <> 12 OR a.account_id GLOB '*[^0-9]*';

CREATE TABLE stage_file_account AS
SELECT DISTINCT e.file_no, e.file, a.account_id
FROM stage_entity AS e JOIN stage_entity_account AS a ON a.entity_rowid = e.rowid
WHERE length(a.account_id) = 12 AND a.account_id NOT GLOB '*[^0-9]*';
INSERT INTO stage_error
SELECT f.file || ': cannot tell the account: no user, group, role or customer-managed policy ARN'
FROM stage_file AS f
WHERE f.file_no IN (SELECT file_no FROM stage_entity)
  AND f.file_no NOT IN (SELECT file_no FROM stage_file_account);

-- The files' text is in stage_entity now: give its pages to the tables below (a file of the
-- scratch database that does not grow is read and written less).
UPDATE stage_file SET txt = NULL;

-- Entities with their account (a view: each kind's table below is one pass over it).
CREATE VIEW stage_ent AS
SELECT a.account_id, e.* FROM stage_entity AS e JOIN stage_entity_account AS a ON a.entity_rowid = e.rowid
WHERE length(a.account_id) = 12 AND a.account_id NOT GLOB '*[^0-9]*'
UNION ALL
SELECT fa.account_id, e.* FROM stage_entity AS e JOIN stage_file_account AS fa USING (file_no)
WHERE e.kind = 'policy' AND e.obj ->> '$.Arn' GLOB 'arn:aws*:iam::aws:policy/*';
INSERT INTO stage_error SELECT at || ': Arn ' || quote(obj ->> '$.Arn') || ' is not an IAM ARN with an account'
FROM stage_entity AS e
WHERE json_type(obj, '$.Arn') = 'text' AND NOT (obj ->> '$.Arn' GLOB 'arn:aws*:iam::[0-9]*:*'
                                               OR (kind = 'policy' AND obj ->> '$.Arn' GLOB 'arn:aws*:iam::aws:policy/*'));

-- 2. Users, groups, roles, policies.
CREATE TABLE stage_user AS
SELECT file_no, at, account_id, obj ->> '$.UserName' AS name, obj ->> '$.UserId' AS user_id,
       obj ->> '$.Arn' AS arn, coalesce(obj ->> '$.Path', '/') AS path, obj ->> '$.CreateDate' AS created_raw,
       obj ->> '$.PermissionsBoundary.PermissionsBoundaryArn' AS boundary_arn,
       CASE coalesce(json_type(obj, '$.Tags'), 'null') WHEN 'array' THEN obj -> '$.Tags' WHEN 'null' THEN '[]'
            ELSE json_array(json(obj -> '$.Tags')) END AS tags_list,
       obj
FROM stage_ent WHERE kind = 'user';
CREATE INDEX stage_user_key ON stage_user (account_id, name);

CREATE TABLE stage_group AS
SELECT file_no, at, account_id, obj ->> '$.GroupName' AS name, obj ->> '$.GroupId' AS group_id,
       obj ->> '$.Arn' AS arn, coalesce(obj ->> '$.Path', '/') AS path, obj ->> '$.CreateDate' AS created_raw, obj
FROM stage_ent WHERE kind = 'group';
CREATE INDEX stage_group_key ON stage_group (account_id, name);

CREATE TABLE stage_role AS
SELECT file_no, at, account_id, obj ->> '$.RoleName' AS name, obj ->> '$.RoleId' AS role_id,
       obj ->> '$.Arn' AS arn, coalesce(obj ->> '$.Path', '/') AS path, obj ->> '$.CreateDate' AS created_raw,
       obj ->> '$.Description' AS description, obj ->> '$.MaxSessionDuration' AS max_session_duration,
       obj ->> '$.PermissionsBoundary.PermissionsBoundaryArn' AS boundary_arn,
       obj ->> '$.RoleLastUsed.LastUsedDate' AS last_used_raw, obj ->> '$.RoleLastUsed.Region' AS last_used_region,
       CASE coalesce(json_type(obj, '$.Tags'), 'null') WHEN 'array' THEN obj -> '$.Tags' WHEN 'null' THEN '[]'
            ELSE json_array(json(obj -> '$.Tags')) END AS tags_list,
       obj
FROM stage_ent WHERE kind = 'role';
CREATE INDEX stage_role_key ON stage_role (account_id, name);

CREATE TABLE stage_policy AS
SELECT file_no, at, account_id, obj ->> '$.Arn' AS arn, obj ->> '$.PolicyName' AS name,
       obj ->> '$.PolicyId' AS policy_id, coalesce(obj ->> '$.Path', '/') AS path,
       obj ->> '$.DefaultVersionId' AS default_version_id,
       obj ->> '$.AttachmentCount' AS attachment_count, obj ->> '$.PermissionsBoundaryUsageCount' AS boundary_usage_count,
       CASE json_type(obj, '$.IsAttachable') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END AS is_attachable,
       obj ->> '$.Description' AS description,
       obj ->> '$.CreateDate' AS created_raw, obj ->> '$.UpdateDate' AS updated_raw, 'file' AS source, obj
FROM stage_ent WHERE kind = 'policy';
CREATE INDEX stage_policy_key ON stage_policy (account_id, arn);
DROP VIEW stage_ent;
DROP TABLE stage_entity;  -- each entity is in its kind's table now

INSERT INTO stage_error SELECT at || ': Arn ' || quote(arn) || ' is not a user ARN of account ' || account_id
FROM stage_user WHERE arn IS NOT NULL AND arn NOT GLOB 'arn:aws*:iam::' || account_id || ':user/*';
INSERT INTO stage_error SELECT at || ': Arn ' || quote(arn) || ' is not a group ARN of account ' || account_id
FROM stage_group WHERE arn IS NOT NULL AND arn NOT GLOB 'arn:aws*:iam::' || account_id || ':group/*';
INSERT INTO stage_error SELECT at || ': Arn ' || quote(arn) || ' is not a role ARN of account ' || account_id
FROM stage_role WHERE arn IS NOT NULL AND arn NOT GLOB 'arn:aws*:iam::' || account_id || ':role/*';
INSERT INTO stage_error SELECT at || ': Arn ' || quote(arn) || ' is not a policy ARN'
FROM stage_policy WHERE arn IS NOT NULL AND arn NOT GLOB 'arn:aws*:iam::*:policy/*';
INSERT INTO stage_error SELECT at || ': MaxSessionDuration ' || max_session_duration || ' is not a positive integer'
FROM stage_role WHERE max_session_duration IS NOT NULL AND (typeof(max_session_duration) <> 'integer' OR max_session_duration <= 0);
INSERT INTO stage_error SELECT at || ': PermissionsBoundary.PermissionsBoundaryArn ' || quote(boundary_arn) || ' is not a policy ARN'
FROM (SELECT at, boundary_arn FROM stage_user UNION ALL SELECT at, boundary_arn FROM stage_role)
WHERE boundary_arn IS NOT NULL AND boundary_arn NOT GLOB 'arn:aws*:iam::*:policy/*';

-- Tags: a list of {Key, Value}; the result is one JSON object per user or role.
CREATE TABLE stage_tag AS
SELECT x.kind, x.at || ': Tags[' || t.key || ']' AS at, x.account_id, x.name, t.type AS tag_type,
       t.value ->> '$.Key' AS key, t.value ->> '$.Value' AS value,
       json_type(t.value, '$.Key') AS key_type, json_type(t.value, '$.Value') AS value_type
FROM (SELECT 'user' AS kind, at, account_id, name, tags_list FROM stage_user
      UNION ALL SELECT 'role', at, account_id, name, tags_list FROM stage_role) AS x,
     json_each(x.tags_list) AS t;
CREATE INDEX stage_tag_owner ON stage_tag (kind, account_id, name);
INSERT INTO stage_error SELECT at || ': not an object with text Key and Value'
FROM stage_tag WHERE tag_type <> 'object' OR key_type IS NOT 'text' OR value_type IS NOT 'text';
INSERT INTO stage_error SELECT min(at) || ': tag key ' || quote(key) || ' appears ' || count(*) || ' times'
FROM stage_tag WHERE key_type = 'text' GROUP BY kind, account_id, name, key HAVING count(*) > 1;

-- Group membership (a user's GroupList: group names).
CREATE TABLE stage_member AS
SELECT u.at || ': GroupList[' || g.key || ']' AS at, u.account_id, u.name AS user_name,
       g.value AS group_name, g.type
FROM stage_user AS u,
     json_each(CASE coalesce(json_type(u.obj, '$.GroupList'), 'null') WHEN 'array' THEN u.obj -> '$.GroupList'
                    WHEN 'null' THEN '[]' ELSE json_array(json(u.obj -> '$.GroupList')) END) AS g;
INSERT INTO stage_error SELECT at || ': not a group name (text)' FROM stage_member WHERE type <> 'text';
INSERT INTO stage_error
SELECT m.at || ': group ' || quote(m.group_name) || ' is not in the export of account ' || m.account_id
FROM stage_member AS m
WHERE m.type = 'text'
  AND NOT EXISTS (SELECT 1 FROM stage_group AS g WHERE g.account_id = m.account_id AND g.name = m.group_name);

-- Inline policies and attached managed policies of users, groups and roles.
CREATE TABLE stage_inline AS
WITH owners (kind, list, at, account_id, name, obj) AS (
  SELECT 'user', 'UserPolicyList', at, account_id, name, obj FROM stage_user
  UNION ALL SELECT 'group', 'GroupPolicyList', at, account_id, name, obj FROM stage_group
  UNION ALL SELECT 'role', 'RolePolicyList', at, account_id, name, obj FROM stage_role)
SELECT o.kind AS owner_kind, o.account_id, o.name AS owner_name,
       o.at || ': ' || o.list || '[' || p.key || ']' || coalesce(' ' || quote(p.value ->> '$.PolicyName'), '') AS at,
       p.type, p.value ->> '$.PolicyName' AS policy_name, json_type(p.value, '$.PolicyName') AS name_type,
       json_type(p.value, '$.PolicyDocument') AS doc_type, p.value -> '$.PolicyDocument' AS doc_raw
FROM owners AS o,
     json_each(CASE coalesce(json_type(o.obj, '$.' || o.list), 'null') WHEN 'array' THEN o.obj -> ('$.' || o.list)
                    WHEN 'null' THEN '[]' ELSE json_array(json(o.obj -> ('$.' || o.list))) END) AS p;
CREATE INDEX stage_inline_key ON stage_inline (account_id, owner_kind, owner_name, policy_name);
INSERT INTO stage_error SELECT at || ': not an object with text PolicyName'
FROM stage_inline WHERE type <> 'object' OR name_type IS NOT 'text';

CREATE TABLE stage_attach AS
WITH owners (kind, at, account_id, name, obj) AS (
  SELECT 'user', at, account_id, name, obj FROM stage_user
  UNION ALL SELECT 'group', at, account_id, name, obj FROM stage_group
  UNION ALL SELECT 'role', at, account_id, name, obj FROM stage_role)
SELECT o.kind AS principal_kind, o.account_id, o.name AS principal_name,
       o.at || ': AttachedManagedPolicies[' || a.key || ']' AS at, a.type,
       a.value ->> '$.PolicyArn' AS policy_arn, a.value ->> '$.PolicyName' AS policy_name
FROM owners AS o,
     json_each(CASE coalesce(json_type(o.obj, '$.AttachedManagedPolicies'), 'null')
                    WHEN 'array' THEN o.obj -> '$.AttachedManagedPolicies' WHEN 'null' THEN '[]'
                    ELSE json_array(json(o.obj -> '$.AttachedManagedPolicies')) END) AS a;
INSERT INTO stage_error SELECT at || ': PolicyArn ' || quote(policy_arn) || ' is not a policy ARN'
FROM stage_attach WHERE type <> 'object' OR policy_arn IS NULL OR policy_arn NOT GLOB 'arn:aws*:iam::*:policy/*';

-- Instance profiles (a role's InstanceProfileList; each lists its Roles).
CREATE TABLE stage_profile AS
SELECT r.at || ': InstanceProfileList[' || p.key || ']' || coalesce(' ' || quote(p.value ->> '$.InstanceProfileName'), '') AS at,
       r.account_id, r.name AS listed_by, p.type, p.value ->> '$.InstanceProfileName' AS name,
       p.value ->> '$.InstanceProfileId' AS instance_profile_id, p.value ->> '$.Arn' AS arn,
       coalesce(p.value ->> '$.Path', '/') AS path, p.value ->> '$.CreateDate' AS created_raw,
       CASE coalesce(json_type(p.value, '$.Roles'), 'null') WHEN 'array' THEN p.value -> '$.Roles' WHEN 'null' THEN '[]'
            ELSE json_array(json(p.value -> '$.Roles')) END AS roles
FROM stage_role AS r,
     json_each(CASE coalesce(json_type(r.obj, '$.InstanceProfileList'), 'null')
                    WHEN 'array' THEN r.obj -> '$.InstanceProfileList' WHEN 'null' THEN '[]'
                    ELSE json_array(json(r.obj -> '$.InstanceProfileList')) END) AS p;
CREATE INDEX stage_profile_key ON stage_profile (account_id, name);
INSERT INTO stage_error SELECT at || ': not an object with text InstanceProfileName, InstanceProfileId and an instance-profile Arn'
FROM stage_profile
WHERE type <> 'object' OR name IS NULL OR instance_profile_id IS NULL OR arn IS NULL
   OR arn NOT GLOB 'arn:aws*:iam::' || account_id || ':instance-profile/*';
INSERT INTO stage_error SELECT min(at) || ': listed ' || count(DISTINCT arn || path || instance_profile_id || coalesce(created_raw, ''))
                         || ' different ways by roles ' || group_concat(DISTINCT quote(listed_by))
FROM stage_profile WHERE type = 'object' GROUP BY account_id, name
HAVING count(DISTINCT arn || path || instance_profile_id || coalesce(created_raw, '')) > 1;

CREATE TABLE stage_profile_role AS
SELECT DISTINCT p.account_id, p.name AS profile_name, r.value ->> '$.RoleName' AS role_name,
       p.at || ': Roles[' || r.key || ']' AS at
FROM stage_profile AS p, json_each(p.roles) AS r WHERE p.type = 'object';
INSERT INTO stage_error SELECT at || ': no RoleName' FROM stage_profile_role WHERE role_name IS NULL;
INSERT INTO stage_error
SELECT at || ': role ' || quote(role_name) || ' is not in the export of account ' || account_id
FROM stage_profile_role AS pr
WHERE role_name IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM stage_role AS r WHERE r.account_id = pr.account_id AND r.name = pr.role_name);

-- Policy versions.
CREATE TABLE stage_version AS
SELECT p.account_id, p.arn AS policy_arn, p.at AS policy_at,
       p.at || ': PolicyVersionList[' || v.key || ']' || coalesce(' ' || (v.value ->> '$.VersionId'), '') AS at,
       v.type, v.value ->> '$.VersionId' AS version_id,
       CASE json_type(v.value, '$.IsDefaultVersion') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END AS is_default,
       v.value ->> '$.CreateDate' AS created_raw,
       json_type(v.value, '$.Document') AS doc_type, v.value -> '$.Document' AS doc_raw
FROM stage_policy AS p,
     json_each(CASE coalesce(json_type(p.obj, '$.PolicyVersionList'), 'null')
                    WHEN 'array' THEN p.obj -> '$.PolicyVersionList' WHEN 'null' THEN '[]'
                    ELSE json_array(json(p.obj -> '$.PolicyVersionList')) END) AS v;
CREATE INDEX stage_version_key ON stage_version (account_id, policy_arn, version_id);
INSERT INTO stage_error SELECT at || ': VersionId ' || quote(version_id) || ' is not v<number>'
FROM stage_version WHERE type <> 'object' OR version_id IS NULL OR version_id NOT GLOB 'v[1-9]*' OR version_id GLOB 'v*[^0-9]*';
INSERT INTO stage_error SELECT at || ': IsDefaultVersion is not true or false' FROM stage_version
WHERE type = 'object' AND is_default IS NULL;
INSERT INTO stage_error SELECT p.at || ': DefaultVersionId ' || quote(p.default_version_id) || ' is not among its PolicyVersionList'
FROM stage_policy AS p
WHERE p.default_version_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM stage_version AS v WHERE v.policy_arn = p.arn AND v.account_id = p.account_id
                  AND v.version_id = p.default_version_id);
INSERT INTO stage_error SELECT v.at || ': IsDefaultVersion is true but DefaultVersionId is ' || quote(p.default_version_id)
FROM stage_version AS v JOIN stage_policy AS p ON p.account_id = v.account_id AND p.arn = v.policy_arn
WHERE v.is_default = 1 AND v.version_id IS NOT p.default_version_id;

-- 3. Documents: inline policies, policy versions and trust policies, one row each. raw_type is
--    the JSON type of the document as given: 'object' (used as is) or 'text' (URL-encoded:
--    percent-decoded once, RFC 3986, by iam_url_decode(); '+' stays '+'). decode_error is why
--    the string does not decode (iam_url_decode_error(): a '%' not followed by two hex
--    digits, or bytes that are not UTF-8), so that every such document is listed by its place.
CREATE TABLE stage_doc (
  at           TEXT PRIMARY KEY NOT NULL,
  kind         TEXT NOT NULL,           -- 'policy' (identity policy) or 'trust'
  raw_type     TEXT,
  decode_error TEXT,                    -- NULL: it decodes (or is not a string)
  raw          TEXT,
  text         TEXT
);
INSERT OR IGNORE INTO stage_doc (at, kind, raw_type, raw)
SELECT at || ': PolicyDocument', 'policy', doc_type, doc_raw FROM stage_inline WHERE type = 'object' AND name_type = 'text'
UNION ALL
SELECT at || ': Document', 'policy', doc_type, doc_raw FROM stage_version WHERE type = 'object'
UNION ALL
SELECT at || ': AssumeRolePolicyDocument', 'trust', json_type(obj, '$.AssumeRolePolicyDocument'),
       obj -> '$.AssumeRolePolicyDocument'
FROM stage_role WHERE json_type(obj, '$.AssumeRolePolicyDocument') IS NOT NULL;

INSERT INTO stage_error SELECT at || ': ' || coalesce(raw_type, 'missing') || ', not a JSON object or a URL-encoded string'
FROM stage_doc WHERE raw_type IS NOT 'object' AND raw_type IS NOT 'text';
UPDATE stage_doc SET text = json(raw) WHERE raw_type = 'object';
UPDATE stage_doc SET raw = raw ->> '$' WHERE raw_type = 'text';  -- the string itself, not its JSON form
UPDATE stage_doc SET decode_error = iam_url_decode_error(raw) WHERE raw_type = 'text';
INSERT INTO stage_error SELECT at || ': bad URL encoding: ' || decode_error FROM stage_doc WHERE decode_error IS NOT NULL;
UPDATE stage_doc SET text = iam_url_decode(raw) WHERE raw_type = 'text' AND decode_error IS NULL;
