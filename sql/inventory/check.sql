-- sql/inventory/check.sql: the second part of staging GAAD files (see sql/inventory/stage.sql):
-- decoded documents, dates, duplicates, and the AWS-managed policies to take from the catalog.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-gaad.sh on the staging database, after sql/inventory/stage.sql and the
--         decoding UPDATEs, with the catalog attached as `catalog` (tables policy and
--         policy_version of sql/catalog/schema.sql; empty when there is no catalog). Lists every problem
--         (SELECT msg FROM s_error) and then fails on the constraint below if there is any.

-- Documents after decoding must be JSON objects; they are stored minified.
INSERT INTO s_error
SELECT at || ': ' || CASE WHEN raw_type = 'text' THEN 'not a JSON object after URL-decoding' ELSE 'not a JSON object' END
FROM s_doc
WHERE raw_type IN ('object', 'text')
  AND at NOT IN (SELECT at FROM s_doc_hex WHERE bad)
  AND (text IS NULL OR NOT json_valid(text) OR json_type(text) <> 'object');
UPDATE s_doc SET text = json(text) WHERE raw_type = 'text' AND json_valid(text) AND json_type(text) = 'object';

-- Trust policies as the view inv_role_trust (sql/inventory/schema.sql) gives them to the extension:
-- "Resource": "*" added to every statement without Resource or NotResource.
ALTER TABLE s_doc ADD COLUMN trust_text TEXT;
UPDATE s_doc SET trust_text =
  json_set(text, '$.Statement',
           (SELECT json_group_array(CASE WHEN s.type = 'object' AND json_type(s.value, '$.Resource') IS NULL
                                              AND json_type(s.value, '$.NotResource') IS NULL
                                         THEN json_set(s.value, '$.Resource', '*') ELSE json(s.value) END)
            FROM json_each(CASE json_type(text, '$.Statement') WHEN 'array' THEN text -> '$.Statement'
                                ELSE json_array(json(text -> '$.Statement')) END) AS s))
WHERE kind = 'trust' AND json_valid(text) AND json_type(text) = 'object';

-- Dates: both GAAD styles, '2015-02-06T19:58:34Z' and '2023-03-09 10:41:34+00:00' (any offset,
-- fractions of a second), normalised to 'YYYY-MM-DDTHH:MM:SSZ' in UTC.
CREATE TABLE s_date AS
SELECT at, member, raw,
       CASE WHEN raw GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'
                 AND date(julianday(substr(raw, 1, 10))) IS substr(raw, 1, 10)
                 AND (substr(raw, 20) IN ('Z', '') OR substr(raw, 20) GLOB '[+-][0-9][0-9]:[0-9][0-9]'
                      OR substr(raw, 20) GLOB '.[0-9]*Z' OR substr(raw, 20) GLOB '.[0-9]*[+-][0-9][0-9]:[0-9][0-9]')
            THEN strftime('%Y-%m-%dT%H:%M:%SZ', raw) END AS iso
FROM (SELECT at, 'CreateDate' AS member, created_raw AS raw FROM s_user
      UNION ALL SELECT at, 'CreateDate', created_raw FROM s_group
      UNION ALL SELECT at, 'CreateDate', created_raw FROM s_role
      UNION ALL SELECT at, 'RoleLastUsed.LastUsedDate', last_used_raw FROM s_role
      UNION ALL SELECT at, 'CreateDate', created_raw FROM s_policy
      UNION ALL SELECT at, 'UpdateDate', updated_raw FROM s_policy
      UNION ALL SELECT at, 'CreateDate', created_raw FROM s_version WHERE type = 'object'
      UNION ALL SELECT at, 'CreateDate', created_raw FROM s_profile WHERE type = 'object')
WHERE raw IS NOT NULL;
INSERT INTO s_error SELECT at || ': ' || member || ' ' || quote(raw) || ' is not a date like 2015-02-06T19:58:34Z or 2023-03-09 10:41:34+00:00'
FROM s_date WHERE iso IS NULL;

