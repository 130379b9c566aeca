-- iam_lint: the checks that need no catalog. For each code, a document that triggers it (its
-- rows), then a near miss that does not (0).
.echo on
.headers off
.mode list
.nullvalue NULL
-- NO_VERSION / OLD_VERSION
SELECT code, severity, path, value FROM iam_lint('{"Statement":[]}') WHERE code IN ('NO_VERSION', 'OLD_VERSION');
SELECT code, severity, path, value FROM iam_lint('{"Version":"2008-10-17","Statement":[]}') WHERE code IN ('NO_VERSION', 'OLD_VERSION');
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[]}') WHERE code IN ('NO_VERSION', 'OLD_VERSION');
-- VARIABLE_IN_OLD_VERSION: ${...} is text without Version 2012-10-17 (Resource, String/Arn/Bool values)
SELECT code, severity, path, value FROM iam_lint('{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b/${aws:username}/*","arn:aws:s3:::c"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"},"NumericLessThan":{"n":"${x}"}}}}') WHERE code = 'VARIABLE_IN_OLD_VERSION';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}') WHERE code = 'VARIABLE_IN_OLD_VERSION';
-- DUPLICATE_SID (per document; empty Sids are INVALID_SID, not duplicates)
SELECT code, severity, path, statement_index, sid FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Sid":"Write","Effect":"Allow","Action":"s3:Put*","Resource":"*"},{"Sid":"Read","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/*"}]}') WHERE code = 'DUPLICATE_SID';
SELECT count(*) FROM iam_lint('[{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"*"}]},{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:List*","Resource":"*"}]}]') WHERE code = 'DUPLICATE_SID';
-- INVALID_SID: letters and digits only in IAM policies; resource policies take more
SELECT code, severity, path, sid FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Sid":"read objects","Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Sid":"","Effect":"Allow","Action":"s3:List*","Resource":"*"}]}') WHERE code = 'INVALID_SID';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Sid":"ReadObjects2","Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}') WHERE code = 'INVALID_SID';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Sid":"read objects","Effect":"Allow","Principal":"*","Action":"s3:Get*","Resource":"*"}]}', 'resource') WHERE code = 'INVALID_SID';
-- EMPTY_ARRAY_ACTION, EMPTY_ARRAY_RESOURCE, EMPTY_ARRAY_CONDITION
SELECT code, severity, path FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":[],"Condition":{"StringEquals":{"aws:username":[]}}}}') WHERE code LIKE 'EMPTY_ARRAY_%';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"],"Condition":{"StringEquals":{"aws:username":["alice"]}}}}') WHERE code LIKE 'EMPTY_ARRAY_%';
-- ALLOW_WITH_NOT_ACTION, NOTRESOURCE_WITH_ALLOW, NOTPRINCIPAL_WITH_ALLOW
SELECT code, severity, path FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*","NotPrincipal":{"AWS":"111122223333"}}}', 'resource') WHERE code LIKE '%NOT%';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*","NotPrincipal":{"AWS":"111122223333"}}}', 'resource') WHERE code LIKE '%NOT%';
-- UNRESOLVABLE_VARIABLE_IN_NOTRESOURCE: without the key the pattern matches nothing and excludes nothing
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::home/${aws:username}/*","arn:aws:s3:::audit/*"]}}') WHERE code = 'UNRESOLVABLE_VARIABLE_IN_NOTRESOURCE';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username, ''nobody''}/*"},{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username}/*"},{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::home/${*}/*"}]}') WHERE code = 'UNRESOLVABLE_VARIABLE_IN_NOTRESOURCE';
SELECT count(*) FROM iam_lint('{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}}') WHERE code = 'UNRESOLVABLE_VARIABLE_IN_NOTRESOURCE';
-- PASS_ROLE_WITH_STAR_IN_RESOURCE (iam:*, *, NotAction that leaves PassRole in)
SELECT code, severity, statement_index FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Allow","Action":"iam:*","Resource":["arn:aws:iam::*:role/x","*"]},{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}') WHERE code = 'PASS_ROLE_WITH_STAR_IN_RESOURCE';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"},{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}') WHERE code = 'PASS_ROLE_WITH_STAR_IN_RESOURCE';
-- RESOURCE_EFFECTIVELY_STAR
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::*","arn:*:ec2:*:*:*","arn:*","arn:aws:s3:::logs/*"]}}') WHERE code = 'RESOURCE_EFFECTIVELY_STAR';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::logs*","arn:aws:ec2:*:111122223333:*"]},{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*"}]}') WHERE code = 'RESOURCE_EFFECTIVELY_STAR';
-- INVALID_ARN
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["bucket/*","arn:aws:s3:bucket","arn:aws-moon:s3:::b","arn:aws:s3:::b"]}}') WHERE code = 'INVALID_ARN';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["*","**","arn:aws:ecs:*:cluster/prod","arn:*:s3:::b","arn:aws-cn:s3:::b","arn:${aws:x}:s3:::b"]}}') WHERE code = 'INVALID_ARN';
-- UNKNOWN_PRINCIPAL, UNKNOWN_FEDERATION_SOURCE
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:group/admins","arn:aws:iam::111122223333:user/*","11112222333","alice"],"Service":["ecs-tasks","ecs-tasks.amazonaws.com"],"CanonicalUser":"abc","Federated":["example.com","arn:aws:iam::111122223333:saml-provider/okta"]},"Action":"sts:AssumeRole"}}', 'trust') WHERE code IN ('UNKNOWN_PRINCIPAL', 'UNKNOWN_FEDERATION_SOURCE');
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["*","111122223333","arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/ops","arn:aws:sts::111122223333:assumed-role/ops/s"],"Service":"ecs-tasks.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be","Federated":["accounts.google.com","arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}}', 'trust') WHERE code IN ('UNKNOWN_PRINCIPAL', 'UNKNOWN_FEDERATION_SOURCE');
-- TRUST_POLICY_SERVICE_PRINCIPAL_WITHOUT_SOURCE_CONDITION (trust policies only)
SELECT code, severity, path FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}}', 'trust') WHERE code LIKE 'TRUST_%';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:111122223333:*"}}}}', 'trust') WHERE code LIKE 'TRUST_%';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}}', 'resource') WHERE code LIKE 'TRUST_%';
-- MISMATCHED_TYPE (a value its operator cannot read), MISMATCHED_TYPE_OPERATION_TO_NULL
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"},"DateGreaterThan":{"aws:CurrentTime":"yesterday"},"IpAddress":{"aws:SourceIp":"10.0.0.0/33"},"Bool":{"aws:SecureTransport":"yes"},"BinaryEquals":{"k":"not base64!"},"Null":{"aws:username":"no"}}}}') WHERE code LIKE 'MISMATCHED_TYPE%';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"},"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":["true","${aws:x}"]},"BinaryEquals":{"k":"QQ=="},"Null":{"aws:username":false}}}}') WHERE code LIKE 'MISMATCHED_TYPE%';
-- BAD_PATTERN_FOR_MFA
SELECT code, severity, path FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:multifactorauthpresent":"false"}}}]}') WHERE code = 'BAD_PATTERN_FOR_MFA';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthPresent":"true"}}}]}') WHERE code = 'BAD_PATTERN_FOR_MFA';
-- WILDCARD_WITHOUT_LIKE_OPERATOR
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["web*","ops"]},"StringNotEqualsIgnoreCase":{"aws:username":"adm?n"}}}}') WHERE code = 'WILDCARD_WITHOUT_LIKE_OPERATOR';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"web*"},"StringEquals":{"aws:username":"${aws:PrincipalTag/owner}"},"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::*"}}}}') WHERE code = 'WILDCARD_WITHOUT_LIKE_OPERATOR';
-- UNKNOWN_ACTION without a catalog: a pattern that is not service:action
SELECT code, severity, path, value FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["GetObject","s3:GetObject","*","**"],"Resource":"*"}}') WHERE code = 'UNKNOWN_ACTION';
-- REDUNDANT_ACTION: a pattern the list already covers (the later of two equal ones)
SELECT code, severity, path, value, message FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:Get*","s3:GetObject","ec2:Describe*","S3:getobject","ec2:Describe*","s3:*"],"Resource":"*"}}') WHERE code = 'REDUNDANT_ACTION';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:Get*","s3:PutObject","s3:List*Objects","ec2:Describe*"],"Resource":"*"}}') WHERE code = 'REDUNDANT_ACTION';
-- REDUNDANT_STATEMENT: a statement another one of the same document already covers
SELECT code, severity, path, message FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/logs/*"},{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}') WHERE code = 'REDUNDANT_STATEMENT';
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/logs/*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/logs/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::c/*"}]}') WHERE code = 'REDUNDANT_STATEMENT';
-- TOO_MANY_FINDINGS: at most 10,000 rows, the last says so
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 5999)
SELECT count(*), sum(code = 'TOO_MANY_FINDINGS') FROM iam_lint((SELECT '{"Statement":[' || group_concat('{"Sid":"x y","Effect":"Allow","Action":[],"Resource":"*"}') || ']}' FROM n));
SELECT count(*) FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}') WHERE code = 'TOO_MANY_FINDINGS';
-- CHECK_LIMIT: the costlier checks share a budget (here: comparing 600 statements pairwise); past it, one row says so
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 599)
SELECT code, severity, message FROM iam_lint((SELECT '{"Version":"2012-10-17","Statement":[' || group_concat('{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b' || i || '/*"}') || ']}' FROM n)) WHERE code = 'CHECK_LIMIT';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 399)
SELECT count(*) FROM iam_lint((SELECT '{"Version":"2012-10-17","Statement":[' || group_concat('{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b' || i || '/*"}') || ']}' FROM n)) WHERE code = 'CHECK_LIMIT';
