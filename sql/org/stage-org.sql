-- SPDX-License-Identifier: MIT
-- sql/org/stage-org.sql: read the AWS CLI's output about an organization (the folder that
-- sql/README.md, "Organizations and resource policies", says how to make) into staging tables,
-- and list every problem with the file and the entity it is in.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-org.sh on a scratch staging database (never on the inventory). It
--         expects the table stage_file (file_no, file, kind, key, txt): one row per file of the
--         folder, kind the CLI command (describe-organization, list-roots,
--         list-organizational-units-for-parent, list-accounts-for-parent, list-policies,
--         describe-policy, list-targets-for-policy), key the parent id, the policy type or the
--         policy id its name gives ('' for the first two), txt the text (valid JSON: the script
--         checked it), and stage_param (dir): the folder as given.
-- Output: the stage_* tables that sql/org/load-org.sql and warn-org.sql read; every problem
--         as a row of stage_error, printed, then the stop of the loaders' idiom (sql/README.md,
--         "Loaders").
--
-- Labels: "<file>: <List>[i] <kind> '<name>'" plus the place, e.g.
--   org/list-accounts-for-parent/ou-a1b2-prod0001.json: Accounts[0] account '100000000003': Id is a number, not text

CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- Files: objects, whole lists, the two that must be there.
INSERT INTO stage_error SELECT file || ': the top level is not a JSON object' FROM stage_file WHERE json_type(txt) <> 'object';
DELETE FROM stage_file WHERE json_type(txt) <> 'object';
INSERT INTO stage_error
SELECT file || ': has a NextToken: it is one page of a longer list (the CLI reads every page unless --max-items is given); save the whole list'
FROM stage_file WHERE json_type(txt, '$.NextToken') = 'text';
INSERT INTO stage_error
SELECT (SELECT dir FROM stage_param) || '/' || k || '.json: missing (aws organizations ' || k || ' --output json > ' || k || '.json)'
FROM (SELECT column1 AS k FROM (VALUES ('describe-organization'), ('list-roots'))) AS v
WHERE NOT EXISTS (SELECT 1 FROM stage_file WHERE kind = v.k);
-- What each file must hold at its top.
INSERT INTO stage_error
SELECT f.file || ': ' || m.member || ' is ' || coalesce(json_type(f.txt, '$.' || m.member), 'missing') || ', not ' || m.type
       || ' (not the output of aws organizations ' || f.kind || '?)'
FROM stage_file AS f
JOIN (SELECT column1 AS kind, column2 AS member, column3 AS type FROM (VALUES ('describe-organization', 'Organization', 'object'), ('list-roots', 'Roots', 'array'),
             ('list-organizational-units-for-parent', 'OrganizationalUnits', 'array'),
             ('list-accounts-for-parent', 'Accounts', 'array'), ('list-policies', 'Policies', 'array'),
             ('describe-policy', 'Policy', 'object'), ('list-targets-for-policy', 'Targets', 'array'))) AS m
  ON m.kind = f.kind
WHERE json_type(f.txt, '$.' || m.member) IS NOT m.type;

-- The entities of every list, one row each: kind, the file's key (parent, policy type or id),
-- the element, and its label.
CREATE TABLE stage_entity AS
WITH lists (file_kind, list, kind, name_key) AS (VALUES
  ('list-roots', 'Roots', 'root', 'Name'),
  ('list-organizational-units-for-parent', 'OrganizationalUnits', 'ou', 'Name'),
  ('list-accounts-for-parent', 'Accounts', 'account', 'Id'),
  ('list-policies', 'Policies', 'policy', 'Name'),
  ('list-targets-for-policy', 'Targets', 'target', 'TargetId'))
SELECT f.file_no, f.file, f.key, l.kind, CAST(e.key AS INTEGER) AS idx, e.type AS obj_type, e.value AS obj,
       f.file || ': ' || l.list || '[' || e.key || '] ' || l.kind
         || CASE WHEN e.type = 'object' AND (e.value ->> ('$.' || l.name_key)) IS NOT NULL
                 THEN ' ' || quote(e.value ->> ('$.' || l.name_key)) ELSE '' END AS at
FROM stage_file AS f
JOIN lists AS l ON l.file_kind = f.kind,
     json_each(f.txt, '$.' || l.list) AS e
