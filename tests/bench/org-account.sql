-- SPDX-License-Identifier: MIT
-- tests/bench/org-account.sql: write the GAAD export of one generated account (scripts/bench-org.sh).
--
-- Needs:  the sqlite3 shell (writefile(), JSON1), a catalog attached as `catalog` (the AWS-managed
--         policies the export carries), and the TEMP table gen_cur (i, id, next_id, users, roles,
--         file) holding one row: the account's number, its id, the id of the account whose roles
--         some of its roles trust, how many users and roles, the file to write.
-- Shape (what a landing zone looks like, and what makes an import and a report work):
--   - customer-managed policies copied into every account: the same text everywhere (lz-readonly,
--     lz-admin, dev-tools, lz-self-manage, break-glass) or naming the account (lz-boundary, with two
--     versions; lz-deploy); AWS-managed policies carried in the file, and one attached but left out
--     (AmazonEC2ContainerServiceRole: the import takes it from the catalog);
--   - five groups with managed and inline policies; every user in `everyone` and one or two others;
--   - users: some with a boundary, a tag, a direct attachment, an inline policy of their own;
--   - roles of twenty templates: app task roles (shared inline policy per template, a boundary on
--     half), deploy roles, an admin role, EC2 roles with an instance profile, read-only roles,
--     tagged team roles (a policy reading aws:PrincipalTag/team), Lambda roles with an inline
--     policy of their own; trust policies for services, the account, the next account;
--   - documents: about half URL-encoded strings (as the IAM API returns them), half objects;
--     dates in both GAAD styles.
-- Policy variables: lz-self-manage reads ${aws:username}, dev-tools ${aws:PrincipalTag/team}.

