-- SPDX-License-Identifier: MIT
-- Who can read data everywhere? The users and roles, administrators aside, whose policies, with
-- their permissions boundary, allow reading every object of every S3 bucket, every secret,
-- every SSM parameter, every DynamoDB table, or decrypting with every KMS key of their account:
-- what a stolen credential of theirs would expose. Reading every secret is a high finding (the
-- secrets are credentials of their own), the others medium. Each finding names the statements
-- that grant the reads and how to narrow them.
-- Needs: the extension and the action catalog.
-- setup: principal-sets-setup.sql, policy-setup.sql, admin-setup.sql
-- The requests are literal ('*' in them is a character, so only a policy pattern with a wildcard
-- there matches: a grant on one region or one bucket is not "every"); ${account} is the
-- principal's account; conditions see the principal's own keys only. Edit the list below to ask
-- about other data. Each request is decided once per policy set, account and kind, and per
-- principal where a statement of the set covering the action reads the principal's own keys.
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
specific AS MATERIALIZED (
  -- the sets decided per principal for an action: a statement that reads the principal's own
  -- keys or a policy variable covers it
  SELECT DISTINCT r.set_id, s.k
  FROM ps_set_reader AS r, sensitive AS s
  WHERE (r.not_action = 0) = EXISTS (SELECT 1 FROM json_each(r.action_json) AS j WHERE iam_action_matches(j.value, s.action))),
asked AS (
  -- once per class (one set, account and kind), or per principal
  SELECT c.set_id, c.account_id, c.kind, '' AS who, c.rep, s.k, s.what, s.action,
         replace(s.resource, '${account}', c.account_id) AS resource
  FROM ps_class AS c CROSS JOIN sensitive AS s
  WHERE NOT EXISTS (SELECT 1 FROM specific AS x WHERE x.set_id = c.set_id AND x.k = s.k)
  UNION ALL
  SELECT p.set_id, p.account_id, p.kind, p.arn, p.arn, s.k, s.what, s.action,
         replace(s.resource, '${account}', p.account_id)
  FROM specific AS x JOIN sensitive AS s ON s.k = x.k JOIN ps_principal AS p ON p.set_id = x.set_id),
decided AS MATERIALIZED (
  SELECT a.*, p.ctx FROM asked AS a JOIN ps_set AS st ON st.set_id = a.set_id JOIN ps_principal AS p ON p.arn = a.rep
  WHERE iam_decision(st.policy, a.action, a.resource, p.ctx) = 'Allow'),
allowed AS MATERIALIZED (
  SELECT p.arn, d.k, d.what, d.action, d.resource, d.set_id, d.account_id, d.kind, d.who
  FROM decided AS d JOIN ps_principal AS p ON p.set_id = d.set_id AND p.account_id = d.account_id AND p.kind = d.kind
  WHERE d.who = ''
    AND NOT EXISTS (SELECT 1 FROM ad_admin AS a WHERE a.arn = p.arn AND a.finding IN ('Administrator', 'IAM administrator'))
  UNION ALL
  SELECT d.who, d.k, d.what, d.action, d.resource, d.set_id, d.account_id, d.kind, d.who
  FROM decided AS d
  WHERE d.who <> ''
    AND NOT EXISTS (SELECT 1 FROM ad_admin AS a WHERE a.arn = d.who AND a.finding IN ('Administrator', 'IAM administrator'))),
explained AS MATERIALIZED (
  SELECT DISTINCT d.set_id, d.account_id, d.kind, d.who, x.document_index, x.statement_index, x.sid
  FROM decided AS d JOIN ps_set AS s ON s.set_id = d.set_id, iam_explain(s.policy, d.action, d.resource, d.ctx) AS x
  WHERE x.policy_type = 'identity' AND x.applies AND x.effect = 'Allow'),
grant AS MATERIALIZED (
  SELECT u.arn, e.statement_index, e.sid, d.policy_name, d.policy_type, d.via, d.policy_arn, d.label, d.aws_managed,
         CASE json_type(doc.document, '$.Statement') WHEN 'array' THEN doc.document -> ('$.Statement[' || e.statement_index || ']')
              ELSE doc.document -> '$.Statement' END AS stmt
  FROM (SELECT DISTINCT arn, set_id, account_id, kind, who FROM allowed) AS u
  JOIN explained AS e ON e.set_id = u.set_id AND e.account_id = u.account_id AND e.kind = u.kind AND e.who = u.who
  JOIN ps_set_doc AS x ON x.set_id = e.set_id AND x.policy_kind = 'identity' AND x.idx = e.document_index
  JOIN pp_doc AS d ON d.arn = u.arn AND d.part = 'identity' AND d.doc_id = x.doc_id
  JOIN ps_doc AS doc ON doc.doc_id = x.doc_id
  GROUP BY u.arn, d.via, d.policy_type, d.policy_name, d.policy_arn, e.statement_index, e.sid),
principal AS MATERIALIZED (
  SELECT arn, secrets, n, what, actions FROM (
    SELECT arn, (min(k) OVER w) = 1 AS secrets,
           count(*) OVER w AS n,
           group_concat(what, '; ') OVER w AS what,
           group_concat(action, ', ') OVER w AS actions,
           row_number() OVER w AS nth
    FROM allowed
    WINDOW w AS (PARTITION BY arn ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
-- what is said of each principal, in order (aggregate window functions keep the window's order)
named AS MATERIALIZED (
  SELECT arn, statement, stmt_text FROM (
    SELECT arn, group_concat(policy_name || ' Statement[' || statement_index || ']' || coalesce(' Sid ' || sid, ''), '; ') OVER w AS statement,
           json_group_array(json(stmt)) OVER w AS stmt_text,
           row_number() OVER w AS nth
    FROM grant
    WINDOW w AS (PARTITION BY arn ORDER BY via, policy_type, policy_name, policy_arn, statement_index ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
labels AS MATERIALIZED (
  SELECT arn, policy FROM (
    SELECT arn, group_concat(label, '; ') OVER w AS policy,
           row_number() OVER w AS nth
    FROM (SELECT DISTINCT arn, label FROM grant)
    WINDOW w AS (PARTITION BY arn ORDER BY label ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
managed AS MATERIALIZED (
  SELECT arn, names FROM (
    SELECT arn, group_concat(policy_name, ', ') OVER w AS names,
           row_number() OVER w AS nth
    FROM (SELECT DISTINCT arn, policy_name FROM grant WHERE aws_managed)
    WINDOW w AS (PARTITION BY arn ORDER BY policy_name ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1)
SELECT CASE WHEN pr.secrets THEN 'high' ELSE 'medium' END AS severity,
       'Reads data everywhere' AS finding, o.account_id AS account, o.kind, o.name AS principal,
       'read ' || pr.what AS "can do",
       (SELECT policy FROM labels AS l WHERE l.arn = pr.arn) AS policy,
       (SELECT statement FROM named AS n WHERE n.arn = pr.arn) AS statement,
       coalesce((SELECT stmt_text FROM named AS n WHERE n.arn = pr.arn), '[]') AS "statement text",
       'Limit the Resource of these statements to the secrets, parameters, buckets, tables and keys ' || o.name
         || ' needs, or add conditions that name them (' || pr.actions || ').'
         || coalesce(' AWS managed policies cannot be edited: detach ' || (SELECT names FROM managed AS m WHERE m.arn = pr.arn)
                     || ' and grant what it needs in a policy of your own.', '') AS fix
FROM principal AS pr JOIN ps_principal AS o ON o.arn = pr.arn
ORDER BY pr.secrets DESC, pr.n DESC, o.account_id, o.kind DESC, o.name;
