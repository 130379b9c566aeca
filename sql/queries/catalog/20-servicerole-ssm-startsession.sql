-- SPDX-License-Identifier: MIT
-- Which versions of AmazonECSServiceRolePolicy allowed ssm:StartSession (ECS Exec), and on
-- what? Every stored version, oldest first, with its creation date ('unknown' where the source
-- has none) and the decision for three resources: an ECS task, the SSM document ECS Exec uses,
-- and an EC2 instance (which ECS Exec should never reach).
-- Needs: the iam extension (iam_decision).
SELECT v.version_id AS version,
       coalesce(substr(v.created_date, 1, 10), 'unknown') AS created,
       iam_decision(v.document, 'ssm:StartSession',
                    'arn:aws:ecs:us-east-1:111122223333:task/my-cluster/0123456789abcdef0') AS "ECS task",
       iam_decision(v.document, 'ssm:StartSession',
                    'arn:aws:ssm:us-east-1:111122223333:document/AmazonECS-ExecuteInteractiveCommand') AS "SSM document",
       iam_decision(v.document, 'ssm:StartSession',
                    'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0') AS "EC2 instance"
FROM policy_version AS v JOIN policy AS p USING (policy_id)
WHERE p.name = 'AmazonECSServiceRolePolicy'
ORDER BY v.version_num;
