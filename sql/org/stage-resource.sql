-- SPDX-License-Identifier: MIT
-- sql/org/stage-resource.sql: read resource-based policies into a staging table, from the
-- generic form or from the AWS CLI's own output, and list every problem with its file.
--
-- Needs:  the sqlite3 shell (JSON1); not the iam extension.
-- Run:    by scripts/import-resource-policies.sh on a scratch staging database. It expects the
--         table stage_file (file_no, file, txt, arn, account): one row per file, txt its text
--         (valid JSON: the script checked it), arn and account what --arn and --account said for
--         it (NULL when not given).
-- Output: stage_policy (file, at, source, arn, account, service, document; document NULL for a
--         resource the file says has no policy), and every problem as a row of stage_error,
--         printed, then the stop of the loaders' idiom (sql/README.md, "Loaders").
--
-- Formats (sql/README.md, "Organizations and resource policies"), told apart by their members:
--   generic                                  [{"arn", "account", "type", "policy"}, ...]
--   aws s3api get-bucket-policy              {"Policy": "..."}                       --arn, --account
--   aws kms get-key-policy                   {"Policy": "...", "PolicyName": "..."}  --arn
--   aws sqs get-queue-attributes             {"Attributes": {"Policy", "QueueArn"}}
--   aws sns get-topic-attributes             {"Attributes": {"Policy", "TopicArn", "Owner", ...}}
--   aws secretsmanager get-resource-policy   {"ARN", "Name", "ResourcePolicy"}
--   aws lambda get-policy                    {"Policy": "...", "RevisionId": "..."}  (ARN from the statements)
--   aws ecr get-repository-policy            {"registryId", "repositoryName", "policyText"}  --arn
-- A bare {"Policy": "..."} is a bucket or a key policy: --arn's service says which.

CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

-- One row per policy the files hold, before any check: what the file says and what the
-- command line adds.
CREATE TABLE stage_raw AS
WITH cli AS (
  SELECT f.*,
         CASE
           WHEN json_type(f.txt, '$.policyText') IS NOT NULL OR json_type(f.txt, '$.repositoryName') IS NOT NULL
             THEN 'ecr get-repository-policy'
           WHEN json_type(f.txt, '$.ResourcePolicy') IS NOT NULL OR json_type(f.txt, '$.ARN') IS NOT NULL
             THEN 'secretsmanager get-resource-policy'
           WHEN json_type(f.txt, '$.Attributes.TopicArn') IS NOT NULL
                OR (json_type(f.txt, '$.Attributes') IS NOT NULL AND json_type(f.txt, '$.Attributes.QueueArn') IS NULL
                    AND f.arn GLOB 'arn:*:sns:*')
             THEN 'sns get-topic-attributes'
           WHEN json_type(f.txt, '$.Attributes') IS NOT NULL THEN 'sqs get-queue-attributes'
           WHEN json_type(f.txt, '$.RevisionId') IS NOT NULL THEN 'lambda get-policy'
           WHEN json_type(f.txt, '$.PolicyName') IS NOT NULL THEN 'kms get-key-policy'
           WHEN json_type(f.txt, '$.Policy') IS NOT NULL AND f.arn GLOB 'arn:*:kms:*' THEN 'kms get-key-policy'
           WHEN json_type(f.txt, '$.Policy') IS NOT NULL THEN 's3api get-bucket-policy'
         END AS source,
         CASE
           WHEN json_type(f.txt, '$.policyText') IS NOT NULL OR json_type(f.txt, '$.repositoryName') IS NOT NULL THEN '$.policyText'
           WHEN json_type(f.txt, '$.ResourcePolicy') IS NOT NULL OR json_type(f.txt, '$.ARN') IS NOT NULL THEN '$.ResourcePolicy'
           WHEN json_type(f.txt, '$.Attributes') IS NOT NULL THEN '$.Attributes.Policy'
           ELSE '$.Policy'
         END AS policy_path
  FROM stage_file AS f
  WHERE json_type(f.txt) = 'object')
-- the generic form: an array of objects
SELECT f.file_no, f.file, f.file || ': [' || e.key || ']' AS at, 'generic' AS source, e.type AS obj_type,
       e.value ->> '$.arn' AS arn, e.value ->> '$.account' AS account, e.value ->> '$.type' AS type,
       e.value -> '$.policy' AS policy, json_type(e.value, '$.policy') AS policy_type, e.value AS obj,
       f.arn AS opt_arn, f.account AS opt_account
FROM stage_file AS f, json_each(f.txt) AS e
WHERE json_type(f.txt) = 'array'
UNION ALL
-- the CLI's outputs: one object each, the ARN and account from it or from the command line
SELECT c.file_no, c.file, c.file, c.source, 'object',
       coalesce(CASE c.source WHEN 'secretsmanager get-resource-policy' THEN c.txt ->> '$.ARN'
                              WHEN 'sns get-topic-attributes' THEN c.txt ->> '$.Attributes.TopicArn'
                              WHEN 'sqs get-queue-attributes' THEN c.txt ->> '$.Attributes.QueueArn' END, c.arn),
       coalesce(CASE c.source WHEN 'ecr get-repository-policy' THEN c.txt ->> '$.registryId'
                              WHEN 'sns get-topic-attributes' THEN c.txt ->> '$.Attributes.Owner' END, c.account),
       NULL, c.txt -> c.policy_path, json_type(c.txt, c.policy_path), c.txt, c.arn, c.account
