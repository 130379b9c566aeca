-- The Whole requests tour of ext/README.md, as written there (the explain of the first example in full).
.echo on
.headers off
.mode list
.nullvalue NULL
-- example 1
SELECT iam_authorize('{
  "principal": "arn:aws:iam::111122223333:user/alice",
  "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/2026.csv",
  "resource_account": "444455556666",
  "identity": [{"Version":"2012-10-17","Statement":[
     {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}],
  "resource_policy": {"Version":"2012-10-17","Statement":[
     {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*",
      "Principal":{"AWS":"arn:aws:iam::111122223333:root"}}]}}');
.headers on
.mode list
SELECT policy_type, statement_index, applies, principal_match, decisive, step, step_reason
FROM iam_explain('{
  "principal": "arn:aws:iam::111122223333:user/alice", "resource_account": "444455556666",
  "identity": [{"Version":"2012-10-17","Statement":[
     {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}],
  "resource_policy": {"Version":"2012-10-17","Statement":[
     {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*",
      "Principal":{"AWS":"arn:aws:iam::111122223333:root"}}]}}',
  's3:GetObject', 'arn:aws:s3:::reports/2026.csv');
.headers off
-- example 2
WITH callers(who, mfa) AS (VALUES ('arn:aws:iam::444455556666:user/bob', 'true'),
                                  ('arn:aws:iam::444455556666:user/bob', 'false'),
                                  ('arn:aws:iam::111122223333:user/alice', 'true'))
SELECT who, mfa, iam_decision(json_object('principal', who,
         'identity', json('[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}]'),
         'resource_policy', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
            "Principal":{"AWS":"444455556666"},"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}')),
       'sts:AssumeRole', 'arn:aws:iam::111122223333:role/ops',
       json_object('aws:MultiFactorAuthPresent', mfa)) AS decision
FROM callers;
.headers on
SELECT step, step_reason FROM iam_explain(json_object('principal', 'arn:aws:iam::111122223333:user/alice',
         'identity', json('[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}]'),
         'resource_policy', json('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
            "Principal":{"AWS":"444455556666"},"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}')),
       'sts:AssumeRole', 'arn:aws:iam::111122223333:role/ops', '{"aws:MultiFactorAuthPresent":"true"}') WHERE decisive;
.headers off
-- example 3
SELECT iam_decision('{
  "principal": "arn:aws:sts::111122223333:assumed-role/deploy/ci-42",
  "identity": [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
  "scps": [[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
           [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]},
            {"Version":"2012-10-17","Statement":[{"Sid":"NoLeavingTheRegion","Effect":"Deny","Action":"*","Resource":"*",
              "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}}]}]]}',
  'ec2:RunInstances', '*', '{"aws:RequestedRegion":"us-east-1"}');
.headers on
SELECT policy_type, level, document_index, statement_index, sid, step_reason
FROM iam_explain('{
  "principal": "arn:aws:sts::111122223333:assumed-role/deploy/ci-42",
  "identity": [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
  "scps": [[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
           [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]},
            {"Version":"2012-10-17","Statement":[{"Sid":"NoLeavingTheRegion","Effect":"Deny","Action":"*","Resource":"*",
              "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}}]}]]}',
  'ec2:RunInstances', '*', '{"aws:RequestedRegion":"us-east-1"}') WHERE decisive;