WHERE json_type(f.txt, '$.' || l.list) = 'array';
INSERT INTO stage_error SELECT at || ': not a JSON object' FROM stage_entity WHERE obj_type <> 'object';
DELETE FROM stage_entity WHERE obj_type <> 'object';

-- Members: required text, optional text, booleans.
INSERT INTO stage_error
WITH r (kind, member, type, required) AS (VALUES
  ('root', 'Id', 'text', 1), ('root', 'Arn', 'text', 1), ('root', 'Name', 'text', 1), ('root', 'PolicyTypes', 'array', 0),
  ('ou', 'Id', 'text', 1), ('ou', 'Arn', 'text', 1), ('ou', 'Name', 'text', 1),
  ('account', 'Id', 'text', 1), ('account', 'Arn', 'text', 1), ('account', 'Name', 'text', 1),
  ('account', 'Email', 'text', 0), ('account', 'Status', 'text', 0), ('account', 'State', 'text', 0),
  ('account', 'JoinedMethod', 'text', 0),
  ('policy', 'Id', 'text', 1), ('policy', 'Arn', 'text', 1), ('policy', 'Name', 'text', 1), ('policy', 'Type', 'text', 1),
  ('policy', 'Description', 'text', 0),
  ('target', 'TargetId', 'text', 1), ('target', 'Type', 'text', 1), ('target', 'Arn', 'text', 0), ('target', 'Name', 'text', 0))
SELECT e.at || ': ' || r.member || ' is ' || coalesce(json_type(e.obj, '$.' || r.member), 'missing') || ', not '
       || CASE r.type WHEN 'text' THEN 'text' ELSE 'an array' END
FROM stage_entity AS e JOIN r ON r.kind = e.kind
WHERE json_type(e.obj, '$.' || r.member) IS NOT r.type
  AND (r.required OR coalesce(json_type(e.obj, '$.' || r.member), 'null') <> 'null');
INSERT INTO stage_error
SELECT at || ': AwsManaged is ' || coalesce(json_type(obj, '$.AwsManaged'), 'missing') || ', not true or false'
FROM stage_entity WHERE kind = 'policy' AND coalesce(json_type(obj, '$.AwsManaged'), '') NOT IN ('true', 'false');

-- The organization.
CREATE TABLE stage_org AS
SELECT file, txt ->> '$.Organization.Id' AS org_id, txt ->> '$.Organization.Arn' AS arn,
       txt ->> '$.Organization.FeatureSet' AS feature_set, txt ->> '$.Organization.MasterAccountId' AS management,
       txt ->> '$.Organization.MasterAccountArn' AS management_arn, txt ->> '$.Organization.MasterAccountEmail' AS management_email,
       txt -> '$.Organization' AS obj
FROM stage_file WHERE kind = 'describe-organization' AND json_type(txt, '$.Organization') = 'object';
INSERT INTO stage_error
SELECT o.file || ': Organization.' || m.member || ' is ' || coalesce(json_type(o.obj, '$.' || m.member), 'missing') || ', not text'
FROM stage_org AS o, (SELECT column1 AS member FROM (VALUES ('Id'), ('Arn'), ('FeatureSet'), ('MasterAccountId'))) AS m
WHERE json_type(o.obj, '$.' || m.member) IS NOT 'text';
INSERT INTO stage_error
SELECT file || ': Organization.Id ' || quote(org_id) || ' is not an organization id (o- and 10 to 32 lower-case letters or digits)'
FROM stage_org WHERE org_id IS NOT NULL AND NOT (org_id GLOB 'o-[a-z0-9]*' AND org_id NOT GLOB 'o-*[^a-z0-9]*' AND length(org_id) BETWEEN 12 AND 34);
INSERT INTO stage_error
SELECT file || ': Organization.FeatureSet ' || quote(feature_set) || ' is not ALL or CONSOLIDATED_BILLING'
FROM stage_org WHERE feature_set NOT IN ('ALL', 'CONSOLIDATED_BILLING');
INSERT INTO stage_error
SELECT file || ': Organization.MasterAccountId ' || quote(management) || ' is not 12 digits'
FROM stage_org WHERE management IS NOT NULL AND (length(management) <> 12 OR management GLOB '*[^0-9]*');
INSERT INTO stage_error
SELECT file || ': Organization.Arn ' || quote(arn) || ' is not an organization ARN'
FROM stage_org WHERE arn IS NOT NULL AND arn NOT GLOB 'arn:aws*:organizations::*:organization/*';

