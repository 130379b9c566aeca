-- iam_authz_message(decoded): the request of an authorization-failure message, from the CLI's
-- wrapper and from the bare DecodedMessage; fed to iam_authorize and iam_explain; NULL, types, errors.
.echo on
.headers off
.mode list
.nullvalue NULL
-- the CLI's output: {"DecodedMessage": "<the decoded message as a JSON string>"}
SELECT iam_authz_message('{
    "DecodedMessage": "{\"allowed\":false,\"explicitDeny\":true,\"matchedStatements\":{\"items\":[{\"statementId\":\"NoIAMUsers\",\"effect\":\"DENY\",\"principals\":{\"items\":[{\"value\":\"AIDAEXAMPLEID0001\"}]},\"principalGroups\":{\"items\":[]},\"actions\":{\"items\":[{\"value\":\"iam:CreateUser\"}]},\"resources\":{\"items\":[{\"value\":\"*\"}]},\"conditions\":{\"items\":[]}}]},\"failures\":{\"items\":[]},\"context\":{\"principal\":{\"id\":\"AIDAEXAMPLEID0001\",\"name\":\"dev-alice\",\"arn\":\"arn:aws:iam::100000000004:user/dev-alice\"},\"action\":\"iam:CreateUser\",\"resource\":\"arn:aws:iam::100000000004:user/mallory\",\"conditions\":{\"items\":[{\"key\":\"aws:Region\",\"values\":{\"items\":[{\"value\":\"us-east-1\"}]}},{\"key\":\"aws:Service\",\"values\":{\"items\":[{\"value\":\"iam\"}]}},{\"key\":\"aws:Resource\",\"values\":{\"items\":[{\"value\":\"user/mallory\"}]}},{\"key\":\"aws:Account\",\"values\":{\"items\":[{\"value\":\"100000000004\"}]}}]}}}"
}');
-- the bare decoded message; an action without its service prefix takes aws:Service's
SELECT iam_authz_message('{"allowed":false,"explicitDeny":false,"matchedStatements":{"items":[]},"failures":{"items":[]},"context":{"principal":{"id":"AROAEXAMPLEID0002:build-7","arn":"arn:aws:sts::100000000004:assumed-role/ci/build-7"},"action":"RunInstances","resource":"arn:aws:ec2:eu-west-1:100000000004:instance/*","conditions":{"items":[{"key":"ec2:InstanceType","values":{"items":[{"value":"m5.24xlarge"}]}},{"key":"aws:Service","values":{"items":[{"value":"ec2"}]}},{"key":"aws:Region","values":{"items":[{"value":"eu-west-1"}]}}]}}}');
-- joined with the caller's policies, the request is decided: the SCP of dev-alice's OU denies it
WITH m(req) AS (SELECT iam_authz_message('{"context":{"principal":{"arn":"arn:aws:iam::100000000004:user/dev-alice"},"action":"iam:CreateUser","resource":"arn:aws:iam::100000000004:user/mallory"}}'))
SELECT iam_authorize(json_set(req,
         '$.identity', json('[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}]'),
         '$.scps', json('[[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
                         [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]},
                          {"Version":"2012-10-17","Statement":[{"Sid":"NoIAMUsers","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}]]')))
FROM m;
-- and explained: the object form without action, resource and context
WITH m(req) AS (SELECT iam_authz_message('{"context":{"principal":{"arn":"arn:aws:iam::100000000004:user/dev-alice"},"action":"iam:CreateUser","resource":"arn:aws:iam::100000000004:user/mallory"}}'))
SELECT e.policy_type, e.level, e.document_index, e.sid, e.step
FROM m, iam_explain(json_remove(json_set(req,
         '$.identity', json('[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}]'),
         '$.scps', json('[[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
                         [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]},
                          {"Version":"2012-10-17","Statement":[{"Sid":"NoIAMUsers","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}]]')),
         '$.action', '$.resource', '$.context'),
       req ->> '$.action', req ->> '$.resource', req -> '$.context') AS e
WHERE e.decisive;
-- NULL gives NULL; other types and bad messages are errors naming the place
SELECT iam_authz_message(NULL);
SELECT iam_authz_message(X'7B7D');
SELECT iam_authz_message('Encoded authorization failure message: EXAMPLEWodyRNrtlQARDip');
SELECT iam_authz_message('{"DecodedMessage":"{\"allowed\":false}"}');
SELECT iam_authz_message('{"context":{"principal":{"id":"AIDAEXAMPLE"},"action":"s3:GetObject","resource":"*"}}');
SELECT iam_authz_message('{"context":{"principal":{"arn":"p"},"action":"s3:GetObject","resource":"*","conditions":{"items":[{"key":"k","values":{"items":[{"value":1}]}}]}}}');
SELECT iam_authz_message('{"context":{"principal":{"arn":"p"},"action":"Get","resource":"*"}}');