FROM cli AS c;

INSERT INTO stage_error SELECT file || ': the top level is neither an array (the generic form) nor an object (the CLI''s output)'
FROM stage_file WHERE json_type(txt) NOT IN ('array', 'object');
INSERT INTO stage_error SELECT file || ': --arn and --account are for the CLI''s output; the generic form has its own'
FROM stage_file WHERE json_type(txt) = 'array' AND (arn IS NOT NULL OR account IS NOT NULL);
INSERT INTO stage_error SELECT file || ': the generic form is an empty array'
FROM stage_file WHERE json_type(txt) = 'array' AND json_array_length(txt) = 0;
INSERT INTO stage_error SELECT at || ': not a JSON object {"arn", "account", "type", "policy"}' FROM stage_raw WHERE obj_type <> 'object';
DELETE FROM stage_raw WHERE obj_type <> 'object';
INSERT INTO stage_error
SELECT at || ': not the output of a command the import reads (s3api get-bucket-policy, kms get-key-policy, sqs get-queue-attributes, sns get-topic-attributes, secretsmanager get-resource-policy, lambda get-policy, ecr get-repository-policy) nor the generic form'
FROM stage_raw WHERE source IS NULL;
DELETE FROM stage_raw WHERE source IS NULL;
-- the generic form's members
INSERT INTO stage_error
SELECT r.at || ': ' || m.member || ' is ' || coalesce(json_type(r.obj, '$.' || m.member), 'missing') || ', not text'
FROM stage_raw AS r, (SELECT column1 AS member, column2 AS required FROM (VALUES ('arn', 1), ('account', 0), ('type', 0))) AS m
WHERE r.source = 'generic' AND json_type(r.obj, '$.' || m.member) IS NOT 'text'
  AND (m.required OR coalesce(json_type(r.obj, '$.' || m.member), 'null') <> 'null');
INSERT INTO stage_error
SELECT at || ': policy is ' || coalesce(policy_type, 'missing') || ', not a policy document (an object, or the JSON string AWS returns)'
FROM stage_raw WHERE source = 'generic' AND coalesce(policy_type, '') NOT IN ('object', 'text');
-- the CLI's members that hold the ARN, the account and the policy must be text when present
INSERT INTO stage_error
SELECT r.at || ': ' || m.member || ' is ' || json_type(r.obj, '$.' || m.member) || ', not text (' || r.source || ')'
FROM stage_raw AS r, (SELECT column1 AS source, column2 AS member FROM (VALUES
    ('ecr get-repository-policy', 'policyText'), ('ecr get-repository-policy', 'registryId'),
    ('ecr get-repository-policy', 'repositoryName'), ('secretsmanager get-resource-policy', 'ARN'),
    ('secretsmanager get-resource-policy', 'ResourcePolicy'), ('sns get-topic-attributes', 'Attributes.TopicArn'),
    ('sns get-topic-attributes', 'Attributes.Owner'), ('sns get-topic-attributes', 'Attributes.Policy'),
    ('sqs get-queue-attributes', 'Attributes.QueueArn'), ('sqs get-queue-attributes', 'Attributes.Policy'),
    ('lambda get-policy', 'Policy'), ('kms get-key-policy', 'Policy'), ('s3api get-bucket-policy', 'Policy'))) AS m
WHERE r.source = m.source AND coalesce(json_type(r.obj, '$.' || m.member), 'text') NOT IN ('text', 'null');
INSERT INTO stage_error
SELECT at || ': Attributes is ' || json_type(obj, '$.Attributes') || ', not an object (' || source || ')'
FROM stage_raw WHERE source IN ('sns get-topic-attributes', 'sqs get-queue-attributes') AND json_type(obj, '$.Attributes') <> 'object';

-- The policy: an object as it is, a string decoded (AWS returns the policy as a JSON string).
ALTER TABLE stage_raw ADD COLUMN document TEXT;
UPDATE stage_raw SET document = CASE policy_type WHEN 'object' THEN json(policy)
                                                 WHEN 'text' THEN CASE WHEN json_valid(policy ->> '$') THEN json(policy ->> '$') END END;
INSERT INTO stage_error
SELECT at || ': the policy ' || CASE WHEN json_valid(policy ->> '$') THEN 'is not a JSON object' ELSE 'is not valid JSON' END
       || ' (' || source || ')'
FROM stage_raw WHERE policy_type = 'text' AND (document IS NULL OR json_type(document) <> 'object');

-- Lambda's output has no ARN, but every statement of a function's policy names the function.
UPDATE stage_raw SET arn = (
  SELECT CASE WHEN count(DISTINCT r.value) = 1 AND count(*) = count(r.value) THEN min(r.value) END
  FROM json_each(document, '$.Statement') AS s
  LEFT JOIN json_each(CASE json_type(s.value, '$.Resource') WHEN 'array' THEN s.value -> '$.Resource'
                           ELSE json_array(s.value ->> '$.Resource') END) AS r)
