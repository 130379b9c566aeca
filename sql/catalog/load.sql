-- SPDX-License-Identifier: MIT
-- sql/catalog/load.sql: load converted policy files, the ECS change log and the source pin into a
-- database that already has sql/catalog/schema.sql applied.
--
-- Needs:  the sqlite3 shell (fsdir(), readfile(), JSON1); not the iam extension.
-- Run:    by scripts/build-catalog.sh, inside its one transaction, with these shell parameters:
--           :policies_dir  directory of <Name>.json files (scripts/convert-managed-policies.js)
--           :source_file   catalog/SOURCE        (key<TAB>value lines)
--           :set_file      catalog/ecs-policies.txt (policy set 'ecs')
--           :changelog     catalog/ecs-changelog.tsv
--           :catalog_name  'default' or 'full'
-- Problems in the input are printed (to standard output), one line each naming the file, policy and
-- version, and then the load stops on the stage_assert constraint.
-- Nothing is written to the main database before every input check has passed.

-- Problems: one row each in stage_error, printed and then stopped on by the two statements that
-- end the checks (the loaders' one idiom, sql/README.md "Loaders").
CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- 1. The policy files, one row each.
CREATE TEMP TABLE stage_file AS
SELECT substr(name, length(:policies_dir) + 2) AS file, CAST(data AS TEXT) AS txt
FROM fsdir(:policies_dir)
WHERE name GLOB '*.json' AND substr(name, length(:policies_dir) + 2) NOT GLOB '*/*';

INSERT INTO stage_error
SELECT 'no policy files (*.json) in ' || :policies_dir WHERE NOT EXISTS (SELECT 1 FROM stage_file);
INSERT INTO stage_error
SELECT file || ': not valid JSON' FROM stage_file WHERE NOT json_valid(txt);

CREATE TEMP TABLE stage_policy AS
SELECT file,
       txt ->> '$.name' AS name,
       txt ->> '$.arn' AS arn,
       txt ->> '$.createdDate' AS created_raw,
       txt ->> '$.lastUpdatedDate' AS updated_raw,
       txt ->> '$.latestVersionId' AS latest,
       txt ->> '$.versionsCount' AS versions_count,
       txt -> '$.versions' AS versions
FROM stage_file WHERE json_valid(txt) AND json_type(txt) = 'object';

INSERT INTO stage_error SELECT file || ': top level is not a JSON object'
FROM stage_file WHERE json_valid(txt) AND json_type(txt) <> 'object';
INSERT INTO stage_error SELECT file || ': "name" ' || quote(name) || ' does not match the file name'
FROM stage_policy WHERE name IS NULL OR name || '.json' IS NOT file;
INSERT INTO stage_error SELECT file || ': "arn" ' || quote(arn) || ' is not arn:aws:iam::aws:policy/.../<name>'
FROM stage_policy
WHERE arn IS NULL OR arn NOT GLOB 'arn:aws:iam::aws:policy/*' OR substr(arn, -length(name) - 1) IS NOT '/' || name;
INSERT INTO stage_error SELECT file || ': "versions" is not a non-empty array'
FROM stage_policy WHERE json_type(versions) IS NOT 'array' OR json_array_length(versions) = 0;
INSERT INTO stage_error SELECT file || ': "' || k || '" ' || quote(v) || ' is not an ISO-8601 date'
FROM (SELECT file, 'createdDate' AS k, created_raw AS v FROM stage_policy
      UNION ALL SELECT file, 'lastUpdatedDate', updated_raw FROM stage_policy)
WHERE v IS NOT NULL AND julianday(v) IS NULL;

-- 2. The versions, one row each.
CREATE TEMP TABLE stage_version AS
SELECT p.name, p.file,
       v.value ->> '$.versionId' AS version_id,
       v.value ->> '$.createdDate' AS created_raw,
       json_type(v.value, '$.document') AS doc_type,
       v.value -> '$.document' AS document
FROM stage_policy AS p, json_each(p.versions) AS v
WHERE json_type(p.versions) = 'array';

INSERT INTO stage_error SELECT file || ': version ' || quote(version_id) || ' is not v<number>'
FROM stage_version WHERE version_id IS NULL OR version_id NOT GLOB 'v[1-9]*' OR version_id GLOB 'v*[^0-9]*';
INSERT INTO stage_error SELECT file || ': version ' || version_id || ' appears ' || count(*) || ' times'
FROM stage_version GROUP BY file, version_id HAVING count(*) > 1;
INSERT INTO stage_error SELECT file || ': version ' || version_id || ': document is '
       || coalesce(doc_type, 'missing') || ', not an object'
FROM stage_version WHERE doc_type IS NOT 'object';
INSERT INTO stage_error SELECT file || ': version ' || version_id || ': createdDate ' || quote(created_raw)
       || ' is not an ISO-8601 date'
FROM stage_version WHERE created_raw IS NOT NULL AND julianday(created_raw) IS NULL;
INSERT INTO stage_error SELECT file || ': latestVersionId ' || quote(latest) || ' is not among its versions'
FROM stage_policy AS p
WHERE NOT EXISTS (SELECT 1 FROM stage_version AS v WHERE v.file = p.file AND v.version_id = p.latest);

-- 3. The small text files: SOURCE, the 'ecs' set list and the change log, split into lines.
CREATE TEMP TABLE stage_line (src TEXT NOT NULL, n INTEGER NOT NULL, line TEXT NOT NULL);
WITH RECURSIVE
  files(src, body) AS (
    VALUES ('source', CAST(readfile(:source_file) AS TEXT)),
           ('set', CAST(readfile(:set_file) AS TEXT)),
           ('changelog', CAST(readfile(:changelog) AS TEXT))),
  split(src, n, line, rest) AS (
    SELECT src, 0, NULL, replace(body, char(13), '') || char(10) FROM files
    UNION ALL
    SELECT src, n + 1, substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1)
    FROM split WHERE rest <> '')
