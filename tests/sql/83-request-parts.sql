-- A whole request in parts (ext/README.md, "A request in parts"): policy, principal and members,
-- each compiled once, decided and explained as the object with every member.
.mode list
.headers off
CREATE TABLE p (policy TEXT);
INSERT INTO p VALUES ('{"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}], "boundary": null}');
CREATE TABLE o (scps TEXT);
INSERT INTO o VALUES ('[[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}], [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, {"Version": "2012-10-17", "Statement": [{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}]]');

.print -- the identity side alone, then with the caller, then with the account's SCPs
SELECT iam_decision(policy, 's3:DeleteObject', 'arn:aws:s3:::logs/k') FROM p;
SELECT iam_decision(policy, 's3:DeleteObject', 'arn:aws:s3:::logs/k', NULL, 'arn:aws:iam::111122223333:role/app') FROM p;
SELECT iam_decision(policy, 's3:DeleteObject', 'arn:aws:s3:::logs/k', NULL, 'arn:aws:iam::111122223333:role/app',
                    json_object('scps', json(scps))) FROM p, o;
SELECT iam_allows(policy, 's3:GetObject', 'arn:aws:s3:::logs/k', NULL, 'arn:aws:iam::111122223333:role/app',
                  json_object('scps', json(scps))) FROM p, o;

.print -- the same as the object with every member
SELECT iam_decision(json_set(policy, '$.principal', 'arn:aws:iam::111122223333:role/app', '$.scps', json(scps)),
                    's3:DeleteObject', 'arn:aws:s3:::logs/k') FROM p, o;

.print -- explained: policy_index counts the documents of the members before
SELECT policy_index, statement_index, sid, policy_type, level, document_index, decisive, step
FROM p, o, iam_explain(p.policy, 's3:DeleteObject', 'arn:aws:s3:::logs/k', NULL,
                       'arn:aws:iam::111122223333:role/app', json_object('scps', json(o.scps)));

.print -- the caller in the members, a bucket of another account: both sides must allow
CREATE TABLE m (members TEXT);
INSERT INTO m VALUES ('{"principal": "arn:aws:iam::444455556666:user/bob", "resource_account": "111122223333",
    "resource_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"},
                        "Action": "s3:GetObject", "Resource": "*"}]}}');
SELECT iam_decision('[]', 's3:GetObject', 'arn:aws:s3:::shared/k', NULL, NULL, members) FROM m;
SELECT iam_decision('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
                    's3:GetObject', 'arn:aws:s3:::shared/k', NULL, NULL, members) FROM m;

.print -- errors name the function and the member
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, NULL, '{"scps": []}') FROM p;
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 'arn:aws:iam::111122223333:role/app', '{"identity": []}') FROM p;
SELECT iam_decision('{"principal": "arn:aws:iam::111122223333:role/app"}', 's3:GetObject', '*', NULL,
                    'arn:aws:iam::111122223333:role/app');
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 'anonymous', '{"boundary": []}') FROM p;
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 'bob') FROM p;
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 'arn:aws:iam::111122223333:role/app', '{"scps": [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}]]}') FROM p;
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 'arn:aws:iam::111122223333:role/app', '{"action": "s3:GetObject"}') FROM p;
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 'arn:aws:iam::111122223333:role/app', '{"scps": [') FROM p;
SELECT iam_decision(policy, 's3:GetObject', '*', NULL, 42) FROM p;
SELECT count(*) FROM p, iam_explain(p.policy, 's3:GetObject', '*', NULL, NULL, '[]');