-- The tree: the root, then every OU and account under the parent its file is named after.
CREATE TABLE stage_node AS
SELECT file, at, 'root' AS kind, obj ->> '$.Id' AS node_id, NULL AS parent_id, obj ->> '$.Name' AS name,
       obj ->> '$.Arn' AS arn, obj
FROM stage_entity WHERE kind = 'root'
UNION ALL
SELECT file, at, kind, obj ->> '$.Id', key, obj ->> '$.Name', obj ->> '$.Arn', obj
FROM stage_entity WHERE kind IN ('ou', 'account');
CREATE INDEX stage_node_id ON stage_node (node_id);
CREATE INDEX stage_node_parent ON stage_node (parent_id);

INSERT INTO stage_error
SELECT min(file) || ': Roots has ' || count(*) || ' roots; an organization has one'
FROM stage_node WHERE kind = 'root' HAVING count(*) > 1;
INSERT INTO stage_error
SELECT file || ': Roots is empty; an organization has one root'
FROM stage_file WHERE kind = 'list-roots' AND json_array_length(txt, '$.Roots') = 0;
INSERT INTO stage_error
SELECT at || ': Id ' || quote(node_id) || ' is not '
       || CASE kind WHEN 'root' THEN 'a root id (r- and 4 to 32 lower-case letters or digits)'
                    WHEN 'ou' THEN 'an OU id (ou-, then 4 to 32 and 8 to 32 lower-case letters or digits)'
                    ELSE 'an account id (12 digits)' END
FROM stage_node
WHERE node_id IS NOT NULL
  AND NOT CASE kind WHEN 'root' THEN node_id GLOB 'r-[0-9a-z]*' AND node_id NOT GLOB 'r-*[^0-9a-z]*'
                    WHEN 'ou' THEN node_id GLOB 'ou-[0-9a-z]*-[0-9a-z]*' AND node_id NOT GLOB 'ou-*[^0-9a-z-]*'
                                   AND node_id NOT GLOB 'ou-*-*-*'
                    ELSE length(node_id) = 12 AND node_id NOT GLOB '*[^0-9]*' END;
INSERT INTO stage_error
SELECT at || ': Arn ' || quote(arn) || ' is not an AWS Organizations ARN'
FROM stage_node WHERE arn IS NOT NULL AND arn NOT GLOB 'arn:aws*:organizations::*';
-- each OU and account once
INSERT INTO stage_error
SELECT kind || ' ' || quote(node_id) || ' is listed ' || count(*) || ' times: ' || group_concat(at, '; ')
FROM stage_node WHERE node_id IS NOT NULL GROUP BY node_id HAVING count(*) > 1;
-- a list under a parent that is neither the root nor a listed OU
INSERT INTO stage_error
SELECT f.file || ': ' || quote(f.key) || ' is neither the root nor an OU that a list-organizational-units-for-parent file lists'
FROM stage_file AS f
WHERE f.kind IN ('list-organizational-units-for-parent', 'list-accounts-for-parent')
  AND NOT EXISTS (SELECT 1 FROM stage_node AS n WHERE n.node_id = f.key AND n.kind IN ('root', 'ou'));
-- every parent needs both lists (an empty one when it has no OUs or accounts)
INSERT INTO stage_error
SELECT (SELECT dir FROM stage_param) || '/' || k.kind || '/' || n.node_id || '.json: missing: ' || CASE n.kind WHEN 'ou' THEN 'OU' ELSE n.kind END || ' ' || quote(n.name)
       || CASE WHEN n.kind = 'ou' THEN ' (' || n.at || ')' ELSE '' END
       || ' needs it (aws organizations ' || k.kind || ' --parent-id ' || n.node_id || '; an empty list if it has none)'
FROM stage_node AS n, (SELECT column1 AS kind FROM (VALUES ('list-organizational-units-for-parent'), ('list-accounts-for-parent'))) AS k
WHERE n.kind IN ('root', 'ou') AND n.node_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM stage_file AS f WHERE f.kind = k.kind AND f.key = n.node_id);
-- everything under the root (OUs that list each other and nothing else would not be)
INSERT INTO stage_error
SELECT n.at || ': not under the root (its parents form a cycle)'
FROM stage_node AS n
WHERE n.kind <> 'root' AND n.node_id IS NOT NULL
  AND n.node_id NOT IN (
    WITH RECURSIVE t (id) AS (SELECT node_id FROM stage_node WHERE kind = 'root'
                             UNION SELECT c.node_id FROM stage_node AS c JOIN t ON c.parent_id = t.id)
    SELECT id FROM t)
  AND EXISTS (SELECT 1 FROM stage_node WHERE kind = 'root');