DROP TABLE IF EXISTS temp.gen_doc;
CREATE TEMP TABLE gen_doc (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
INSERT INTO gen_doc
WITH v (name, doc) AS (VALUES
  ('lz-readonly', '{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe*","logs:Get*","logs:Describe*","cloudwatch:Get*","cloudwatch:List*"],"Resource":"*"}]}'),
  ('lz-admin', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"ProtectTrail","Effect":"Deny","Action":["cloudtrail:StopLogging","cloudtrail:DeleteTrail"],"Resource":"*"}]}'),
  ('lz-boundary-v1', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}'),
  ('lz-boundary', '{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoIamUsers","Effect":"Deny","Action":["iam:CreateUser","iam:CreateAccessKey","iam:PutRolePermissionsBoundary","iam:DeleteRolePermissionsBoundary","iam:CreatePolicyVersion"],"Resource":"*"},{"Sid":"PassOnlyApp","Effect":"Deny","Action":"iam:PassRole","NotResource":"arn:aws:iam::ACCT:role/app/*"}]}'),
  ('lz-deploy', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:*","cloudformation:*","ecr:*"],"Resource":"*"},{"Sid":"PassApp","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::ACCT:role/app/*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}'),
  ('lz-self-manage', '{"Version":"2012-10-17","Statement":[{"Sid":"OwnCredentials","Effect":"Allow","Action":["iam:ChangePassword","iam:CreateAccessKey","iam:DeleteAccessKey","iam:ListAccessKeys","iam:GetUser"],"Resource":"arn:aws:iam::ACCT:user/people/${aws:username}"}]}'),
  ('dev-tools', '{"Version":"2012-10-17","Statement":[{"Sid":"OwnTeamInstances","Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances","ssm:StartSession"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},{"Effect":"Allow","Action":"ecs:ExecuteCommand","Resource":"*"}]}'),
  ('break-glass', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}'),
  ('dev-logs', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"arn:aws:logs:*:ACCT:log-group:/dev/*"}]}'),
  ('deploy-artifacts', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::ACCT-artifacts/*"}]}'),
  ('trust-ecs', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'),
  ('trust-ec2', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'),
  ('trust-lambda', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'),
  ('trust-account', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCT:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}'),
  ('trust-next', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::ACCT:root","arn:aws:iam::NEXT:role/deploy-10"]},"Action":"sts:AssumeRole"}]}'))
SELECT name, replace(doc, 'ACCT', (SELECT id FROM gen_cur)) FROM v;
UPDATE gen_doc SET doc = replace(doc, 'NEXT', (SELECT next_id FROM gen_cur));

-- a document as GAAD holds it: an object, or (when enc) the URL-encoded text as a string
DROP VIEW IF EXISTS temp.gen_enc;
CREATE TEMP VIEW gen_enc AS
SELECT name, doc AS obj,
       json_quote(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
         doc, '%', '%25'), ' ', '%20'), '"', '%22'), '{', '%7B'), '}', '%7D'), ':', '%3A'), ',', '%2C'), '[', '%5B'), ']', '%5D'),
         '/', '%2F'), '$', '%24'), '*', '%2A'), '+', '%2B'), '=', '%3D')) AS str
FROM gen_doc;

-- date k in one of the two GAAD styles
DROP VIEW IF EXISTS temp.gen_k;
CREATE TEMP VIEW gen_k AS
WITH RECURSIVE k (k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 100000) SELECT k FROM k;

DROP TABLE IF EXISTS temp.gen_user;
CREATE TEMP TABLE gen_user AS
SELECT k.k, 'user-' || k.k AS name,
       json_object('Version', '2012-10-17', 'Statement', json_array(json_object('Effect', 'Allow', 'Action', 's3:*',
         'Resource', 'arn:aws:s3:::' || (SELECT id FROM gen_cur) || '-user-' || k.k || '/*'))) AS own_doc,
       CASE k.k % 10 WHEN 0 THEN '["everyone","admins"]' WHEN 5 THEN '["everyone","readonly"]'
            WHEN 6 THEN '["everyone","readonly"]' WHEN 7 THEN '["everyone","deployers"]'
            WHEN 8 THEN '["everyone","deployers"]' WHEN 9 THEN '["everyone","readonly","deployers"]'
            ELSE '["everyone","developers"]' END AS groups,
       k.k % 7 = 3 AS bounded, k.k % 4 = 0 AS tagged, k.k % 10 = 3 AS own_inline, k.k % 6 = 5 AS direct
FROM gen_k AS k WHERE k.k < (SELECT users FROM gen_cur);

DROP TABLE IF EXISTS temp.gen_role;
CREATE TEMP TABLE gen_role AS
SELECT k.k, k.k % 20 AS t,
       CASE WHEN k.k % 20 < 8 THEN 'svc-' || k.k || '-task' WHEN k.k % 20 < 11 THEN 'deploy-' || k.k
            WHEN k.k % 20 = 11 THEN 'admin-' || k.k WHEN k.k % 20 < 14 THEN 'ec2-' || k.k
            WHEN k.k % 20 < 16 THEN 'readonly-' || k.k WHEN k.k % 20 < 18 THEN 'team-' || k.k
            ELSE 'lambda-' || k.k END AS name,
       CASE WHEN k.k % 20 < 8 THEN '/app/' ELSE '/' END AS path
FROM gen_k AS k WHERE k.k < (SELECT roles FROM gen_cur);

SELECT writefile((SELECT file FROM gen_cur), json_object(
  'UserDetailList', (SELECT json_group_array(json_object(
      'Path', '/people/', 'UserName', u.name, 'UserId', printf('AIDA%s%06d', c.id, u.k),
      'Arn', 'arn:aws:iam::' || c.id || ':user/people/' || u.name,
      'CreateDate', CASE u.k % 2 WHEN 0 THEN printf('2021-%02d-%02dT08:%02d:00Z', 1 + u.k % 12, 1 + u.k % 28, u.k % 60)
                    ELSE printf('2021-%02d-%02d 08:%02d:00+00:00', 1 + u.k % 12, 1 + u.k % 28, u.k % 60) END,
      'UserPolicyList', CASE WHEN u.own_inline THEN json_array(json_object('PolicyName', 'own-bucket',
          'PolicyDocument', json(CASE WHEN u.k % 2 THEN json_quote(replace(replace(replace(replace(replace(replace(replace(replace(
            u.own_doc, '%', '%25'), '"', '%22'), '{', '%7B'), '}', '%7D'), ':', '%3A'), ',', '%2C'), '/', '%2F'), '*', '%2A'))
                                 ELSE u.own_doc END))) ELSE json_array() END,
      'GroupList', json(u.groups),
      'AttachedManagedPolicies', CASE WHEN u.direct THEN json_array(json_object('PolicyName', 'lz-readonly',
          'PolicyArn', 'arn:aws:iam::' || c.id || ':policy/lz-readonly')) ELSE json_array() END,
      'PermissionsBoundary', CASE WHEN u.bounded THEN json_object('PermissionsBoundaryType', 'Policy',
          'PermissionsBoundaryArn', 'arn:aws:iam::' || c.id || ':policy/lz-boundary') END,
      'Tags', CASE WHEN u.tagged THEN json_array(json_object('Key', 'team', 'Value', 'team-' || (u.k % 3))) ELSE json_array() END))
    FROM gen_user AS u, gen_cur AS c),
  'GroupDetailList', (SELECT json_group_array(json_object(
      'Path', '/', 'GroupName', g.name, 'GroupId', printf('AGPA%s%02d', c.id, g.n),
      'Arn', 'arn:aws:iam::' || c.id || ':group/' || g.name,
      'CreateDate', '2020-02-0' || g.n || ' 10:00:00+00:00',
      'GroupPolicyList', CASE WHEN g.inline IS NULL THEN json_array() ELSE json_array(json_object('PolicyName', g.inline,
          'PolicyDocument', json(CASE WHEN g.n % 2 THEN e.str ELSE e.obj END))) END,
      'AttachedManagedPolicies', (SELECT json_group_array(json_object('PolicyName', p.value, 'PolicyArn',
          CASE WHEN p.value GLOB 'Amazon*' THEN 'arn:aws:iam::aws:policy/' || p.value
               ELSE 'arn:aws:iam::' || c.id || ':policy/' || p.value END)) FROM json_each(g.managed) AS p)))
    FROM (WITH g (n, name, managed, inline) AS (VALUES (1, 'everyone', '["lz-self-manage"]', NULL), (2, 'admins', '["lz-admin","break-glass"]', NULL),
                 (3, 'developers', '["dev-tools","AmazonECS_FullAccess"]', 'dev-logs'), (4, 'readonly', '["lz-readonly"]', NULL),
                 (5, 'deployers', '["lz-deploy"]', 'deploy-artifacts')) SELECT * FROM g) AS g
    CROSS JOIN gen_cur AS c LEFT JOIN gen_enc AS e ON e.name = g.inline),
  'RoleDetailList', (SELECT json_group_array(json_object(
      'Path', r.path, 'RoleName', r.name, 'RoleId', printf('AROA%s%06d', c.id, r.k),
      'Arn', 'arn:aws:iam::' || c.id || ':role' || r.path || r.name,
      'CreateDate', CASE r.k % 2 WHEN 1 THEN printf('2022-%02d-%02dT09:%02d:00Z', 1 + r.k % 12, 1 + r.k % 28, r.k % 60)
                    ELSE printf('2022-%02d-%02d 09:%02d:00.5+02:00', 1 + r.k % 12, 1 + r.k % 28, r.k % 60) END,
      'AssumeRolePolicyDocument', json(CASE WHEN r.k % 2 THEN tr.str ELSE tr.obj END),
      'InstanceProfileList', CASE WHEN r.t IN (12, 13) THEN json_array(json_object('Path', '/', 'InstanceProfileName', r.name,
          'InstanceProfileId', printf('AIPA%s%06d', c.id, r.k), 'Arn', 'arn:aws:iam::' || c.id || ':instance-profile/' || r.name,
          'CreateDate', '2022-01-01T00:00:00Z', 'Roles', json_array(json_object('RoleName', r.name, 'Path', r.path,
            'Arn', 'arn:aws:iam::' || c.id || ':role' || r.path || r.name, 'RoleId', printf('AROA%s%06d', c.id, r.k)))))
          ELSE json_array() END,
      'RolePolicyList', CASE WHEN r.t < 8 THEN json_array(json_object('PolicyName', 'app-data', 'PolicyDocument',
            json(CASE WHEN r.k % 4 < 2 THEN json_quote(replace(replace(replace(replace(replace(replace(replace(replace(
              ad.doc, '%', '%25'), '"', '%22'), '{', '%7B'), '}', '%7D'), ':', '%3A'), ',', '%2C'), '/', '%2F'), '*', '%2A'))
                   ELSE ad.doc END)))
          WHEN r.t >= 18 THEN json_array(json_object('PolicyName', 'own-table', 'PolicyDocument',
            json(CASE WHEN r.k % 4 < 2 THEN json_quote(replace(replace(replace(replace(replace(replace(replace(replace(
              ot.doc, '%', '%25'), '"', '%22'), '{', '%7B'), '}', '%7D'), ':', '%3A'), ',', '%2C'), '/', '%2F'), '*', '%2A'))
                   ELSE ot.doc END)))
          ELSE json_array() END,
      'AttachedManagedPolicies', (SELECT json_group_array(json_object('PolicyName',
          substr(p.value, length(rtrim(p.value, replace(replace(p.value, '/', ''), ':', ''))) + 1), 'PolicyArn',
          CASE WHEN p.value GLOB 'aws:*' THEN 'arn:aws:iam::aws:policy/' || substr(p.value, 5) ELSE 'arn:aws:iam::' || c.id || ':policy/' || p.value END))
        FROM json_each(CASE WHEN r.t < 8 THEN '["aws:service-role/AmazonECSTaskExecutionRolePolicy","lz-readonly"]'
                            WHEN r.t < 11 THEN '["lz-deploy","aws:AWSCodeDeployRoleForECS"]'
                            WHEN r.t = 11 THEN '["lz-admin"]'
                            WHEN r.t < 14 THEN '["aws:service-role/AmazonEC2ContainerServiceforEC2Role","aws:service-role/AmazonEC2ContainerServiceRole"]'
                            WHEN r.t < 16 THEN '["lz-readonly"]'
                            WHEN r.t < 18 THEN '["dev-tools","aws:AmazonECS_FullAccess"]'
                            ELSE '[]' END) AS p),
      'RoleLastUsed', CASE WHEN r.k % 2 = 0 THEN json_object('LastUsedDate',
          CASE r.k % 4 WHEN 0 THEN '2026-11-01T10:00:00Z' ELSE '2026-11-02 11:00:00+00:00' END, 'Region', 'eu-west-1')
          ELSE json_object() END,
      'PermissionsBoundary', CASE WHEN r.t < 8 AND r.t % 2 = 0 THEN json_object('PermissionsBoundaryType', 'Policy',
          'PermissionsBoundaryArn', 'arn:aws:iam::' || c.id || ':policy/lz-boundary') END,
      'Tags', CASE WHEN r.t IN (16, 17) THEN json_array(json_object('Key', 'team', 'Value', 'team-' || (r.k % 3)))
                   ELSE json_array() END))
    FROM gen_role AS r CROSS JOIN gen_cur AS c
    JOIN gen_enc AS tr ON tr.name = CASE WHEN r.t < 8 THEN 'trust-ecs' WHEN r.t = 10 THEN 'trust-next'
                                         WHEN r.t IN (12, 13) THEN 'trust-ec2' WHEN r.t >= 18 THEN 'trust-lambda'
                                         ELSE 'trust-account' END
    LEFT JOIN (SELECT t, json_object('Version', '2012-10-17', 'Statement', json_array(json_object('Effect', 'Allow',
                 'Action', json_array('s3:GetObject', 's3:ListBucket'),
                 'Resource', json_array('arn:aws:s3:::' || (SELECT id FROM gen_cur) || '-app-' || t,
                                        'arn:aws:s3:::' || (SELECT id FROM gen_cur) || '-app-' || t || '/*')))) AS doc
               FROM (SELECT DISTINCT t FROM gen_role)) AS ad ON ad.t = r.t
    LEFT JOIN (SELECT k, json_object('Version', '2012-10-17', 'Statement', json_array(json_object('Effect', 'Allow',
                 'Action', 'dynamodb:*', 'Resource', 'arn:aws:dynamodb:eu-west-1:' || (SELECT id FROM gen_cur) || ':table/' || name))) AS doc
               FROM gen_role) AS ot ON ot.k = r.k),
  'Policies', (SELECT json_group_array(json(p)) FROM (
      SELECT json_object('PolicyName', m.name, 'PolicyId', printf('ANPA%s%02d', c.id, m.n),
          'Arn', 'arn:aws:iam::' || c.id || ':policy/' || m.name, 'Path', '/', 'DefaultVersionId', m.v,
          'AttachmentCount', 1, 'PermissionsBoundaryUsageCount', 0, 'IsAttachable', json('true'),
          'CreateDate', '2020-01-01T00:00:00Z', 'UpdateDate', '2020-06-01 00:00:00+00:00',
          'PolicyVersionList', CASE WHEN m.v = 'v2' THEN json_array(
              json_object('Document', json(CASE WHEN m.n % 2 THEN e.str ELSE e.obj END), 'VersionId', 'v2',
                          'IsDefaultVersion', json('true'), 'CreateDate', '2020-06-01T00:00:00Z'),
              json_object('Document', json((SELECT CASE WHEN m.n % 2 THEN e1.obj ELSE e1.str END FROM gen_enc AS e1
                                              WHERE e1.name = m.name || '-v1')),
                          'VersionId', 'v1', 'IsDefaultVersion', json('false'), 'CreateDate', '2020-01-01 00:00:00+00:00'))
            ELSE json_array(json_object('Document', json(CASE WHEN m.n % 2 THEN e.str ELSE e.obj END), 'VersionId', 'v1',
                          'IsDefaultVersion', json('true'), 'CreateDate', '2020-01-01T00:00:00Z')) END) AS p
      FROM (WITH m (n, name, v) AS (VALUES (1, 'lz-readonly', 'v1'), (2, 'lz-admin', 'v1'), (3, 'lz-boundary', 'v2'), (4, 'lz-deploy', 'v1'),
                   (5, 'lz-self-manage', 'v1'), (6, 'dev-tools', 'v1'), (7, 'break-glass', 'v1')) SELECT * FROM m) AS m
      CROSS JOIN gen_cur AS c JOIN gen_enc AS e ON e.name = m.name
      UNION ALL
      SELECT json_object('PolicyName', p.name, 'PolicyId', 'ANPAAWS' || upper(hex(substr(p.name, 1, 6))), 'Arn', p.arn,
          'Path', p.path, 'DefaultVersionId', p.default_version_id, 'AttachmentCount', 1, 'PermissionsBoundaryUsageCount', 0,
          'IsAttachable', json('true'), 'CreateDate', '2019-01-01T00:00:00Z', 'UpdateDate', '2024-01-01 00:00:00+00:00',
          'PolicyVersionList', json_array(json_object('Document',
              json(CASE WHEN (SELECT i FROM gen_cur) % 2 THEN json_quote(replace(replace(replace(replace(replace(replace(replace(replace(
                v.document, '%', '%25'), '"', '%22'), '{', '%7B'), '}', '%7D'), ':', '%3A'), ',', '%2C'), '/', '%2F'), '*', '%2A'))
                   ELSE v.document END),
              'VersionId', p.default_version_id, 'IsDefaultVersion', json('true'), 'CreateDate', '2024-01-01T00:00:00Z')))
      FROM catalog.policy AS p JOIN catalog.policy_version AS v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id
      WHERE p.name IN ('AmazonECSTaskExecutionRolePolicy', 'AmazonEC2ContainerServiceforEC2Role', 'AmazonECS_FullAccess',
                       'AWSCodeDeployRoleForECS')))
)) > 0;
