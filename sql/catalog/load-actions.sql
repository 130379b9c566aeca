-- SPDX-License-Identifier: MIT
-- sql/catalog/load-actions.sql: load the IAM action data of catalog/iam-data/ (written by
-- scripts/fetch-iam-data.sh) into the tables of sql/catalog/actions.sql.
--
-- Needs:  the sqlite3 shell (readfile(), JSON1); not the iam extension.
-- Run:    by scripts/build-catalog.sh, inside its one transaction (after sql/catalog/load.sql), with
--         the shell parameter :iam_data_dir (default catalog/iam-data) holding SOURCE (the pin,
--         key<TAB>value lines), data-info.json, LICENSE and one <table>.json per table: a JSON
--         array whose first element is the list of column names and whose other elements are
--         the rows.
-- Problems in the input are printed (to standard output), one line each naming the file, and
-- then the load stops on the stage_assert constraint. Nothing is written to the main database
-- before every input check has passed.
-- Constraint and foreign-key problems in the rows themselves stop the build too (foreign keys
-- are deferred: sql/catalog/check.sql lists the violations).

-- Problems: one row each in stage_error, printed and then stopped on by the two statements that
-- end the checks (the loaders' one idiom, sql/README.md "Loaders").
CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- 1. The files. cols: the expected column names; types: one letter per column, 't' text,
--    'T' text or null, 'b' 0 or 1.
CREATE TEMP TABLE stage_iam_file AS
WITH f(tbl, cols, types) AS (VALUES ('service', '["service","service_name"]', 'tt'),
             ('condition_key', '["service","name","type"]', 'ttt'),
             ('resource_type', '["service","name","arn_pattern"]', 'ttt'),
             ('resource_type_condition_key', '["service","resource_type","condition_key"]', 'ttt'),
             ('action', '["service","name","access_level","access_level_raw"]', 'tttt'),
             ('action_resource_type', '["service","action","resource_type","required"]', 'tttb'),
             ('action_condition_key', '["service","action","resource_type","condition_key"]', 'ttTt'))
SELECT tbl, cols, types, :iam_data_dir || '/' || tbl || '.json' AS file,
       CAST(readfile(:iam_data_dir || '/' || tbl || '.json') AS TEXT) AS txt
FROM f;

INSERT INTO stage_error SELECT 'cannot read ' || file FROM stage_iam_file WHERE txt IS NULL;
INSERT INTO stage_error SELECT file || ': not valid JSON' FROM stage_iam_file
WHERE txt IS NOT NULL AND NOT json_valid(txt);
INSERT INTO stage_error SELECT file || ': not a JSON array whose first element is ' || cols
FROM stage_iam_file
WHERE json_valid(txt) AND (json_type(txt) <> 'array' OR json(txt -> 0) IS NOT json(cols));

-- One row per data row of every table (only files that passed the checks above).
CREATE TEMP TABLE stage_iam_row AS
SELECT f.tbl, f.file, f.types, CAST(r.key AS INTEGER) AS n, r.value AS row, r.type AS row_type
FROM stage_iam_file AS f, json_each(f.txt) AS r
WHERE json_valid(f.txt) AND json_type(f.txt) = 'array' AND json(f.txt -> 0) IS json(f.cols) AND r.key > 0;

INSERT INTO stage_error SELECT file || ' row ' || n || ': not an array of ' || length(types) || ' values'
FROM stage_iam_row WHERE row_type <> 'array' OR json_array_length(row) <> length(types);
INSERT INTO stage_error
SELECT file || ' row ' || n || ' column ' || (c.i + 1) || ': ' || coalesce(json_type(row, '$[' || c.i || ']'), 'missing')
       || ' where ' || CASE substr(types, c.i + 1, 1) WHEN 'b' THEN '0 or 1' WHEN 'T' THEN 'text or null'
                                                      ELSE 'non-empty text' END || ' is expected'
FROM stage_iam_row,
     (SELECT 0 AS i UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS c
WHERE row_type = 'array' AND c.i < length(types)
  AND NOT CASE substr(types, c.i + 1, 1)
            WHEN 'b' THEN json_type(row, '$[' || c.i || ']') = 'integer' AND (row ->> c.i) IN (0, 1)
            WHEN 'T' THEN json_type(row, '$[' || c.i || ']') IN ('text', 'null')
                          AND (row ->> c.i IS NULL OR length(row ->> c.i) > 0)
            ELSE json_type(row, '$[' || c.i || ']') = 'text' AND length(row ->> c.i) > 0 END;

-- 2. The pin (SOURCE) and what the converter recorded (data-info.json) must agree, and the row
--    counts must be those the converter wrote.
CREATE TEMP TABLE stage_iam_line (n INTEGER, line TEXT);
WITH RECURSIVE split(n, line, rest) AS (
  SELECT 0, NULL, replace(coalesce(CAST(readfile(:iam_data_dir || '/SOURCE') AS TEXT), ''), char(13), '') || char(10)
  UNION ALL
  SELECT n + 1, substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1)
  FROM split WHERE rest <> '')
INSERT INTO stage_iam_line SELECT n, line FROM split WHERE n > 0 AND trim(line) <> '' AND line NOT GLOB '#*';
CREATE TEMP TABLE stage_iam_source AS
SELECT substr(line, 1, instr(line, char(9)) - 1) AS key, substr(line, instr(line, char(9)) + 1) AS value
FROM stage_iam_line WHERE instr(line, char(9)) > 0;
INSERT INTO stage_error SELECT :iam_data_dir || '/SOURCE line ' || n || ': expected key<TAB>value'
FROM stage_iam_line WHERE instr(line, char(9)) = 0;
WITH w(k) AS (VALUES ('npm_package'), ('npm_version'), ('npm_integrity'), ('license'))
INSERT INTO stage_error SELECT :iam_data_dir || '/SOURCE: no ' || k FROM w
WHERE k NOT IN (SELECT key FROM stage_iam_source);

CREATE TEMP TABLE stage_iam_info AS
SELECT CAST(readfile(:iam_data_dir || '/data-info.json') AS TEXT) AS txt;
INSERT INTO stage_error SELECT :iam_data_dir || '/data-info.json: missing or not a JSON object'
FROM stage_iam_info WHERE txt IS NULL OR NOT json_valid(txt) OR json_type(txt) <> 'object';
WITH w(k) AS (VALUES ('npm_package'), ('npm_version'))
INSERT INTO stage_error
SELECT :iam_data_dir || '/data-info.json: ' || k || ' ' || quote(i.txt ->> ('$.' || k))
       || ' differs from SOURCE (' || quote(s.value) || '); run scripts/fetch-iam-data.sh'
FROM stage_iam_info AS i, stage_iam_source AS s, w
WHERE json_valid(i.txt) AND s.key = k AND (i.txt ->> ('$.' || k)) IS NOT s.value;
INSERT INTO stage_error
SELECT f.file || ': ' || (SELECT count(*) FROM stage_iam_row AS r WHERE r.tbl = f.tbl) || ' rows, data-info.json says '
       || coalesce(i.txt ->> ('$.counts.' || f.tbl), 'nothing')
FROM stage_iam_file AS f, stage_iam_info AS i
WHERE json_valid(f.txt) AND json_valid(i.txt)
  AND (SELECT count(*) FROM stage_iam_row AS r WHERE r.tbl = f.tbl) IS NOT (i.txt ->> ('$.counts.' || f.tbl));
INSERT INTO stage_error SELECT 'cannot read ' || :iam_data_dir || '/LICENSE (the package licence)'
WHERE readfile(:iam_data_dir || '/LICENSE') IS NULL;

-- 3. Stop here, before touching the main database, if anything is wrong.
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;

-- 4. Insert, in the files' (sorted) order, so that a rebuild gives the same bytes.
INSERT INTO iam_data_source (key, value)
SELECT key, value FROM stage_iam_source
UNION ALL SELECT 'data_updated_at', txt ->> '$.data_updated_at' FROM stage_iam_info
WHERE txt ->> '$.data_updated_at' IS NOT NULL
ORDER BY 1;

INSERT INTO service (service, service_name)
SELECT row ->> 0, row ->> 1 FROM stage_iam_row WHERE tbl = 'service' ORDER BY n;
INSERT INTO condition_key (service, name, type)
SELECT row ->> 0, row ->> 1, row ->> 2 FROM stage_iam_row WHERE tbl = 'condition_key' ORDER BY n;
INSERT INTO resource_type (service, name, arn_pattern)
SELECT row ->> 0, row ->> 1, row ->> 2 FROM stage_iam_row WHERE tbl = 'resource_type' ORDER BY n;
INSERT INTO resource_type_condition_key (service, resource_type, condition_key)
SELECT row ->> 0, row ->> 1, row ->> 2 FROM stage_iam_row WHERE tbl = 'resource_type_condition_key' ORDER BY n;
INSERT INTO action (service, name, access_level, access_level_raw)
SELECT row ->> 0, row ->> 1, row ->> 2, row ->> 3 FROM stage_iam_row WHERE tbl = 'action' ORDER BY n;
INSERT INTO action_resource_type (service, action, resource_type, required)
SELECT row ->> 0, row ->> 1, row ->> 2, row ->> 3 FROM stage_iam_row WHERE tbl = 'action_resource_type' ORDER BY n;
INSERT INTO action_condition_key (service, action, resource_type, condition_key)
SELECT row ->> 0, row ->> 1, row ->> 2, row ->> 3 FROM stage_iam_row WHERE tbl = 'action_condition_key' ORDER BY n;

DROP TABLE stage_iam_row;
DROP TABLE stage_iam_file;
