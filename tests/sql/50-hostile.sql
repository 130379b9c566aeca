-- Hostile input (issue 7 §4): worst-case patterns finish promptly; deep nesting, NUL bytes, invalid UTF-8,
-- huge numbers, duplicate keys and over-limit inputs are SQL errors (or, where the spec says so, plain
-- non-matches), never a crash, a hang or an Allow from an invalid document.
.echo on
.headers off
.mode list
.nullvalue NULL
-- ---- worst-case wildcard patterns: at most O(pattern x text) --------------------------------------------
CREATE TEMP TABLE clock(t REAL);
INSERT INTO clock VALUES (julianday('now'));
-- p1: '*a*a*a...*ab' (4,001 chars); p2: '*' then 2,000 'a' then 'b'; t: 4,000 'a' (a request resource
-- is at most 4,096 bytes, an action 1,024: the action rows use the first 1,000 bytes of t)
CREATE TEMP TABLE w AS SELECT replace(hex(zeroblob(2000)), '00', '*a') || 'b' AS p1,
  '*' || replace(hex(zeroblob(1000)), '0', 'a') || 'b' AS p2, replace(hex(zeroblob(2000)), '0', 'a') AS t;
SELECT length(p1), length(p2), length(t) FROM w;
-- StringLike (greedy glob)
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":"' || p1 || '"}}}}', 'a:b', '*', json_object('k', t)) FROM w;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":"' || p2 || '"}}}}', 'a:b', '*', json_object('k', t)) FROM w;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotLike":{"k":"' || p2 || '"}}}}', 'a:b', '*', json_object('k', t)) FROM w;
-- the same pattern without the final 'b' matches
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":"' || substr(p1, 1, 4000) || '"}}}}', 'a:b', '*', json_object('k', t)) FROM w;
-- Resource (set-of-positions matcher: these '*' may not cross ':')
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"' || p1 || '"}}', 'a:b', t) FROM w;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"' || p2 || '"}}', 'a:b', t) FROM w;
SELECT iam_resource_matches(p1, t), iam_resource_matches(p2, t), iam_resource_matches(substr(p1, 1, 4000), t) FROM w;
-- in the resource part of an ARN (unrestricted wildcards), and with ':' in the text
SELECT iam_resource_matches('arn:aws:s3:::' || p1, 'arn:aws:s3:::' || t), iam_resource_matches('arn:aws:s3:::' || p2, 'arn:aws:s3:::' || t) FROM w;
SELECT iam_resource_matches(replace(substr(p1, 1, 2000) || 'b', 'a', 'a:'), replace(substr(t, 1, 2000), 'a', 'a:')) FROM w;
-- Action patterns and ArnLike
SELECT iam_action_matches('x:' || p1, 'x:' || substr(t, 1, 1000)), iam_action_matches('x:' || p2, 'x:' || substr(t, 1, 1000)) FROM w;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"x:' || p2 || '","Resource":"*"}}', 'x:' || substr(t, 1, 1000), '*') FROM w;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"k":"arn:aws:s3:::' || p2 || '"}}}}', 'a:b', '*', json_object('k', 'arn:aws:s3:::' || t)) FROM w;
-- many statements of worst-case patterns in one policy: more work than the limit allows, an error
-- (ext/core/README.md, "The work limit"), never a decision
SELECT iam_decision('{"Statement":[' || group_concat('{"Effect":"Allow","Action":"*","Resource":"' || p2 || '"}', ',') || ']}', 'a:b', (SELECT t FROM w)) FROM w, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5);
-- a 4,000,000-star run, and 1,000,000 '*?' or '*a' pairs, against a 1,000-byte resource (a star run
-- counts as one star: the matcher's work is bounded by the text, not the pattern)
CREATE TEMP TABLE big AS SELECT replace(hex(zeroblob(2000000)), '0', '*') || 'x' AS stars,
  replace(hex(zeroblob(1000000)), '00', '*?') || 'x' AS sq, replace(hex(zeroblob(1000000)), '00', '*a') AS sa,
  replace(hex(zeroblob(500)), '0', 'a') AS t;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"' || stars || '"}}', 'a:b', t) FROM big;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"' || sq || '"}}', 'a:b', t) FROM big;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"' || sa || '"}}', 'a:b', t) FROM big;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"*","Resource":"' || substr(stars, 1, 1000000) || 'a"}}', 'a:b', t) FROM big;
