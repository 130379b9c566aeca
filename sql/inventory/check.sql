-- SPDX-License-Identifier: MIT
-- sql/inventory/check.sql: the second part of staging GAAD files (see sql/inventory/stage.sql):
-- decoded documents, dates, duplicates, and the AWS-managed policies to take from the catalog.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-gaad.sh on the staging database, after sql/inventory/stage.sql, with the catalog attached as `catalog` (tables policy and
--         policy_version of sql/catalog/schema.sql; empty when there is no catalog). Lists every problem
--         and stops on the stage_assert constraint (sql/inventory/stage.sql) if there is any.

-- Documents after decoding must be JSON objects; they are stored minified.
INSERT INTO stage_error
SELECT at || ': ' || CASE WHEN raw_type = 'text' THEN 'not a JSON object after URL-decoding' ELSE 'not a JSON object' END
FROM stage_doc
WHERE raw_type IN ('object', 'text')
  AND decode_error IS NULL
  AND (text IS NULL OR NOT json_valid(text) OR json_type(text) <> 'object');
UPDATE stage_doc SET text = json(text) WHERE raw_type = 'text' AND json_valid(text) AND json_type(text) = 'object';


-- Dates: both GAAD styles, '2015-02-06T19:58:34Z' and '2023-03-09 10:41:34+00:00' (any offset,
-- fractions of a second), normalised to 'YYYY-MM-DDTHH:MM:SSZ' in UTC.
CREATE TABLE stage_date AS
SELECT at, member, raw,
       CASE WHEN raw GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'
                 AND date(julianday(substr(raw, 1, 10))) IS substr(raw, 1, 10)
                 AND (substr(raw, 20) IN ('Z', '') OR substr(raw, 20) GLOB '[+-][0-9][0-9]:[0-9][0-9]'
                      OR substr(raw, 20) GLOB '.[0-9]*Z' OR substr(raw, 20) GLOB '.[0-9]*[+-][0-9][0-9]:[0-9][0-9]')
            THEN strftime('%Y-%m-%dT%H:%M:%SZ', raw) END AS iso
FROM (SELECT at, 'CreateDate' AS member, created_raw AS raw FROM stage_user
      UNION ALL SELECT at, 'CreateDate', created_raw FROM stage_group
      UNION ALL SELECT at, 'CreateDate', created_raw FROM stage_role
      UNION ALL SELECT at, 'RoleLastUsed.LastUsedDate', last_used_raw FROM stage_role
      UNION ALL SELECT at, 'CreateDate', created_raw FROM stage_policy
      UNION ALL SELECT at, 'UpdateDate', updated_raw FROM stage_policy
      UNION ALL SELECT at, 'CreateDate', created_raw FROM stage_version WHERE type = 'object'
      UNION ALL SELECT at, 'CreateDate', created_raw FROM stage_profile WHERE type = 'object')
WHERE raw IS NOT NULL;
CREATE INDEX stage_date_key ON stage_date (at, member);
INSERT INTO stage_error SELECT at || ': ' || member || ' ' || quote(raw) || ' is not a date like 2015-02-06T19:58:34Z or 2023-03-09 10:41:34+00:00'
FROM stage_date WHERE iso IS NULL;

-- Users and roles are the callers of whole requests: each ARN must be one AWS makes,
-- arn:PARTITION:iam::ACCOUNT:user/PATH/NAME (or role/...), the NAME of AWS's characters
-- ([A-Za-z0-9+=,.@_-], 1 to 64). An export that says otherwise was edited, and the evaluator would
-- refuse the ARN as a caller. (The UserName and RoleName members are shown, never evaluated.)
INSERT INTO stage_error
SELECT at || ': Arn ' || quote(arn) || ' is not arn:PARTITION:iam::' || account_id || ':' || lower(kind)
       || '/PATH/NAME with PARTITION aws, aws-cn or aws-us-gov and NAME 1 to 64 of A-Z a-z 0-9 + = , . @ _ -'
FROM (SELECT at, kind, account_id, arn, rest,
             substr(rest, length(rtrim(rest, replace(rest, '/', ''))) + 1) AS arn_name, partition
      FROM (SELECT at, kind, account_id, arn, substr(arn, 5, instr(arn, ':iam::') - 5) AS partition,
                   CASE WHEN substr(arn, instr(arn, ':iam::'), 20 + length(kind)) = ':iam::' || account_id || ':' || lower(kind) || '/'
                        THEN substr(arn, instr(arn, ':iam::') + 20 + length(kind)) END AS rest
            FROM (SELECT at, 'User' AS kind, account_id, arn FROM stage_user
                  UNION ALL SELECT at, 'Role', account_id, arn FROM stage_role)
            WHERE arn IS NOT NULL))