INSERT INTO stage_error
SELECT o.file || ': the management account ' || o.management || ' is in none of the list-accounts-for-parent files'
FROM stage_org AS o
WHERE o.management IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stage_node AS n WHERE n.kind = 'account' AND n.node_id = o.management);

-- The root's policy types.
CREATE TABLE stage_policy_type AS
SELECT n.node_id AS root_id, t.value ->> '$.Type' AS type, t.value ->> '$.Status' AS status,
       n.at || ': PolicyTypes[' || t.key || ']' AS at, t.type AS obj_type
FROM stage_node AS n, json_each(n.obj, '$.PolicyTypes') AS t
WHERE n.kind = 'root' AND json_type(n.obj, '$.PolicyTypes') = 'array';
INSERT INTO stage_error
SELECT at || ': must be an object with Type and Status (text)'
FROM stage_policy_type WHERE obj_type <> 'object' OR typeof(type) <> 'text' OR typeof(status) <> 'text';
DELETE FROM stage_policy_type WHERE obj_type <> 'object' OR typeof(type) <> 'text' OR typeof(status) <> 'text';
INSERT INTO stage_error
SELECT 'policy type ' || type || ' is listed ' || count(*) || ' times: ' || group_concat(at, '; ')
FROM stage_policy_type GROUP BY root_id, type HAVING count(*) > 1;

-- Policies: list-policies-<TYPE>.json, then describe-policy/<ID>.json and
-- list-targets-for-policy/<ID>.json for each.
INSERT INTO stage_error
SELECT file || ': the file name gives the policy type ' || quote(key) || ', not SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY'
FROM stage_file WHERE kind = 'list-policies' AND key NOT IN ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY');
-- a type enabled at the root needs its list
INSERT INTO stage_error
SELECT (SELECT dir FROM stage_param) || '/list-policies-' || t.type || '.json: missing: the root has ' || t.type || ' ' || t.status
       || ' (aws organizations list-policies --filter ' || t.type || ' --output json)'
FROM stage_policy_type AS t
WHERE t.type IN ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY') AND t.status = 'ENABLED'
  AND NOT EXISTS (SELECT 1 FROM stage_file AS f WHERE f.kind = 'list-policies' AND f.key = t.type);

CREATE TABLE stage_policy AS
SELECT e.file, e.at, e.key AS list_type, e.obj ->> '$.Id' AS policy_id, e.obj ->> '$.Arn' AS arn,
       e.obj ->> '$.Name' AS name, e.obj ->> '$.Type' AS type, e.obj ->> '$.Description' AS description,
       json_type(e.obj, '$.AwsManaged') = 'true' AS aws_managed,
       d.file AS describe_file, d.txt AS describe_txt, d.txt ->> '$.Policy.Content' AS content, NULL AS document
FROM stage_entity AS e
LEFT JOIN stage_file AS d ON d.kind = 'describe-policy' AND d.key = e.obj ->> '$.Id'
WHERE e.kind = 'policy';
CREATE INDEX stage_policy_id ON stage_policy (policy_id);
INSERT INTO stage_error
SELECT at || ': Type ' || quote(type) || ' is not the type of its file (' || list_type || ')'
FROM stage_policy WHERE type IS NOT NULL AND type IS NOT list_type AND list_type IN ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY');
INSERT INTO stage_error
SELECT at || ': Id ' || quote(policy_id) || ' is not a policy id (p- and 8 to 128 letters, digits or _)'
FROM stage_policy WHERE policy_id IS NOT NULL AND NOT (policy_id GLOB 'p-?*' AND policy_id NOT GLOB 'p-*[^0-9A-Za-z_]*');
INSERT INTO stage_error
SELECT 'policy ' || quote(policy_id) || ' is listed ' || count(*) || ' times: ' || group_concat(at, '; ')
FROM stage_policy WHERE policy_id IS NOT NULL GROUP BY policy_id HAVING count(*) > 1;
INSERT INTO stage_error
SELECT (SELECT dir FROM stage_param) || '/describe-policy/' || policy_id || '.json: missing: ' || at || ' needs it (aws organizations describe-policy --policy-id ' || policy_id || ')'
FROM stage_policy WHERE policy_id IS NOT NULL AND describe_file IS NULL;
INSERT INTO stage_error
SELECT (SELECT dir FROM stage_param) || '/list-targets-for-policy/' || policy_id || '.json: missing: ' || at || ' needs it (aws organizations list-targets-for-policy --policy-id ' || policy_id || ')'
FROM stage_policy AS p
WHERE policy_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM stage_file AS f WHERE f.kind = 'list-targets-for-policy' AND f.key = p.policy_id);
INSERT INTO stage_error
SELECT f.file || ': policy ' || quote(f.key) || ' is in neither list-policies file'
FROM stage_file AS f
WHERE f.kind IN ('describe-policy', 'list-targets-for-policy')
  AND NOT EXISTS (SELECT 1 FROM stage_policy AS p WHERE p.policy_id = f.key);