INSERT INTO stage_line SELECT src, n, line FROM split WHERE n > 0 AND trim(line) <> '' AND line NOT GLOB '#*';

INSERT INTO stage_error SELECT 'cannot read ' || f
FROM (SELECT :source_file AS f, 'source' AS s UNION ALL SELECT :set_file, 'set' UNION ALL SELECT :changelog, 'changelog')
WHERE NOT EXISTS (SELECT 1 FROM stage_line WHERE src = s);

CREATE TEMP TABLE stage_source AS
SELECT substr(line, 1, instr(line, char(9)) - 1) AS key, substr(line, instr(line, char(9)) + 1) AS value
FROM stage_line WHERE src = 'source' AND instr(line, char(9)) > 0;
INSERT INTO stage_error SELECT :source_file || ' line ' || n || ': expected key<TAB>value'
FROM stage_line WHERE src = 'source' AND instr(line, char(9)) = 0;

CREATE TEMP TABLE stage_set AS SELECT DISTINCT trim(line) AS name FROM stage_line WHERE src = 'set';
INSERT INTO stage_error SELECT :set_file || ': ' || name || ' is not in the catalog input'
FROM stage_set WHERE name NOT IN (SELECT name FROM stage_policy);

-- Change log: a header line, then date, policy (or '-'), kind, summary; '#' lines are comments.
CREATE TEMP TABLE stage_change AS
WITH c0 AS (SELECT n, line FROM stage_line WHERE src = 'changelog'
            AND n > (SELECT min(n) FROM stage_line WHERE src = 'changelog')),  -- skip the header
     c1 AS (SELECT n, line, instr(line, char(9)) AS t1 FROM c0),
     c2 AS (SELECT n, substr(line, 1, t1 - 1) AS f1, substr(line, t1 + 1) AS r1 FROM c1 WHERE t1 > 0),
     c3 AS (SELECT n, f1, substr(r1, 1, instr(r1, char(9)) - 1) AS f2, substr(r1, instr(r1, char(9)) + 1) AS r2
            FROM c2 WHERE instr(r1, char(9)) > 0)
