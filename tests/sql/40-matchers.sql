-- iam_action_matches and iam_resource_matches: the evaluator's rules as join building blocks.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT iam_action_matches('ecs:*', 'ecs:RunTask'), iam_action_matches('ecs:*', 'ec2:RunInstances'), iam_action_matches('EC2:describe*', 'ec2:DescribeInstances'), iam_action_matches('ecs:Run?ask', 'ecs:RunTask');
SELECT iam_action_matches(NULL, 'ecs:RunTask'), iam_action_matches('ecs:*', NULL);
SELECT iam_action_matches('ecs:*', 'RunTask');
SELECT iam_resource_matches('arn:aws:ecs:*:cluster/prod', 'arn:aws:ecs:us-east-1:123456789012:cluster/prod');
SELECT iam_resource_matches('arn:aws:ecs:us-*-1:*:*', 'arn:aws:ecs:eu-west-1:1:cluster/x'), iam_resource_matches('arn:aws:s3:::*', '*'), iam_resource_matches('*', '*');
SELECT iam_resource_matches('arn:aws:ecs:*:*:cluster/${aws:username}', 'arn:aws:ecs:r:1:cluster/alice'), iam_resource_matches('arn:aws:ecs:*:*:cluster/${aws:username}', 'arn:aws:ecs:r:1:cluster/alice', '{"aws:username":"alice"}');
CREATE TABLE a(action TEXT);
INSERT INTO a VALUES ('ecs:RunTask'),('ecs:StopTask'),('ec2:DescribeInstances'),('ec2:RunInstances'),('iam:PassRole');
SELECT a.action FROM a WHERE iam_action_matches('*Run*', a.action) ORDER BY 1;
