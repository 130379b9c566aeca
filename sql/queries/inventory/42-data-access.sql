-- SPDX-License-Identifier: MIT
-- Who can read data everywhere? The users and roles, administrators aside, whose policies, with
-- their permissions boundary, allow reading every object of every S3 bucket, every secret,
-- every SSM parameter, every DynamoDB table, or decrypting with every KMS key of their account:
-- what a stolen credential of theirs would expose. Reading every secret is a high finding (the
-- secrets are credentials of their own), the others medium. Each finding names the statements
-- that grant the reads and how to narrow them.
-- Needs: the extension and the action catalog; setup: policy-setup.sql, admin-setup.sql. The
-- requests are literal ('*' in them is a character, so only a policy pattern with a wildcard
-- there matches: a grant on one region or one bucket is not "every"); ${account} is the
-- principal's account; conditions see the principal's own keys only. Edit the list below to ask
-- about other data.
-- Severity: medium
-- Summary: read data everywhere = count(*)
-- JSON columns: statement text
WITH sensitive (k, what, action, resource) AS (VALUES
  (1, 'every secret in Secrets Manager', 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:*:${account}:secret:*'),
  (2, 'every SSM parameter', 'ssm:GetParameter', 'arn:aws:ssm:*:${account}:parameter/*'),
  (3, 'every object of every S3 bucket', 's3:GetObject', 'arn:aws:s3:::*/*'),
  (4, 'every DynamoDB table', 'dynamodb:Scan', 'arn:aws:dynamodb:*:${account}:table/*'),
  (5, 'everything encrypted with a KMS key of the account (where the key policy leaves it to IAM)', 'kms:Decrypt',
   'arn:aws:kms:*:${account}:key/*')),
request AS (
  SELECT o.arn, s.k, s.what, s.action, replace(s.resource, '${account}', o.account_id) AS resource
  FROM pp_obj AS o, sensitive AS s
  WHERE NOT EXISTS (SELECT 1 FROM ad_admin AS a WHERE a.arn = o.arn AND a.finding IN ('Administrator', 'IAM administrator'))),
allowed AS MATERIALIZED (
  SELECT r.* FROM request AS r JOIN pp_obj AS o ON o.arn = r.arn
  WHERE iam_decision(o.obj, r.action, r.resource, o.ctx) = 'Allow'),
explained AS MATERIALIZED (
  SELECT DISTINCT a.arn, x.document_index, x.statement_index, x.sid
  FROM allowed AS a JOIN pp_obj AS o ON o.arn = a.arn, iam_explain(o.obj, a.action, a.resource, o.ctx) AS x
  WHERE x.policy_type = 'identity' AND x.applies AND x.effect = 'Allow'),
grant AS (
  SELECT e.arn, e.statement_index, e.sid, d.policy_name, d.label, d.aws_managed,
         CASE json_type(d.document, '$.Statement') WHEN 'array' THEN d.document -> ('$.Statement[' || e.statement_index || ']')
              ELSE d.document -> '$.Statement' END AS stmt
  FROM explained AS e
  JOIN pp_doc AS d ON d.arn = e.arn AND d.part = 'identity' AND d.idx = e.document_index
  ORDER BY e.arn, e.document_index, e.statement_index),
principal AS (
  SELECT arn, min(k) = 1 AS secrets, count(*) AS n FROM allowed GROUP BY arn)
SELECT CASE WHEN pr.secrets THEN 'high' ELSE 'medium' END AS severity,
       'Reads data everywhere' AS finding, o.account_id AS account, o.kind, o.name AS principal,
       'read ' || (SELECT group_concat(what, '; ') FROM (SELECT what FROM allowed AS a WHERE a.arn = pr.arn ORDER BY k))
         AS "can do",
       (SELECT group_concat(label, '; ') FROM (SELECT DISTINCT label FROM grant AS g WHERE g.arn = pr.arn)) AS policy,
       (SELECT group_concat(policy_name || ' Statement[' || statement_index || ']' || coalesce(' Sid ' || sid, ''), '; ')
        FROM grant AS g WHERE g.arn = pr.arn) AS statement,
       (SELECT json_group_array(json(stmt)) FROM grant AS g WHERE g.arn = pr.arn) AS "statement text",
       'Limit the Resource of these statements to the secrets, parameters, buckets, tables and keys ' || o.name
         || ' needs, or add conditions that name them ('
         || (SELECT group_concat(action, ', ') FROM (SELECT action FROM allowed AS a WHERE a.arn = pr.arn ORDER BY k)) || ').'
         || coalesce(' AWS managed policies cannot be edited: detach '
                     || (SELECT group_concat(policy_name, ', ') FROM (SELECT DISTINCT policy_name FROM grant AS g
                                                                      WHERE g.arn = pr.arn AND g.aws_managed))
                     || ' and grant what it needs in a policy of your own.', '') AS fix
FROM principal AS pr JOIN pp_obj AS o ON o.arn = pr.arn
ORDER BY pr.secrets DESC, pr.n DESC, o.account_id, o.kind DESC, o.name;