SELECT iam_decision('{"Statement":{"Effect":"Allow","Action":"' || stars || '","Resource":"*","Condition":{"StringLike":{"k":"' || sq || '"}}}}', 'a:b', '*', json_object('k', t)) FROM big;
-- all of the above within 120 s, even under valgrind (natively about 0.5 s; exponential matching would never end)
SELECT (julianday('now') - t) * 86400 < 120 FROM clock;
-- ---- deeply nested JSON: the limit is 64 levels -----------------------------------------------------------
-- 64 levels pass the nesting check (then fail the grammar), 65 do not: the document, the Statement array,
-- the statement, Condition, the operator block and 59 or 60 arrays
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":' || substr(replace(hex(zeroblob(30)), '0', '['), 1, 59) || '"v"' || substr(replace(hex(zeroblob(30)), '0', ']'), 1, 59) || '}}}]}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":' || replace(hex(zeroblob(30)), '0', '[') || '"v"' || replace(hex(zeroblob(30)), '0', ']') || '}}}]}', 'a:b', '*');
-- the same in an Id: the document and 63 or 64 arrays
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Id":' || substr(replace(hex(zeroblob(32)), '0', '['), 1, 63) || substr(replace(hex(zeroblob(32)), '0', ']'), 1, 63) || '}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Id":' || replace(hex(zeroblob(32)), '0', '[') || replace(hex(zeroblob(32)), '0', ']') || '}', 'a:b', '*');
SELECT iam_allows(replace(hex(zeroblob(500000)), '0', '['), 'a:b', '*');
SELECT iam_allows(replace(hex(zeroblob(500000)), '00', '{"a":'), 'a:b', '*');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":' || replace(hex(zeroblob(40)), '0', '[') || replace(hex(zeroblob(40)), '0', ']') || '}');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":[["v"]]}');
-- brackets inside strings do not count
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Id":"' || replace(hex(zeroblob(500)), '0', '[') || '"}', 'a:b', '*');
-- ---- NUL bytes ---------------------------------------------------------------------------------------------
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Id":"a' || char(0) || 'b"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' || char(0) || 'garbage', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Id":"a\u0000b"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Id":"a\\u0000b"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":"a' || char(0) || '"}');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k\u0000":"a"}');
-- in the request: an error, as in a policy (a request value never holds a NUL byte)
SELECT iam_decision('{"Statement":[{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:s3:::b"}]}', 'ecs:RunTask' || char(0) || 'x', 'arn:aws:s3:::b');
SELECT iam_decision('{"Statement":[{"Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:s3:::b"}]}', 'ecs:RunTask', 'arn:aws:s3:::b' || char(0));
SELECT iam_decision('{"Statement":[{"Effect":"Deny","Action":"ecs:*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'ecs:Run' || char(0) || 'Task', '*');
SELECT iam_action_matches('ecs:Run?Task', 'ecs:Run' || char(0) || 'Task'), iam_resource_matches('arn:aws:s3:::b', 'arn:aws:s3:::b' || char(0));
-- ---- invalid UTF-8 -----------------------------------------------------------------------------------------
SELECT iam_allows(CAST(x'7b2253746174656d656e74223a5b5d2c224964223a22ff227d' AS TEXT), 'a:b', '*');
SELECT iam_allows(CAST(x'7b2253746174656d656e74223a5b5d2c224964223a22c080227d' AS TEXT), 'a:b', '*');
SELECT iam_allows(CAST(x'7b2253746174656d656e74223a5b5d2c224964223a22eda080227d' AS TEXT), 'a:b', '*');
SELECT iam_allows(CAST(x'7b2253746174656d656e74223a5b5d2c224964223a22f4908080227d' AS TEXT), 'a:b', '*');
SELECT iam_allows(CAST(x'7b2253746174656d656e74223a5b5d2c224964223a22e282227d' AS TEXT), 'a:b', '*');
SELECT iam_allows(CAST(x'7b2253746174656d656e74223a5b5d7de2' AS TEXT), 'a:b', '*');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', CAST(x'7b226b223a2280227d' AS TEXT));
-- lone surrogate escapes are malformed JSON; a valid pair is fine
SELECT iam_allows('{"Statement":[],"Id":"\ud800"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[],"Id":"\udc00x"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[],"Id":"\ud83d\ude00"}', 'a:b', '*');
-- invalid UTF-8 in the request is an error, as in a policy
SELECT iam_decision('{"Statement":[{"Effect":"Allow","Action":"ecs:R?n","Resource":"arn:aws:s3:::?"}]}', CAST(x'6563733a52ff6e' AS TEXT), CAST(x'61726e3a6177733a73333a3a3afe' AS TEXT));
SELECT iam_decision('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"k":"?"}}}]}', 'a:b', '*', json_object('k', CAST(x'e282' AS TEXT)));
SELECT iam_resource_matches('arn:aws:s3:::b/??', CAST(x'61726e3a6177733a73333a3a3a622fe282' AS TEXT)), iam_resource_matches('arn:aws:s3:::b/?', CAST(x'61726e3a6177733a73333a3a3a622fe282ac' AS TEXT));
-- ---- huge numbers ------------------------------------------------------------------------------------------
-- as JSON numbers: out of range is an error (policy and context)
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":1e999}}}]}', 'a:b', '*', '{"k":"1"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":-1e999}}}]}', 'a:b', '*', '{"k":"1"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":' || replace(hex(zeroblob(200)), '00', '9') || '}}}]}', 'a:b', '*', '{"k":"1"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1"}}}]}', 'a:b', '*', '{"k":1e999}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1"}}}]}', 'a:b', '*', '{"k":[1,1e400]}');
-- a large but finite JSON number is its shortest round-trip decimal, written without an exponent
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":1' || replace(hex(zeroblob(150)), '0', '0') || '}}}]}', 'a:b', '*', json_object('k', '1' || replace(hex(zeroblob(150)), '0', '0')));
-- as strings: 400-digit numbers compare exactly
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1' || replace(hex(zeroblob(200)), '0', '0') || '"}}}]}', 'a:b', '*', json_object('k', '9' || replace(hex(zeroblob(199)), '0', '9') || '.5'));
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1' || replace(hex(zeroblob(200)), '0', '0') || '"}}}]}', 'a:b', '*', json_object('k', '1' || replace(hex(zeroblob(200)), '0', '0') || '.0000001'));
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"k":"-0.' || replace(hex(zeroblob(200)), '0', '0') || '"}}}]}', 'a:b', '*', '{"k":"0"}');
-- "1e999" as text is not a Numeric value: the comparison fails (no match; NumericNotEquals does not match either)
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1e999"}}}]}', 'a:b', '*', '{"k":"1"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericNotEquals":{"k":"1e999"}}}]}', 'a:b', '*', '{"k":"1"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericNotEquals":{"k":"1"}}}]}', 'a:b', '*', '{"k":"1e999"}');
-- dates and epoch seconds far out of range fail the comparison
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"k":"' || replace(hex(zeroblob(200)), '0', '9') || '"}}}]}', 'a:b', '*', '{"k":"1"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateNotEquals":{"k":"2020-01-01"}}}]}', 'a:b', '*', json_object('k', replace(hex(zeroblob(200)), '0', '9')));
-- ---- duplicate keys: an error in every object of a policy; in a context, keys ignore case --------------------
SELECT iam_allows('{"Statement":[],"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Effect":"Allow"}]}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Resource":"arn:aws:s3:::x"}]}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"a"},"StringEquals":{"k":"b"}}}]}', 'a:b', '*', '{"k":"b"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"a","k":"b"}}}]}', 'a:b', '*', '{"k":"b"}');
SELECT iam_allows('{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}', 'a:b', '*');
SELECT iam_allows('{"identity":{"Statement":[]},"identity":{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}', 'a:b', '*');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'a:b', '*', '{"k":"a","k":"b"}');
SELECT iam_allows('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'a:b', '*', '{"aws:UserName":"a","aws:username":null}');
-- ---- over-limit inputs (README "Limits") ---------------------------------------------------------------------
-- 8 MiB (8,388,608 bytes) of JSON is fine, one byte more is not
SELECT iam_allows('{"Statement":[],"Id":"' || replace(hex(zeroblob(4194292)), '0', 'x') || '"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[],"Id":"' || replace(hex(zeroblob(4194292)), '0', 'x') || 'x"}', 'a:b', '*');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":"xy"' || replace(hex(zeroblob(4194299)), '0', ' ') || '}');
SELECT iam_allows('{"Statement":[]}', 'a:b', '*', '{"k":"xyx"' || replace(hex(zeroblob(4194299)), '0', ' ') || '}');
-- 1,024 documents
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1024)
SELECT iam_allows('[' || group_concat('{"Statement":{"Effect":"Allow","Action":"x:' || i || '","Resource":"*"}}', ',') || ']', 'x:1024', '*') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1025)
SELECT iam_allows('[' || group_concat('{"Statement":{"Effect":"Allow","Action":"x:' || i || '","Resource":"*"}}', ',') || ']', 'x:1', '*') FROM n;
-- 16,384 statements
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16384)
SELECT iam_allows('{"Statement":[' || group_concat('{"Effect":"Allow","Action":"x:' || i || '","Resource":"*"}', ',') || ']}', 'x:16384', '*') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16385)
SELECT iam_allows('{"Statement":[' || group_concat('{"Effect":"Allow","Action":"x:' || i || '","Resource":"*"}', ',') || ']}', 'x:1', '*') FROM n;
-- 65,536 patterns and values
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 65535)
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":[' || group_concat('"x:' || i || '"', ',') || '],"Resource":"*"}}', 'x:65535', '*') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 65536)
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":[' || group_concat('"x:' || i || '"', ',') || '],"Resource":"*"}}', 'x:1', '*') FROM n;
-- 4,096 context keys
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4096)
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k4096":"v"}}}}', 'a:b', '*', '{' || group_concat('"k' || i || '":"v"', ',') || '}') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4097)
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}', 'a:b', '*', '{' || group_concat('"k' || i || '":"v"', ',') || '}') FROM n;
-- a long pattern stays a pattern: 100,000 '*' in one Action
SELECT iam_allows('{"Statement":{"Effect":"Allow","Action":"' || replace(hex(zeroblob(50000)), '0', '*') || '","Resource":"*"}}', 'a:b', '*');