WHERE rest IS NULL OR NOT (arn GLOB 'arn:*') OR partition NOT IN ('aws', 'aws-cn', 'aws-us-gov')
   OR arn_name = '' OR length(arn_name) > 64 OR arn_name GLOB '*[^A-Za-z0-9+=,.@_-]*';

-- Each entity once per account: a name or ARN that two places define is an error naming both.
INSERT INTO stage_error
SELECT what || ' is defined ' || n || ' times: ' || places
FROM (SELECT 'user ' || quote(name) || ' of account ' || account_id AS what, count(*) AS n, group_concat(at, '; ') AS places
      FROM stage_user WHERE name IS NOT NULL GROUP BY account_id, name HAVING count(*) > 1
      UNION ALL
      SELECT 'group ' || quote(name) || ' of account ' || account_id, count(*), group_concat(at, '; ')
      FROM stage_group WHERE name IS NOT NULL GROUP BY account_id, name HAVING count(*) > 1
      UNION ALL
      SELECT 'role ' || quote(name) || ' of account ' || account_id, count(*), group_concat(at, '; ')
      FROM stage_role WHERE name IS NOT NULL GROUP BY account_id, name HAVING count(*) > 1
      UNION ALL
      SELECT 'policy ' || quote(arn) || ' of account ' || account_id, count(*), group_concat(at, '; ')
      FROM stage_policy WHERE arn IS NOT NULL GROUP BY account_id, arn HAVING count(*) > 1
      UNION ALL
      SELECT 'inline policy ' || quote(policy_name) || ' of ' || owner_kind || ' ' || quote(owner_name), count(*), group_concat(at, '; ')
      FROM stage_inline WHERE policy_name IS NOT NULL GROUP BY account_id, owner_kind, owner_name, policy_name HAVING count(*) > 1
      UNION ALL
      SELECT 'version ' || version_id || ' of policy ' || quote(policy_arn), count(*), group_concat(at, '; ')
      FROM stage_version WHERE version_id IS NOT NULL GROUP BY policy_at, account_id, version_id HAVING count(*) > 1
      UNION ALL
      SELECT 'attachment of ' || quote(policy_arn) || ' to ' || principal_kind || ' ' || quote(principal_name), count(*), group_concat(at, '; ')
      FROM stage_attach WHERE policy_arn IS NOT NULL GROUP BY account_id, principal_kind, principal_name, policy_arn HAVING count(*) > 1
      UNION ALL
      SELECT 'user ARN ' || quote(arn), count(*), group_concat(at, '; ')
      FROM stage_user WHERE arn IS NOT NULL GROUP BY arn HAVING count(DISTINCT account_id || name) > 1
      UNION ALL
      SELECT 'role ARN ' || quote(arn), count(*), group_concat(at, '; ')
      FROM stage_role WHERE arn IS NOT NULL GROUP BY arn HAVING count(DISTINCT account_id || name) > 1)
ORDER BY 1;

-- AWS-managed policies that the input references (attached or as a boundary) but does not hold:
-- their default version from the catalog. Those the catalog lacks stay unresolved (a warning).
CREATE TABLE stage_reference AS
SELECT account_id, policy_arn AS arn, at FROM stage_attach WHERE policy_arn IS NOT NULL
UNION ALL SELECT account_id, boundary_arn, at FROM stage_user WHERE boundary_arn IS NOT NULL
UNION ALL SELECT account_id, boundary_arn, at FROM stage_role WHERE boundary_arn IS NOT NULL;

CREATE TABLE stage_catalog_policy AS
SELECT r.account_id, p.arn, p.name, p.path, p.default_version_id, p.created_date, p.last_updated_date,
       v.document
FROM (SELECT DISTINCT account_id, arn FROM stage_reference
      WHERE arn GLOB 'arn:aws:iam::aws:policy/*'
        AND NOT EXISTS (SELECT 1 FROM stage_policy AS sp WHERE sp.account_id = stage_reference.account_id
                        AND sp.arn = stage_reference.arn)) AS r
JOIN catalog.policy AS p ON p.arn = r.arn
JOIN catalog.policy_version AS v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id;
CREATE INDEX stage_catalog_policy_key ON stage_catalog_policy (account_id, arn);

CREATE TABLE stage_unresolved AS
SELECT r.account_id, r.arn, min(r.at) AS at, count(*) AS uses
FROM stage_reference AS r
WHERE NOT EXISTS (SELECT 1 FROM stage_policy AS p WHERE p.account_id = r.account_id AND p.arn = r.arn)
  AND NOT EXISTS (SELECT 1 FROM stage_catalog_policy AS c WHERE c.account_id = r.account_id AND c.arn = r.arn)
GROUP BY r.account_id, r.arn;

-- Stop here, before the import touches the inventory, if anything is wrong.
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;
