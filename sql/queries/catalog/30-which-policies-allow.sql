-- SPDX-License-Identifier: MIT
-- For a request (action, resource, request context), which ECS managed policies allow it?
-- Uses iam_allows() on the default version of every policy in set 'ecs'; edit the request
-- list below to ask about other requests. A request that no policy allows shows '(none)'.
-- Needs: the iam extension (iam_allows).
WITH request(n, action, resource, context) AS (VALUES
  (1, 'iam:PassRole', 'arn:aws:iam::111122223333:role/ecsInstanceRole',
      '{"iam:PassedToService": "ec2.amazonaws.com"}'),
  (2, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:3', NULL),
  (3, 'ecr:GetAuthorizationToken', '*', NULL),
  (4, 'ssm:StartSession', 'arn:aws:ecs:us-east-1:111122223333:task/my-cluster/0123456789abcdef0', NULL),
  (5, 'ec2:CreateVolume', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0123456789abcdef0',
      '{"aws:RequestTag/AmazonECSManaged": "true",
        "aws:RequestTag/AmazonECSCreated": "arn:aws:ecs:us-east-1:111122223333:task/my-cluster/0123"}'),
  (6, 'iam:CreateUser', 'arn:aws:iam::111122223333:user/mallory', NULL)),
allowed AS (
  SELECT r.n, l.name, l.version_id
  FROM request AS r, latest_policy AS l
  JOIN policy_set_member AS m ON m.policy_id = l.policy_id AND m.set_name = 'ecs'
  WHERE iam_allows(l.document, r.action, r.resource, r.context))
SELECT r.n AS "#", r.action, r.resource, coalesce(json(r.context), '') AS context,
       coalesce(a.name || ' ' || a.version_id, '(none)') AS "allowed by"
FROM request AS r LEFT JOIN allowed AS a ON a.n = r.n
ORDER BY r.n, a.name;