WHERE source = 'lambda get-policy' AND arn IS NULL AND json_type(document, '$.Statement') = 'array';

-- The ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, its service that of the command.
INSERT INTO stage_error
SELECT at || ': no ARN: ' || CASE source
         WHEN 's3api get-bucket-policy' THEN 'give --arn arn:aws:s3:::BUCKET (and --account) before the file'
         WHEN 'kms get-key-policy' THEN 'give --arn arn:aws:kms:REGION:ACCOUNT:key/KEY_ID before the file'
         WHEN 'ecr get-repository-policy' THEN 'give --arn arn:aws:ecr:REGION:' || coalesce(obj ->> '$.registryId', 'ACCOUNT')
              || ':repository/' || coalesce(obj ->> '$.repositoryName', 'NAME') || ' before the file (the output has no region)'
         WHEN 'sqs get-queue-attributes' THEN 'ask for QueueArn too (--attribute-names Policy QueueArn), or give --arn'
         WHEN 'lambda get-policy' THEN 'its statements do not all name one function: give --arn before the file'
         ELSE 'give --arn before the file' END
FROM stage_raw WHERE arn IS NULL AND source <> 'generic';
CREATE TABLE stage_arn AS
WITH a (rid, arn, f1) AS (SELECT rowid, arn, substr(arn, 5) FROM stage_raw WHERE arn GLOB 'arn:*:*:*:*:*'),
b (rid, rest) AS (SELECT rid, substr(f1, instr(f1, ':') + 1) FROM a),
c (rid, service, rest) AS (SELECT rid, substr(rest, 1, instr(rest, ':') - 1), substr(rest, instr(rest, ':') + 1) FROM b),
d (rid, service, rest) AS (SELECT rid, service, substr(rest, instr(rest, ':') + 1) FROM c)
SELECT rid, service, substr(rest, 1, instr(rest, ':') - 1) AS account, substr(rest, instr(rest, ':') + 1) AS resource FROM d;
INSERT INTO stage_error
SELECT r.at || ': ' || quote(r.arn) || ' is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)'
FROM stage_raw AS r LEFT JOIN stage_arn AS x ON x.rid = r.rowid
WHERE r.arn IS NOT NULL AND (x.rid IS NULL OR x.service = '' OR x.resource = '' OR r.arn GLOB '*[ 	]*');
INSERT INTO stage_error
SELECT r.at || ': ' || quote(r.arn) || ' is an ARN of ' || x.service || ', not of ' || substr(r.source, 1, instr(r.source || ' ', ' ') - 1)
       || ' (' || r.source || ')'
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid
WHERE r.source <> 'generic' AND x.service <> replace(substr(r.source, 1, instr(r.source, ' ') - 1), 's3api', 's3');
INSERT INTO stage_error
SELECT r.at || ': type ' || quote(r.type) || ' is not the service of its ARN (' || x.service || ')'
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid
WHERE r.type IS NOT NULL AND r.type <> x.service;
INSERT INTO stage_error
SELECT r.at || ': ' || quote(r.arn) || ' is a role: role trust policies come from the GAAD import (scripts/import-gaad.sh)'
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid
WHERE x.service = 'iam';

-- The account: the ARN's, or (S3) the one the file or the command line gives; the two agree.
INSERT INTO stage_error
SELECT r.at || ': account ' || quote(r.account) || ' is not 12 digits'
FROM stage_raw AS r WHERE r.account IS NOT NULL AND (length(r.account) <> 12 OR r.account GLOB '*[^0-9]*');
INSERT INTO stage_error
SELECT r.at || ': account ' || r.account || ' is not the account of ' || r.arn
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid
WHERE r.account IS NOT NULL AND x.account <> '' AND r.account <> x.account;
INSERT INTO stage_error
SELECT r.at || ': ' || quote(r.arn) || ' names no account: ' ||
       CASE r.source WHEN 'generic' THEN 'give "account"' ELSE 'give --account before the file' END
       || ' (the account that owns the resource)'
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid
WHERE r.account IS NULL AND x.account = '';
INSERT INTO stage_error
SELECT r.at || ': account ' || quote(x.account) || ' of ' || r.arn || ' is not 12 digits'
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid
WHERE x.account <> '' AND (length(x.account) <> 12 OR x.account GLOB '*[^0-9]*');

CREATE TABLE stage_policy AS
SELECT r.file, r.at, r.source, r.arn, coalesce(nullif(x.account, ''), r.account) AS account, x.service, r.document
FROM stage_raw AS r JOIN stage_arn AS x ON x.rid = r.rowid;
CREATE INDEX stage_policy_arn ON stage_policy (arn);
INSERT INTO stage_error
SELECT 'resource ' || arn || ' is given ' || count(*) || ' times: ' || group_concat(at, '; ')
FROM stage_policy GROUP BY arn HAVING count(*) > 1;

-- Stop here, before the import touches the inventory, if anything is wrong.
SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;