-- Each entity once per account: a name or ARN that two places define is an error naming both.
INSERT INTO s_error
SELECT what || ' is defined ' || n || ' times: ' || places
FROM (SELECT 'user ' || quote(name) || ' of account ' || account_id AS what, count(*) AS n, group_concat(at, '; ') AS places
      FROM s_user WHERE name IS NOT NULL GROUP BY account_id, name HAVING count(*) > 1
      UNION ALL
      SELECT 'group ' || quote(name) || ' of account ' || account_id, count(*), group_concat(at, '; ')
      FROM s_group WHERE name IS NOT NULL GROUP BY account_id, name HAVING count(*) > 1
      UNION ALL
      SELECT 'role ' || quote(name) || ' of account ' || account_id, count(*), group_concat(at, '; ')
      FROM s_role WHERE name IS NOT NULL GROUP BY account_id, name HAVING count(*) > 1
      UNION ALL
      SELECT 'policy ' || quote(arn) || ' of account ' || account_id, count(*), group_concat(at, '; ')
      FROM s_policy WHERE arn IS NOT NULL GROUP BY account_id, arn HAVING count(*) > 1
      UNION ALL
      SELECT 'inline policy ' || quote(policy_name) || ' of ' || owner_kind || ' ' || quote(owner_name), count(*), group_concat(at, '; ')
      FROM s_inline WHERE policy_name IS NOT NULL GROUP BY account_id, owner_kind, owner_name, policy_name HAVING count(*) > 1
      UNION ALL
      SELECT 'version ' || version_id || ' of policy ' || quote(policy_arn), count(*), group_concat(at, '; ')
      FROM s_version WHERE version_id IS NOT NULL GROUP BY policy_at, account_id, version_id HAVING count(*) > 1
      UNION ALL
      SELECT 'attachment of ' || quote(policy_arn) || ' to ' || principal_kind || ' ' || quote(principal_name), count(*), group_concat(at, '; ')
      FROM s_attach WHERE policy_arn IS NOT NULL GROUP BY account_id, principal_kind, principal_name, policy_arn HAVING count(*) > 1
      UNION ALL
      SELECT 'user ARN ' || quote(arn), count(*), group_concat(at, '; ')
      FROM s_user WHERE arn IS NOT NULL GROUP BY arn HAVING count(DISTINCT account_id || name) > 1
      UNION ALL
      SELECT 'role ARN ' || quote(arn), count(*), group_concat(at, '; ')
      FROM s_role WHERE arn IS NOT NULL GROUP BY arn HAVING count(DISTINCT account_id || name) > 1)
ORDER BY 1;

-- AWS-managed policies that the input references (attached or as a boundary) but does not hold:
-- their default version from the catalog. Those the catalog lacks stay unresolved (a warning).
CREATE TABLE s_reference AS
SELECT account_id, policy_arn AS arn, at FROM s_attach WHERE policy_arn IS NOT NULL
UNION ALL SELECT account_id, boundary_arn, at FROM s_user WHERE boundary_arn IS NOT NULL
UNION ALL SELECT account_id, boundary_arn, at FROM s_role WHERE boundary_arn IS NOT NULL;

CREATE TABLE s_catalog_policy AS
SELECT r.account_id, p.arn, p.name, p.path, p.default_version_id, p.created_date, p.last_updated_date,
       v.document
FROM (SELECT DISTINCT account_id, arn FROM s_reference
      WHERE arn GLOB 'arn:aws:iam::aws:policy/*'
        AND NOT EXISTS (SELECT 1 FROM s_policy AS sp WHERE sp.account_id = s_reference.account_id
                        AND sp.arn = s_reference.arn)) AS r
JOIN catalog.policy AS p ON p.arn = r.arn
JOIN catalog.policy_version AS v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id;

CREATE TABLE s_unresolved AS
SELECT r.account_id, r.arn, min(r.at) AS at, count(*) AS uses
FROM s_reference AS r
WHERE NOT EXISTS (SELECT 1 FROM s_policy AS p WHERE p.account_id = r.account_id AND p.arn = r.arn)
  AND NOT EXISTS (SELECT 1 FROM s_catalog_policy AS c WHERE c.account_id = r.account_id AND c.arn = r.arn)
GROUP BY r.account_id, r.arn;

CREATE TABLE s_assert (
  n INTEGER,
  CONSTRAINT "the input is invalid (see the messages above); nothing was imported" CHECK (n = 0)
);