-- describe-policy: the summary names the same policy; Content is the document as a JSON string
INSERT INTO stage_error
SELECT describe_file || ': Policy.PolicySummary.Id is ' || coalesce(describe_txt -> '$.Policy.PolicySummary.Id', 'missing')
       || ', not ' || quote(policy_id)
FROM stage_policy
WHERE describe_file IS NOT NULL AND (describe_txt ->> '$.Policy.PolicySummary.Id') IS NOT policy_id;
INSERT INTO stage_error
SELECT describe_file || ': Policy.PolicySummary.Type is ' || coalesce(describe_txt -> '$.Policy.PolicySummary.Type', 'missing')
       || ', not ' || quote(type)
FROM stage_policy
WHERE describe_file IS NOT NULL AND (describe_txt ->> '$.Policy.PolicySummary.Type') IS NOT type;
INSERT INTO stage_error
SELECT describe_file || ': Policy.Content is ' || coalesce(json_type(describe_txt, '$.Policy.Content'), 'missing')
       || ', not text (the policy document as a JSON string)'
FROM stage_policy
WHERE describe_file IS NOT NULL AND json_type(describe_txt, '$.Policy.Content') IS NOT 'text';
INSERT INTO stage_error
SELECT describe_file || ': Policy.Content is not '
       || CASE WHEN json_valid(content) THEN 'a JSON object' ELSE 'valid JSON' END || ' (' || at || ')'
FROM stage_policy
WHERE describe_file IS NOT NULL AND typeof(content) = 'text' AND NOT (json_valid(content) AND json_type(content) = 'object');
UPDATE stage_policy SET document = json(content) WHERE json_valid(content) AND json_type(content) = 'object';

-- Attachments: every target is a node of the tree, of the kind its Type says.
CREATE TABLE stage_attachment AS
SELECT e.file, e.at, e.key AS policy_id, e.obj ->> '$.TargetId' AS target_id, e.obj ->> '$.Type' AS target_type,
       n.kind AS node_kind
FROM stage_entity AS e
LEFT JOIN stage_node AS n ON n.node_id = e.obj ->> '$.TargetId'
WHERE e.kind = 'target';
INSERT INTO stage_error
SELECT at || ': ' || quote(target_id) || ' is not in the tree (no list-roots, list-organizational-units-for-parent or list-accounts-for-parent file lists it)'
FROM stage_attachment WHERE target_id IS NOT NULL AND node_kind IS NULL;
INSERT INTO stage_error
SELECT at || ': Type ' || quote(target_type) || ' is not the type of ' || node_kind || ' ' || target_id
       || ' (' || CASE node_kind WHEN 'root' THEN 'ROOT' WHEN 'ou' THEN 'ORGANIZATIONAL_UNIT' ELSE 'ACCOUNT' END || ')'
FROM stage_attachment
WHERE node_kind IS NOT NULL
  AND target_type IS NOT CASE node_kind WHEN 'root' THEN 'ROOT' WHEN 'ou' THEN 'ORGANIZATIONAL_UNIT' ELSE 'ACCOUNT' END;
INSERT INTO stage_error
SELECT 'policy ' || policy_id || ' is attached to ' || target_id || ' ' || count(*) || ' times: ' || group_concat(at, '; ')
FROM stage_attachment WHERE target_id IS NOT NULL GROUP BY policy_id, target_id HAVING count(*) > 1;

-- Stop here, before the import touches the inventory, if anything is wrong.
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;