SELECT n, f1 AS change_date, nullif(f2, '-') AS policy_name,
       substr(r2, 1, instr(r2, char(9)) - 1) AS change_kind, substr(r2, instr(r2, char(9)) + 1) AS summary
FROM c3 WHERE instr(r2, char(9)) > 0;
INSERT INTO stage_error SELECT :changelog || ' line ' || n || ': expected 4 tab-separated fields'
FROM stage_line WHERE src = 'changelog' AND n NOT IN (SELECT n FROM stage_change)
  AND n > (SELECT min(n) FROM stage_line WHERE src = 'changelog');
INSERT INTO stage_error SELECT :changelog || ' line ' || n || ': policy ' || policy_name || ' is not in the catalog input'
FROM stage_change WHERE policy_name IS NOT NULL AND policy_name NOT IN (SELECT name FROM stage_policy);
INSERT INTO stage_error SELECT :changelog || ' line ' || n || ': bad date ' || quote(change_date)
FROM stage_change WHERE change_date IS NOT date(julianday(change_date));

-- 4. Stop here, before touching the main database, if anything is wrong.
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;

-- 5. Insert. Rows go in sorted order so that a rebuild gives the same database, byte for byte.
INSERT INTO catalog_source (key, value)
SELECT key, value FROM stage_source
UNION ALL SELECT 'catalog', :catalog_name
ORDER BY 1;

INSERT INTO policy (policy_id, name, path, arn, kind, attachable, created_date, last_updated_date,
                    versions_reported, default_version_id)
SELECT row_number() OVER (ORDER BY name), name, path, arn,
       CASE path WHEN '/aws-service-role/' THEN 'service-linked'
                 WHEN '/service-role/' THEN 'service-role' ELSE 'aws-managed' END,
       path <> '/aws-service-role/',
       strftime('%Y-%m-%dT%H:%M:%SZ', created_raw),
       strftime('%Y-%m-%dT%H:%M:%SZ', updated_raw),
       CAST(versions_count AS INTEGER), latest
FROM (SELECT *, substr(arn, 24, length(arn) - 23 - length(name)) AS path FROM stage_policy)
ORDER BY name;

-- The package dates the versions it did not see being created with the policy's creation date.
-- Such a placeholder (on any version but v1) is not a creation date: the default version then
-- takes the policy's last-update date (AWS sets it when the default version is created), and
-- any other version gets NULL.
INSERT INTO policy_version (policy_id, version_id, created_date, date_source, source_created_date,
                            is_default, document)
SELECT policy_id, version_id,
       CASE WHEN NOT placeholder THEN src_date WHEN is_default THEN p_updated END,
       CASE WHEN NOT placeholder THEN 'version' WHEN is_default AND p_updated IS NOT NULL
            THEN 'policy-last-updated' ELSE 'unknown' END,
       src_date, is_default, document
FROM (SELECT p.policy_id, v.version_id,
             strftime('%Y-%m-%dT%H:%M:%SZ', v.created_raw) AS src_date,
             p.last_updated_date AS p_updated,
             (v.version_id = p.default_version_id) AS is_default,
             (v.version_id <> 'v1' AND strftime('%Y-%m-%dT%H:%M:%SZ', v.created_raw) IS p.created_date) AS placeholder,
             json(v.document) AS document,
             CAST(substr(v.version_id, 2) AS INTEGER) AS num
      FROM stage_version AS v JOIN policy AS p ON p.name = v.name)
ORDER BY policy_id, num;

INSERT INTO policy_set_member (set_name, policy_id)
SELECT 'ecs', policy_id FROM policy WHERE name IN (SELECT name FROM stage_set) ORDER BY policy_id;

INSERT INTO change_log (change_date, policy_name, change_kind, summary)
SELECT change_date, policy_name, change_kind, summary FROM stage_change ORDER BY n;

DROP TABLE stage_file;
DROP TABLE stage_policy;
DROP TABLE stage_version;
